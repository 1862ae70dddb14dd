package playground

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestMergeReportsNewEntries: a merge lists every entry it adds, with the
// machine and time its entry records, and nothing it already held.
func TestMergeReportsNewEntries(t *testing.T) {
	root := t.TempDir()
	dst := filepath.Join(root, "dst")
	ka, a := testEntry(t, "post.md#a", "A\n")
	kb, b := testEntry(t, "post.md#b", "B\n")
	kc, c := testEntry(t, "post.md#c", "C\n")
	writeFile(t, filepath.Join(root, "s1", ka+".json"), a)
	writeFile(t, filepath.Join(root, "s2", kb+".json"), b)
	writeFile(t, filepath.Join(root, "s2", kc+".json"), c)
	writeFile(t, filepath.Join(dst, kc+".json"), c)
	st, err := MergeStores(dst, []string{filepath.Join(root, "s1"), filepath.Join(root, "s2")})
	if err != nil {
		t.Fatal(err)
	}
	ran := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	want := []MergedEntry{
		{Key: ka, ID: "post.md#a", From: filepath.Join(root, "s1", ka+".json"), Machine: "0a1b2c3d", RanAt: ran, Go: "go1.26.8", Platform: "linux/amd64", Status: StatusOK},
		{Key: kb, ID: "post.md#b", From: filepath.Join(root, "s2", kb+".json"), Machine: "0a1b2c3d", RanAt: ran, Go: "go1.26.8", Platform: "linux/amd64", Status: StatusOK},
	}
	slices.SortFunc(want, func(x, y MergedEntry) int {
		if x.Key < y.Key {
			return -1
		}
		return 1
	})
	if st.Added != 2 || st.Present != 1 || !slices.Equal(st.New, want) {
		t.Errorf("merge: %+v\nwant New %+v", st, want)
	}
}
