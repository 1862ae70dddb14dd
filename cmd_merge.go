package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/playground"
)

func runMergeResults(args []string) error { return mergeResults(args, os.Stderr) }

// mergeResults is the merge-results verb: it copies the entries of shards'
// results stores into the site's store, refusing conflicts and corrupt or
// foreign files (playground.MergeStores), and writes nothing unless all
// of them are sound.
func mergeResults(args []string, stderr io.Writer) error {
	flags := newFlagSet("merge-results", "[flags] STORE...", "Merge results stores written by `build --shard I/N` (each a directory of KEY.json\nentries, such as a downloaded CI artifact) into the site's results store. Entries\nare content-addressed, so the merge is a union: the same entry twice is fine, two\ndifferent entries under one key are a conflict. A conflict, a corrupt entry, a\nsymbolic link or any other file is an error naming it, and then nothing is merged.\nEach new entry is listed with the machine that ran it and when: a key proves the\ninputs, not who ran them, so a merged store is trusted like the jobs that made it.\nRender the merged results with `benchpress build --frozen`.")
	root := flags.String("source", "", "site root: merge into its playground.results store (default: the nearest directory holding config.yaml, this one or one above it)")
	into := flags.String("into", "", "merge into this store directory instead (no site needed)")
	flags.SetOutput(stderr)
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	if flags.NArg() == 0 {
		return usagef("merge-results needs the stores to merge: benchpress merge-results shard-1 shard-2 ...; see benchpress merge-results -h")
	}
	dst := *into
	if dst == "" {
		var err error
		if *root, err = siteRoot(*root, stderr); err != nil {
			return err
		}
		cfg, err := config.Load(*root)
		if err != nil {
			return err
		}
		dst = filepath.Join(*root, cfg.Playground.Results)
	}
	st, err := playground.MergeStores(dst, flags.Args())
	if err != nil {
		return fmt.Errorf("merge-results: %v", err)
	}
	for _, e := range st.New {
		fmt.Fprintf(stderr, "new: %s ran %s on %s (%s %s, %s), from %s\n", e.ID, when(e.RanAt), machineName(e.Machine), e.Go, e.Platform, e.Status, e.From)
	}
	fmt.Fprintf(stderr, "merged %s into %s: %d new, %d already there\n", plural(flags.NArg(), "store"), dst, st.Added, st.Present)
	if len(st.New) > 0 {
		fmt.Fprintf(stderr, "the new results ran on %s; the site will publish them as they are: a merged store is trusted like the jobs that made it\n", machineSummary(st.New))
	}
	return nil
}

func when(t time.Time) string {
	if t.IsZero() {
		return "at an unknown time"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func machineName(m string) string {
	if m == "" {
		return "an unnamed machine (stored before benchpress named machines)"
	}
	return "machine " + m
}

// machineSummary says which machines ran the entries, how many each and
// over what time, the busiest first.
func machineSummary(entries []playground.MergedEntry) string {
	type span struct {
		name        string
		n           int
		first, last time.Time
	}
	by := map[string]*span{}
	var order []*span
	for _, e := range entries {
		s := by[e.Machine]
		if s == nil {
			s = &span{name: machineName(e.Machine), first: e.RanAt, last: e.RanAt}
			by[e.Machine] = s
			order = append(order, s)
		}
		s.n++
		if e.RanAt.Before(s.first) {
			s.first = e.RanAt
		}
		if e.RanAt.After(s.last) {
			s.last = e.RanAt
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].n > order[j].n })
	parts := make([]string, len(order))
	for i, s := range order {
		parts[i] = fmt.Sprintf("%s (%s, %s to %s)", s.name, plural(s.n, "result"), when(s.first), when(s.last))
	}
	return plural(len(order), "machine") + ": " + strings.Join(parts, ", ")
}
