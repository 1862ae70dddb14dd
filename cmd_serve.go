package main

import "errors"

// PLACEHOLDER: replaced by the issue that implements this verb.
func runServe(args []string) error { return errors.New("serve: not built yet") }
