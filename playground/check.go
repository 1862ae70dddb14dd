package playground

// Check reports whether a Runner would refuse p's files (names that reach
// outside the program, go.mod files, assembly that includes host files)
// without building anything, so a server can answer a bad program as the
// client's mistake rather than fail the run.
func (p *Program) Check() error { return checkFiles(p) }
