// Package sysfile reads and writes whole files with the fewest system calls.
//
// A build reads every post and writes every page, thousands of small files,
// and on a virtual machine a system call costs about a microsecond.
// os.ReadFile makes ten on a small file (open; four fcntl and an epoll_ctl
// as it offers the descriptor to the poller, which refuses regular files;
// fstat; two reads; close) and os.WriteFile eight (strace, Go 1.26).
// ReadFile and WriteFile here make four and three, with no *os.File around
// the descriptor, which a file read or written whole never needs. Errors
// are *fs.PathError as os's are, so callers and messages cannot tell the
// difference. That fast path is Linux's (sysfile_linux.go); elsewhere
// ReadFile and WriteFile are os's.
//
// DirFS is the one file system every read of a site file goes through: it
// cannot leave the site on any OS.
package sysfile
