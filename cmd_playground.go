package main

import "errors"

// PLACEHOLDER: replaced by the issue that implements this verb.
func runPlayground(args []string) error { return errors.New("playground: not built yet") }
