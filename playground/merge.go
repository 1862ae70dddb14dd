package playground

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MergeStats says what MergeStores did.
type MergeStats struct {
	Added   int // entries copied into the destination
	Present int // entries the destination already held, byte for byte
	// New describes each entry copied, in key order: who ran it, and when.
	New []MergedEntry
}

// MergeError lists every problem a merge found; when there is one, nothing
// was written.
type MergeError struct {
	Problems []string // "PATH: what is wrong", sorted
}

func (e *MergeError) Error() string {
	var b strings.Builder
	if len(e.Problems) == 1 {
		b.WriteString("1 problem; nothing was merged:")
	} else {
		fmt.Fprintf(&b, "%d problems; nothing was merged:", len(e.Problems))
	}
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p)
	}
	return b.String()
}

// maxEntrySize bounds one entry a merge reads: a store from an untrusted
// artifact must not exhaust memory.
const maxEntrySize = 256 << 20

// MergeStores copies into the results store dst (created if missing) every
// entry of the stores srcs: shards' stores, each holding the results its
// shard made beside those every shard started with. Entries are addressed
// by the hash of their inputs, so the merge is a union; two different
// entries under one key (the same file name) are a conflict, an error
// naming both files. An entry is checked before it is copied: its name
// must be KEY.json and its inputs must hash to KEY, else it is reported as
// corrupt. A symbolic link, a directory or any other file is an error, and
// is never followed or copied: the sources may come from an untrusted CI
// artifact. Names beginning with a dot (an interrupted write's temporary
// file, .gitkeep) are skipped. Nothing is written unless every source is
// sound; entries are written atomically, never over an existing file.
func MergeStores(dst string, srcs []string) (MergeStats, error) {
	var st MergeStats
	var problems []string
	type found struct {
		path string // where it was first seen
		data []byte
	}
	all := map[string]*found{}
	for _, src := range srcs {
		err := readStoreDir(src, func(key, path string, data []byte, err error) {
			if err != nil {
				problems = append(problems, path+": "+err.Error())
				return
			}
			if f := all[key]; f == nil {
				all[key] = &found{path, data}
			} else if !bytes.Equal(f.data, data) {
				problems = append(problems, conflict(f.path, path))
			}
		})
		if err != nil {
			problems = append(problems, err.Error())
		}
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var add []string
	for _, k := range keys {
		path := filepath.Join(dst, k+".json")
		old, err := readEntryFile(nil, path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			add = append(add, k)
		case err != nil:
			problems = append(problems, path+": "+err.Error())
		case bytes.Equal(old, all[k].data):
			st.Present++
		default:
			problems = append(problems, conflict(path, all[k].path))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return MergeStats{}, &MergeError{Problems: problems}
	}
	if len(add) == 0 {
		return st, nil
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return MergeStats{}, fmt.Errorf("results store: %v", err)
	}
	for _, k := range add {
		if err := writeNew(dst, k, all[k].data); err != nil {
			if errors.Is(err, os.ErrExist) {
				// Written since we looked: by another merge, or a build.
				if old, rerr := readEntryFile(nil, filepath.Join(dst, k+".json")); rerr == nil && bytes.Equal(old, all[k].data) {
					st.Present++
					continue
				}
				err = &MergeError{Problems: []string{conflict(filepath.Join(dst, k+".json"), all[k].path)}}
			}
			return st, err
		}
		st.Added++
		st.New = append(st.New, mergedEntry(k, all[k].path, all[k].data))
	}
	if d, err := os.Open(dst); err == nil {
		d.Sync() // the new names, as the entries' contents were
		d.Close()
	}
	return st, nil
}

func conflict(a, b string) string {
	return fmt.Sprintf("%s and %s: two different results for the same inputs (one snippet ran on two machines: did two shards start from different stores, or one shard run twice?); keep one and delete the other", a, b)
}

// readStoreDir calls f for every entry of the store dir, with its key and
// checked contents, or with what is wrong with it. The error is about the
// directory itself.
func readStoreDir(dir string, f func(key, path string, data []byte, err error)) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("%s: %v", dir, errors.Unwrap(err))
	}
	defer d.Close()
	if fi, err := d.Stat(); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s: not a directory (want a results store)", dir)
	}
	names, err := d.Readdirnames(-1)
	if err != nil {
		return fmt.Errorf("%s: %v", dir, err)
	}
	sort.Strings(names)
	for _, name := range names {
		if strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(dir, name)
		key, ok := strings.CutSuffix(name, ".json")
		if !ok || !isKey(key) {
			f("", path, nil, errors.New("not a results entry (a results store holds only KEY.json files)"))
			continue
		}
		data, err := readEntryFile(d, name)
		if err == nil {
			_, err = parseEntry(key, data, nil)
		}
		f(key, path, data, err)
	}
	return nil
}

// isKey reports whether s has the shape of Inputs.Key: 32 lower-case hex
// digits. Nothing else may become a file name in the store.
func isKey(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// readEntryFile reads the regular file name (relative to the directory
// dir, or to the working directory if dir is nil), never following a
// symbolic link and never blocking on a FIFO.
func readEntryFile(dir *os.File, name string) ([]byte, error) {
	file, err := openEntryFile(dir, name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file, not a results entry: refused")
	}
	if fi.Size() > maxEntrySize {
		return nil, fmt.Errorf("%d bytes, larger than any results entry (at most %d MiB): refused", fi.Size(), maxEntrySize>>20)
	}
	data, err := io.ReadAll(io.LimitReader(file, maxEntrySize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxEntrySize {
		return nil, fmt.Errorf("larger than any results entry (at most %d MiB): refused", maxEntrySize>>20)
	}
	return data, nil
}

// writeNew writes dir/key.json atomically, failing with os.ErrExist rather
// than replace a file of that name.
func writeNew(dir, key string, data []byte) error {
	tmp, err := os.CreateTemp(dir, ".tmp-"+key+"-*")
	if err != nil {
		return fmt.Errorf("results store: %v", err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		final := filepath.Join(dir, key+".json")
		err = renameNoReplace(tmp.Name(), final)
		if errors.Is(err, errors.ErrUnsupported) {
			// A file system without RENAME_NOREPLACE: a hard link does not
			// replace either.
			if err = os.Link(tmp.Name(), final); err == nil {
				os.Remove(tmp.Name())
			}
		}
		if errors.Is(err, os.ErrExist) {
			err = os.ErrExist
		}
	}
	if err != nil {
		os.Remove(tmp.Name())
		if err == os.ErrExist {
			return err
		}
		return fmt.Errorf("results store: %v", err)
	}
	return nil
}
