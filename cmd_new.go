package main

import "errors"

// PLACEHOLDER: replaced by the issue that implements this verb.
func runNew(args []string) error { return errors.New("new: not built yet") }
