package snippet

import "github.com/benchpress/benchpress/playground"

// Outcome is what running a Snippet's program made, kept apart from its
// source: the playground's result, set by SetRun, and what the build draws
// from it for the page (a benchmark report, a plot, an explorer's states).
// A Snippet embeds it, so its fields read as the Snippet's own.
type Outcome struct {
	Result *playground.Result
	Err    error  // infrastructure error from the playground
	Bench  string // rendered benchmark report HTML (verb bench)
	RawRef string // output-relative path of the raw benchmark text

	Plot     string // rendered plot HTML (plot=)
	PlotData []byte // the plot's data as CSV, written next to the page
	DataRef  string // output-relative path of PlotData

	// States are an explorable block's runs (params=), one per
	// combination of Opts.Grid in its order, made by Build; nil for any
	// other block, whose one run is Program. See explore.go.
	States []*State
	// StatesData, when set, is the explorer's states as JSON, written next
	// to the page as StatesRef: a grid too large to carry in the page.
	StatesData []byte
	StatesRef  string
}
