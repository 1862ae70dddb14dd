package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/benchpress/benchpress/playground"
)

// TestMain lets the sandbox re-execute this test binary as its init, so
// tests here run live code blocks for real. It also lets tests run the
// CLI in a child process (BENCHPRESS_TEST_CLI holds the arguments,
// separated by newlines), for what needs a process of its own: signals.
func TestMain(m *testing.M) {
	playground.MaybeRunSandboxInit()
	if args := os.Getenv("BENCHPRESS_TEST_CLI"); args != "" {
		os.Exit(run(strings.Split(args, "\n"), os.Stderr))
	}
	if os.Getenv("BENCHPRESS_TEST_NOARGS") != "" {
		os.Exit(run(nil, os.Stderr))
	}
	if os.Getenv("BENCHPRESS_TEST_STUCK") != "" {
		// Work that ignores its context, as a parser busy with one huge
		// post does: only the grace period ends it.
		err := untilSignal(os.Stderr, 200*time.Millisecond, func(context.Context) error {
			fmt.Println("ready")
			time.Sleep(time.Minute)
			return nil
		})
		fmt.Fprintln(os.Stderr, "untilSignal returned:", err)
		os.Exit(0)
	}
	// The tests' expected output is that of a plain log; those of GitHub
	// Actions' workflow commands set GITHUB_ACTIONS themselves.
	os.Unsetenv("GITHUB_ACTIONS")
	os.Exit(m.Run())
}
