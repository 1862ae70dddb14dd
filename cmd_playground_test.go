package main

import (
	"bytes"
	"net"
	"slices"
	"strings"
	"testing"
)

func TestPlaygroundOrigins(t *testing.T) {
	for base, want := range map[string][]string{
		"https://blog.example/":        {"https://blog.example"},
		"https://user.github.io/repo/": {"https://user.github.io"},
		"https://blog.example:8443/x/": {"https://blog.example:8443"},
		"http://localhost:1313/":       {"http://localhost:1313", "http://127.0.0.1:1313", "http://[::1]:1313"},
		"http://127.0.0.1/":            {"http://localhost", "http://127.0.0.1", "http://[::1]"},
		"not a url":                    nil,
	} {
		if got := originsOf(base); !slices.Equal(got, want) {
			t.Errorf("originsOf(%q) = %q, want %q", base, got, want)
		}
	}
}

func TestPlaygroundUsage(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"playground"}, 2, "usage: benchpress playground serve"},
		{[]string{"playground", "run"}, 2, "usage: benchpress playground serve"},
		{[]string{"playground", "serve", "extra"}, 2, "takes no arguments"},
		{[]string{"playground", "serve", "--rate", "5/d"}, 1, `rate "5/d": the unit after / must be s, m or h`},
		{[]string{"playground", "serve", "--origin", "https://blog.example/posts/", "--source", t.TempDir()}, 1, "must be scheme://host[:port]"},
		// Values the server replaced by its defaults without a word, and
		// a --source naming nothing, which served without the site.
		{[]string{"playground", "serve", "--concurrency", "0"}, 2, "benchpress: --concurrency 0: must be at least 1\n"},
		{[]string{"playground", "serve", "--burst", "0"}, 2, "benchpress: --burst 0: must be at least 1\n"},
		{[]string{"playground", "serve", "--queue", "-2"}, 2, "benchpress: --queue -2: must be -1 (none), 0 (2 x concurrency) or more\n"},
		{[]string{"playground", "serve", "--per-client", "0"}, 2, "benchpress: --per-client 0: must be -1 (no bound) or at least 1\n"},
		{[]string{"playground", "serve", "--max-body", "0"}, 2, "benchpress: --max-body 0: must be at least 1 (bytes)\n"},
		{[]string{"playground", "serve", "--timeout", "-1s"}, 2, "benchpress: --timeout -1s: must be positive, or 0 for config.yaml's playground.timeout\n"},
		{[]string{"playground", "serve", "--bench-timeout", "0"}, 2, "benchpress: --bench-timeout 0s: must be positive, e.g. 60s\n"},
		{[]string{"playground", "serve", "--bench-count", "0"}, 2, "benchpress: --bench-count 0: must be at least 1 (--no-bench refuses reruns)\n"},
		{[]string{"playground", "serve", "--cache", "-1"}, 2, "benchpress: --cache -1: must be 0 (none) or more\n"},
		{[]string{"playground", "serve", "--builder-queue", "-1"}, 2, "benchpress: --builder-queue -1: must be 0 or more\n"},
		{[]string{"playground", "serve", "--source", "/nonexistent/site"}, 2,
			"benchpress: --source /nonexistent/site: no such directory: name the site's root (the directory holding config.yaml)\n"},
		{[]string{"playground", "serve", "--addr", taken.Addr().String(), "--source", t.TempDir()}, 1,
			// The system's words for "in use" differ; the advice does not.
			"listen tcp " + taken.Addr().String() + ": "},
		{[]string{"playground", "serve", "--addr", taken.Addr().String(), "--source", t.TempDir()}, 1, ": choose another address with --addr HOST:PORT\n"},
	} {
		var stderr bytes.Buffer
		if code := run(tt.args, &stderr); code != tt.code || !strings.Contains(stderr.String(), tt.msg) {
			t.Errorf("benchpress %s: exit %d, %q; want %d and %q", strings.Join(tt.args, " "), code, stderr.String(), tt.code, tt.msg)
		}
	}
}
