package devserver

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watcher reports changes under a site's source directories in batches:
// recursively (folders created later are watched too), through editors'
// save-by-rename (a rename onto the file is its Create), and debounced (a
// save that writes, renames and chmods is one batch).
type Watcher struct {
	root    string
	dirs    map[string]bool // top-level source folders to watch, by name
	files   map[string]bool // top-level files to watch, by name
	w       *fsnotify.Watcher
	changes chan []string
	errs    chan error
	quiet   time.Duration
	max     time.Duration

	// batchFirst is when the first event of the batch last sent happened
	// (Unix nanoseconds), for serve's trace of a save.
	batchFirst atomic.Int64

	closeOnce sync.Once
	done      chan struct{}
	stopped   chan struct{}
}

// Debounce bounds: a batch is sent once the tree has been quiet for Quiet,
// or at the latest MaxWait after its first event.
const (
	Quiet   = 20 * time.Millisecond
	MaxWait = 300 * time.Millisecond
)

// Watch starts watching root's folders dirs (recursively, as they appear
// and disappear) and root's files files. Paths in batches are slash paths
// relative to root.
func Watch(root string, dirs, files []string) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{
		root: root, dirs: map[string]bool{}, files: map[string]bool{}, w: fw,
		changes: make(chan []string), errs: make(chan error, 8),
		quiet: Quiet, max: MaxWait, done: make(chan struct{}), stopped: make(chan struct{}),
	}
	for _, d := range dirs {
		w.dirs[d] = true
	}
	for _, f := range files {
		w.files[f] = true
	}
	// The root itself: top-level files are replaced by rename, and source
	// folders may be created (or removed and created again) later.
	if err := fw.Add(root); err != nil {
		fw.Close()
		return nil, err
	}
	for _, d := range dirs {
		w.addTree(filepath.Join(root, d), nil)
	}
	go w.loop()
	return w, nil
}

// Changes delivers batches of changed paths. It is closed by Close.
func (w *Watcher) Changes() <-chan []string { return w.changes }

// BatchStart returns when the first event of the batch just received from
// Changes happened: a save's time, as near as the watcher knows it. Call
// it after receiving the batch, before receiving the next.
func (w *Watcher) BatchStart() time.Time { return time.Unix(0, w.batchFirst.Load()) }

// Errors delivers the watcher's own problems (a folder it could not watch,
// an event queue overflow); they are worth a log line, not a stop.
func (w *Watcher) Errors() <-chan error { return w.errs }

// Close stops watching.
func (w *Watcher) Close() error {
	var err error
	w.closeOnce.Do(func() {
		close(w.done)
		err = w.w.Close()
		<-w.stopped
	})
	return err
}

// addTree watches dir and every folder below it; with found non-nil, it
// also records the files it sees, which were created before the watch.
func (w *Watcher) addTree(dir string, found func(string)) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != dir && ignored(d.Name()) {
				return filepath.SkipDir
			}
			if err := w.w.Add(p); err != nil {
				w.report(err)
			}
			return nil
		}
		if found != nil && !ignored(d.Name()) {
			found(p)
		}
		return nil
	})
}

func (w *Watcher) report(err error) {
	select {
	case w.errs <- err:
	default:
	}
}

// ignored reports editor droppings: swap, backup and temporary files
// (vim, emacs, JetBrains), vim's 4913 probe, hidden files and folders.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") || strings.HasSuffix(name, ".tmp") ||
		strings.HasSuffix(name, "___jb_tmp___") || strings.HasSuffix(name, "___jb_old___") || name == "4913"
}

// relevant maps an absolute path to its slash path under root when it is
// one of the watched sources.
func (w *Watcher) relevant(p string) (string, bool) {
	rel, err := filepath.Rel(w.root, p)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	top, _, nested := strings.Cut(rel, "/")
	if !nested {
		return rel, w.files[rel] || w.dirs[rel]
	}
	if !w.dirs[top] {
		return "", false
	}
	for _, part := range strings.Split(rel, "/") {
		if ignored(part) {
			return "", false
		}
	}
	return rel, true
}

func (w *Watcher) loop() {
	defer close(w.stopped)
	defer close(w.changes)
	pending := map[string]bool{}
	// created holds the names the pending batch saw created: one that is
	// gone again when the batch is sent was an editor's temporary file
	// (sed -i's sedXXXXXX, renamed over the post it edits) and is left
	// out. A deletion of a file made before the batch is still reported.
	created := map[string]bool{}
	var first time.Time
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	// While a batch waits for the consumer (busy rebuilding), out is
	// w.changes; a new event takes it back and restarts the quiet time.
	var out chan []string
	var batch []string
	add := func(rel string) {
		if len(pending) == 0 {
			first = time.Now()
		}
		pending[rel] = true
		out, batch = nil, nil
		wait := w.quiet
		if d := w.max - time.Since(first); d < wait {
			wait = max(d, 0)
		}
		timer.Reset(wait)
	}
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			rel, ok := w.relevant(ev.Name)
			if !ok || ev.Op == fsnotify.Chmod {
				continue
			}
			if ev.Has(fsnotify.Create) {
				created[rel] = true
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					// A new folder (or one renamed into place): watch it and
					// everything already inside it.
					w.addTree(ev.Name, func(p string) {
						if r, ok := w.relevant(p); ok {
							pending[r] = true
						}
					})
				}
			}
			add(rel)
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			w.report(err)
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: say everything changed.
				for d := range w.dirs {
					add(d)
				}
				for f := range w.files {
					add(f)
				}
			}
		case <-timer.C:
			if len(pending) == 0 {
				continue
			}
			batch = make([]string, 0, len(pending))
			for p := range pending {
				if created[p] && !w.exists(p) {
					continue // came and went within the batch
				}
				batch = append(batch, p)
			}
			if len(batch) == 0 {
				pending, batch = map[string]bool{}, nil
				clear(created)
				continue
			}
			sort.Strings(batch)
			w.batchFirst.Store(first.UnixNano())
			out = w.changes
		case out <- batch:
			// created goes with the batch sent, not the one built: a new
			// event before the send rebuilds it from pending, and a name
			// left out then must be left out again.
			pending = map[string]bool{}
			clear(created)
			out, batch = nil, nil
		}
	}
}

// exists reports whether the slash path rel under the root is there now.
func (w *Watcher) exists(rel string) bool {
	_, err := os.Lstat(filepath.Join(w.root, filepath.FromSlash(rel)))
	return err == nil
}
