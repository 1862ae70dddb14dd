// Package archtest holds no code: its test enforces the boundaries between
// the project's packages (which may import which), from `go list`, so the
// one-way flow of a build (config -> content -> markdown and snippets ->
// playground -> render -> output) stays readable in the layout.
package archtest
