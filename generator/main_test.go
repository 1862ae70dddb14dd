package generator

import (
	"os"
	"testing"

	"github.com/benchpress/benchpress/playground"
)

// TestMain lets the playground's sandbox re-execute this test binary as its
// init, so tests can run live code blocks for real.
func TestMain(m *testing.M) {
	playground.MaybeRunSandboxInit()
	code := m.Run()
	for _, dir := range fixtureDirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}
