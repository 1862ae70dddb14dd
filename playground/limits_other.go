//go:build !linux

package playground

// limitCompiler would cap the go command's memory and file size, but only
// Linux can set another process's limits (prlimit): elsewhere the compiler
// runs under its timeout alone. That is the case of sandbox: none on
// macOS, which trusts the snippets anyway; Windows runs none.
func limitCompiler(pid int, memory, fileSize uint64) {}
