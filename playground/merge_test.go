package playground

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// testEntry is a results entry as put writes it: the program id printing
// out. Its key depends on id only, so two outputs of one id conflict.
func testEntry(t testing.TB, id, out string) (key string, data []byte) {
	t.Helper()
	in := &Inputs{Files: map[string]string{"main.go": hashBytes([]byte(id))}, Mode: ModeRun, Go: "go1.26.8", Platform: "linux/amd64", Limits: "l", Sandbox: "linux", Runner: RunnerVersion}
	e := entry{ID: id, Inputs: in, Result: storedResult{Status: StatusOK, Events: []storedEvt{{Stdout, out}}, DurationMS: 1.5,
		Env: Env{GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", NumCPU: 2, RanAt: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Machine: "0a1b2c3d"}}}
	b, err := json.MarshalIndent(&e, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return in.Key(), append(b, '\n')
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// listDir lists a directory's names, "NAME -> TARGET" for links.
func listDir(t testing.TB, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		if e.Type()&os.ModeSymlink != 0 {
			target, _ := os.Readlink(filepath.Join(dir, n))
			n += " -> " + target
		}
		names = append(names, n)
	}
	return names
}

// TestMergeStores: merging shards' stores is a union of sound entries;
// a conflict, a corrupt entry, a link or a foreign file is a problem
// naming the file, and then nothing is written. The stores may come from
// an untrusted artifact: links are never followed, in a source or in the
// destination, and nothing is written outside the destination.
func TestMergeStores(t *testing.T) {
	k1, e1 := testEntry(t, "a.md#1", "one\n")
	_, e1b := testEntry(t, "a.md#1", "one, measured elsewhere\n")
	k2, e2 := testEntry(t, "a.md#2", "two\n")
	k3, e3 := testEntry(t, "b.md#1", "three\n")
	noStatus := []byte(strings.Replace(string(e3), `"status": "ok"`, `"status": ""`, 1))
	const victim = "outside/victim.json"
	for _, tc := range []struct {
		name    string
		setup   func(t *testing.T, root string)
		srcs    []string
		added   int
		present int
		// problems, with the test's root directory left out of paths
		problems []string
		dst      []string // the destination's names afterwards
	}{{
		name: "disjoint shards",
		setup: func(t *testing.T, root string) {
			writeFile(t, root+"/a/"+k1+".json", e1)
			writeFile(t, root+"/b/"+k2+".json", e2)
		},
		srcs: []string{"a", "b"}, added: 2, dst: []string{k2 + ".json", k1 + ".json"},
	}, {
		name: "the stores every shard started with, twice, and what dst holds",
		setup: func(t *testing.T, root string) {
			writeFile(t, root+"/a/"+k1+".json", e1)
			writeFile(t, root+"/a/"+k2+".json", e2)
			writeFile(t, root+"/b/"+k1+".json", e1)
			writeFile(t, root+"/b/"+k3+".json", e3)
			writeFile(t, root+"/dst/"+k1+".json", e1)
		},
		srcs: []string{"a", "b", "a"}, added: 2, present: 1, dst: []string{k2 + ".json", k3 + ".json", k1 + ".json"},
	}, {
		name: "temporary files and dotfiles are skipped",
		setup: func(t *testing.T, root string) {
			writeFile(t, root+"/a/"+k1+".json", e1)
			writeFile(t, root+"/a/.tmp-"+k2+"-123", e2[:10])
			writeFile(t, root+"/a/.gitkeep", nil)
		},
		srcs: []string{"a"}, added: 1, dst: []string{k1 + ".json"},
	}, {
		name: "an empty store",
		setup: func(t *testing.T, root string) {
			os.Mkdir(root+"/a", 0o755)
		},
		srcs: []string{"a"}, dst: nil,
	}, {
		name: "conflict between shards",
		setup: func(t *testing.T, root string) {
			writeFile(t, root+"/a/"+k1+".json", e1)
			writeFile(t, root+"/a/"+k2+".json", e2)
			writeFile(t, root+"/b/"+k1+".json", e1b)
		},
		srcs:     []string{"a", "b"},
		problems: []string{"a/" + k1 + ".json and b/" + k1 + ".json: two different results for the same inputs (one snippet ran on two machines: did two shards start from different stores, or one shard run twice?); keep one and delete the other"},
	}, {
		name: "conflict with the destination",
		setup: func(t *testing.T, root string) {
			writeFile(t, root+"/a/"+k1+".json", e1b)
			writeFile(t, root+"/a/"+k2+".json", e2)
			writeFile(t, root+"/dst/"+k1+".json", e1)
		},
		srcs:     []string{"a"},
		problems: []string{"dst/" + k1 + ".json and a/" + k1 + ".json: two different results for the same inputs (one snippet ran on two machines: did two shards start from different stores, or one shard run twice?); keep one and delete the other"},
		dst:      []string{k1 + ".json"},
	}, {
		name: "corrupt entries",
		setup: func(t *testing.T, root string) {
			writeFile(t, root+"/a/"+k1+".json", e1[:len(e1)/2])
			writeFile(t, root+"/a/"+k2+".json", e3) // b.md#1's entry under a.md#2's key
			writeFile(t, root+"/a/"+k3+".json", noStatus)
			writeFile(t, root+"/b/"+k3+".json", e3)
		},
		srcs: []string{"a", "b"},
		problems: []string{
			"a/" + k1 + ".json: corrupt entry: unexpected end of JSON input",
			"a/" + k2 + ".json: corrupt entry: its inputs do not hash to its name",
			"a/" + k3 + ".json: corrupt entry: it has no inputs or no result status",
		},
	}, {
		name: "foreign files",
		setup: func(t *testing.T, root string) {
			writeFile(t, root+"/a/notes.txt", []byte("hi"))
			writeFile(t, root+"/a/"+strings.ToUpper(k1)+".json", e1)
			writeFile(t, root+"/a/"+k1+".json.orig", e1)
			writeFile(t, root+"/a/"+k2+".json", e2)
		},
		srcs: []string{"a"},
		problems: []string{
			"a/" + strings.ToUpper(k1) + ".json: not a results entry (a results store holds only KEY.json files)",
			"a/" + k1 + ".json.orig: not a results entry (a results store holds only KEY.json files)",
			"a/notes.txt: not a results entry (a results store holds only KEY.json files)",
		},
	}, {
		name: "a link to an entry outside the store is refused, not read",
		setup: func(t *testing.T, root string) {
			writeFile(t, root+"/"+victim, e1)
			os.MkdirAll(root+"/a", 0o755)
			os.Symlink("../"+victim, root+"/a/"+k1+".json")
			os.Symlink(root+"/outside", root+"/a/"+k2+".json")
			writeFile(t, root+"/b/"+k3+".json", e3)
		},
		srcs: []string{"a", "b"},
		problems: []string{
			"a/" + k1 + ".json: a symbolic link, not a results entry: refused",
			"a/" + k2 + ".json: a symbolic link, not a results entry: refused",
		},
	}, {
		name: "directories and FIFOs are refused, and a FIFO does not block",
		setup: func(t *testing.T, root string) {
			os.MkdirAll(root+"/a/"+k1+".json", 0o755)
			if err := mkfifo(t, root+"/a/"+k2+".json"); err != nil {
				t.Fatal(err)
			}
		},
		srcs: []string{"a"},
		problems: []string{
			"a/" + k1 + ".json: not a regular file, not a results entry: refused",
			"a/" + k2 + ".json: not a regular file, not a results entry: refused",
		},
	}, {
		name: "a link in the destination is not written through",
		setup: func(t *testing.T, root string) {
			writeFile(t, root+"/"+victim, []byte("do not touch"))
			os.MkdirAll(root+"/dst", 0o755)
			os.Symlink("../"+victim, root+"/dst/"+k1+".json")
			writeFile(t, root+"/a/"+k1+".json", e1)
		},
		srcs:     []string{"a"},
		problems: []string{"dst/" + k1 + ".json: a symbolic link, not a results entry: refused"},
		dst:      []string{k1 + ".json -> ../" + victim},
	}, {
		name: "missing and wrong sources",
		setup: func(t *testing.T, root string) {
			writeFile(t, root+"/file", []byte("x"))
			writeFile(t, root+"/a/"+k1+".json", e1)
		},
		srcs: []string{"a", "nope", "file"},
		problems: []string{
			"file: not a directory (want a results store)",
			"nope: no such file or directory",
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			tc.setup(t, root)
			var victimBefore []byte
			if b, err := os.ReadFile(filepath.Join(root, victim)); err == nil {
				victimBefore = b
			}
			srcs := make([]string, len(tc.srcs))
			for i, s := range tc.srcs {
				srcs[i] = filepath.Join(root, s)
			}
			st, err := MergeStores(filepath.Join(root, "dst"), srcs)
			var me *MergeError
			switch {
			case tc.problems == nil && err != nil:
				t.Fatalf("MergeStores: %v", err)
			case tc.problems != nil && !errors.As(err, &me):
				t.Fatalf("MergeStores: %v, want problems %q", err, tc.problems)
			case tc.problems != nil:
				got := make([]string, len(me.Problems))
				for i, p := range me.Problems {
					got[i] = strings.ReplaceAll(p, root+"/", "")
				}
				want := slices.Clone(tc.problems)
				slices.Sort(want) // the merge sorts them
				if !slices.Equal(got, want) {
					t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
			if st.Added != tc.added || st.Present != tc.present {
				t.Errorf("added %d, present %d; want %d, %d", st.Added, st.Present, tc.added, tc.present)
			}
			dst := listDir(t, filepath.Join(root, "dst"))
			want := slices.Clone(tc.dst)
			slices.Sort(want)
			if !slices.Equal(dst, want) {
				t.Errorf("destination holds %q, want %q", dst, want)
			}
			for _, name := range dst {
				if b, err := os.ReadFile(filepath.Join(root, "dst", name)); err == nil {
					if _, err := parseEntry(strings.TrimSuffix(name, ".json"), b, nil); err != nil {
						t.Errorf("destination %s: %v", name, err)
					}
				}
			}
			if victimBefore != nil {
				if b, _ := os.ReadFile(filepath.Join(root, victim)); string(b) != string(victimBefore) {
					t.Errorf("the file outside the stores changed: %q", b)
				}
			}
			if m, _ := filepath.Glob(filepath.Join(root, "dst", ".tmp-*")); len(m) > 0 {
				t.Errorf("temporary files left: %v", m)
			}
		})
	}
}

// TestMergeErrorText: the message says how many problems, that nothing was
// merged, and lists them one a line.
func TestMergeErrorText(t *testing.T) {
	for _, tc := range []struct {
		problems []string
		want     string
	}{
		{[]string{"a: x"}, "1 problem; nothing was merged:\n\ta: x"},
		{[]string{"a: x", "b: y"}, "2 problems; nothing was merged:\n\ta: x\n\tb: y"},
	} {
		if got := (&MergeError{Problems: tc.problems}).Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

// FuzzMergeEntry: whatever bytes a shard's artifact holds under an entry's
// name, the merge copies them only if they are that key's sound entry, and
// otherwise reports the file and writes nothing; it never panics.
func FuzzMergeEntry(f *testing.F) {
	key, good := testEntry(f, "a.md#1", "one\n")
	_, other := testEntry(f, "a.md#2", "two\n")
	f.Add(good)
	f.Add(other)
	f.Add([]byte("{}"))
	f.Add([]byte(`{"id":"x","inputs":null,"result":{"status":"ok"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root := t.TempDir()
		writeFile(t, filepath.Join(root, "a", key+".json"), data)
		dst := filepath.Join(root, "dst")
		st, err := MergeStores(dst, []string{filepath.Join(root, "a")})
		_, perr := parseEntry(key, data, nil)
		if (err == nil) != (perr == nil) {
			t.Fatalf("merge: %v; entry check: %v", err, perr)
		}
		if err != nil {
			var me *MergeError
			if !errors.As(err, &me) || len(me.Problems) != 1 || !strings.HasPrefix(me.Problems[0], filepath.Join(root, "a", key+".json")+": corrupt entry") {
				t.Fatalf("error %v does not name the corrupt entry", err)
			}
			if names := listDir(t, dst); len(names) > 0 {
				t.Fatalf("a failed merge wrote %v", names)
			}
			return
		}
		if b, _ := os.ReadFile(filepath.Join(dst, key+".json")); string(b) != string(data) || st.Added != 1 {
			t.Fatalf("merged %d, stored %q, want the entry as it was", st.Added, b)
		}
	})
}
