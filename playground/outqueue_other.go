//go:build !linux

package playground

// outputQueue is two pipes here: see pipeQueue.
type outputQueue = pipeQueue

func newOutputQueue() (*outputQueue, error) { return newPipeQueue() }
