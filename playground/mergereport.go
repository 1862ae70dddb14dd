package playground

import "time"

// MergedEntry is one entry a merge added, with where and when it ran. The
// key of an entry proves its inputs, not who ran them: a merged store is
// trusted like the jobs that made it, so a merge says whose results it
// brings in.
type MergedEntry struct {
	Key  string
	ID   string // the program's ID ("content/posts/x.md#name")
	From string // the file it was copied from
	// Machine is the MachineID of the computer that ran it ("" in entries
	// stored before machines were recorded), RanAt when, and Go and
	// Platform what with.
	Machine      string
	RanAt        time.Time
	Go, Platform string
	Status       Status
}

// mergedEntry describes the sound entry data, stored under key, that a
// merge copied from path.
func mergedEntry(key, path string, data []byte) MergedEntry {
	m := MergedEntry{Key: key, From: path}
	e, err := parseEntry(key, data, nil)
	if err != nil {
		return m // checked before the merge: cannot happen
	}
	m.ID, m.Machine, m.RanAt, m.Status = e.ID, e.Result.Env.Machine, e.Result.Env.RanAt, e.Result.Status
	m.Go, m.Platform = e.Inputs.Go, e.Inputs.Platform
	return m
}
