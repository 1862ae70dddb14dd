package main

import "errors"

// PLACEHOLDER: replaced by the issue that implements this verb.
func runRun(args []string) error { return errors.New("run: not built yet") }
