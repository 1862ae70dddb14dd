// Package sandboxinit is the code that runs inside the playground's
// sandbox: the init and the second stage that a run re-executes the current
// binary as (see sandboxinit_linux.go for what each does).
//
// A stage is entered from this package's init function, not from main. Go
// initialises packages in dependency order, the one sorting first among
// those ready at each step; this package needs none of the heavy packages of
// a benchpress binary (chroma's lexer and style registries take about 15 ms
// to initialise, and every run re-executes the binary twice), so it
// initialises, and enters its stage, before they do. It must stay that way:
// importing anything that needs regexp or text/template here would give the
// startup time back (TestSandboxStageSkipsHeavyInit checks it).
package sandboxinit
