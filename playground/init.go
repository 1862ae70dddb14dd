package playground

// MaybeRunSandboxInit is called first thing in main (and in TestMain of
// packages that start sandboxes). PLACEHOLDER: the playground issue makes it
// run the sandbox's init when the process is a re-executed sandbox child.
func MaybeRunSandboxInit() {}
