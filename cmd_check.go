package main

import "errors"

// PLACEHOLDER: replaced by the issue that implements this verb.
func runCheck(args []string) error { return errors.New("check: not built yet") }
