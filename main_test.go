package main

import (
	"os"
	"testing"

	"github.com/benchpress/benchpress/playground"
)

// TestMain lets the sandbox re-execute this test binary as its init, so
// tests here run live code blocks for real.
func TestMain(m *testing.M) {
	playground.MaybeRunSandboxInit()
	os.Exit(m.Run())
}
