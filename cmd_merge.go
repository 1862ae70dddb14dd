package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/benchpress/benchpress/generator/config"
	"github.com/benchpress/benchpress/playground"
)

func runMergeResults(args []string) error { return mergeResults(args, os.Stderr) }

// mergeResults is the merge-results verb: it copies the entries of shards'
// results stores into the site's store, refusing conflicts and corrupt or
// foreign files (playground.MergeStores), and writes nothing unless all
// of them are sound.
func mergeResults(args []string, stderr io.Writer) error {
	flags := newFlagSet("merge-results", "[flags] STORE...", "Merge results stores written by `build --shard I/N` (each a directory of KEY.json\nentries, such as a downloaded CI artifact) into the site's results store. Entries\nare content-addressed, so the merge is a union: the same entry twice is fine, two\ndifferent entries under one key are a conflict. A conflict, a corrupt entry, a\nsymbolic link or any other file is an error naming it, and then nothing is merged.\nRender the merged results with `benchpress build --frozen`.")
	root := flags.String("source", ".", "site root: merge into its playground.results store")
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
	fmt.Fprintf(stderr, "merged %s into %s: %d new, %d already there\n", plural(flags.NArg(), "store"), dst, st.Added, st.Present)
	return nil
}
