package main

import "errors"

// PLACEHOLDER: replaced by the issue that implements this verb.
func runBuild(args []string) error { return errors.New("build: not built yet") }
