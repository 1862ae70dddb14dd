// Command benchpress is a static blog generator whose posts carry live Go
// code: snippets are compiled and run at build time, in a sandbox, and their
// real output is written into the page.
//
// main only parses the verb, maps errors to exit codes and calls one small
// command function per verb; each lives in its own cmd_*.go file with its own
// flag.FlagSet.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/benchpress/benchpress/playground"
)

// command is one verb of the CLI.
type command struct {
	summary string
	run     func(args []string) error
}

var commands = map[string]command{
	"build":         {"build the site into public/", runBuild},
	"serve":         {"build, serve on 127.0.0.1:1313 and rebuild on change", runServe},
	"new":           {"create a site or a post: new site DIR, new post \"Title\"", runNew},
	"run":           {"run one Go program in the sandbox", runRun},
	"check":         {"check the built site's links, anchors, assets and feeds", runCheck},
	"merge-results": {"merge results stores of sharded builds (build --shard I/N)", runMergeResults},
	"playground":    {"serve a Go-playground-compatible run API", runPlayground},
	"version":       {"print the version", runVersion},
}

// exitCode is an error that carries a specific exit status and has already
// been reported (or needs no message).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func main() {
	// A re-executed sandbox child becomes the sandbox's init here and never
	// returns; in every other process this is a no-op.
	playground.MaybeRunSandboxInit()
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		args = append([]string{"version"}, args[1:]...)
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "benchpress: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	err := cmd.run(args[1:])
	var code exitCode
	var usage usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &code):
		return int(code)
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "benchpress: %v\n", err)
		return 2
	default:
		newConsole(stderr, ".", false).printError(err)
		return 1
	}
}

// Exit statuses, the same for every command (README, "Exit status"):
// 0 success; 1 the site (or the input) has errors, each reported; 2 a
// usage error: an unknown command or flag, a missing or extra argument.
// A build stopped by a signal exits 128+signal.

// usageError is a command line that makes no sense: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// parseFlags parses a command's flags. A bad flag is a usage error, which
// the flag package has reported already, with the command's usage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return exitCode(2)
	}
	return err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: benchpress <command> [flags]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'benchpress <command> -h' for a command's flags.")
}

// newFlagSet returns a FlagSet for a verb whose errors are returned, not
// printed with os.Exit, so main maps them to exit codes in one place.
func newFlagSet(name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s\n\n%s\n\n", strings.TrimSpace("benchpress "+name+" "+args), about)
		fs.PrintDefaults()
	}
	return fs
}
