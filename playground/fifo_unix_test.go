//go:build unix

package playground

import (
	"syscall"
	"testing"
)

func mkfifo(t *testing.T, path string) error { return syscall.Mkfifo(path, 0o644) }
