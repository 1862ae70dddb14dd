package main

import (
	"testing"

	"github.com/benchpress/benchpress/generator/liverun"
)

// TestRerunMatcher: --rerun names all, a post or a block; a block's rounds
// of extra runs for inconclusive claims, and an explorable block's
// combinations, are rerun with it.
func TestRerunMatcher(t *testing.T) {
	block := "content/posts/x.md#locks"
	tests := []struct {
		target, id string
		want       bool
	}{
		{"all", block, true},
		{"content/posts/x.md", block, true},
		{"content/posts/x.md", liverun.ExtraRunsID(block, 2), true},
		{"content/posts/y.md", block, false},
		{block, block, true},
		{block, liverun.ExtraRunsID(block, 1), true},
		{block, "content/posts/x.md#locks2", false},
		{"content/posts/x.md#lock", block, false},
		{block, liverun.ExtraRunsID("content/posts/x.md#other", 1), false},
		// An explorable block's combinations are rerun with it.
		{block, block + "?vnodes=10;nodes=5", true},
		{"content/posts/x.md", block + "?vnodes=10;nodes=5", true},
		{"content/posts/x.md#lock", block + "?vnodes=10", false},
	}
	for _, tt := range tests {
		if got := rerunMatcher(tt.target)(tt.id); got != tt.want {
			t.Errorf("--rerun=%s on %s: %v, want %v", tt.target, tt.id, got, tt.want)
		}
	}
}
