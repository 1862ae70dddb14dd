#!/bin/sh
# bench-inner.sh reads `go test -bench` output on stdin and prints issue 34's
# figures side by side: each wait, its floor (the Go toolchain alone on the
# same program: go build, then running it), the median of the paired ratios
# (ABBA, measured in the same run) and the target. The benchmarks themselves
# are BenchmarkEditToPage, BenchmarkRunCommand, BenchmarkColdExample (root
# package) and BenchmarkReaderRun (playground/server); `make bench-edit` runs
# them alone, `make bench` with the rest. Figures are printed, never asserted.
set -eu
awk '
function row(what, m, f, unit, ratio, target) {
	# Judged as printed: 1.152x reads 1.15x.
	r = sprintf("%.2f", ratio) + 0
	printf "%-44s %9s %9s %7.2fx %6.2fx  %s\n", what, m " " unit, f " " unit, r, target, (r <= target ? "within" : "ABOVE")
	found++
}
/^Benchmark(EditToPage|RunCommand|ReaderRun|ColdExample)/ {
	name = $1
	sub(/-[0-9]+$/, "", name)
	delete v
	for (i = 3; i < NF; i += 2) v[$(i + 1)] = $i
	load = v["load-avg"]
	if (name == "BenchmarkEditToPage/small")
		row("code edit -> served page (one-post site)", v["edit-to-page-ms"], v["floor-ms"], "ms", v["edit/floor"], 1.3)
	else if (name == "BenchmarkEditToPage/example")
		row("code edit -> served page (example site)", v["edit-to-page-ms"], v["floor-ms"], "ms", v["edit/floor"], 1.3)
	else if (name == "BenchmarkRunCommand")
		row("benchpress run", v["run-ms"], v["floor-ms"], "ms", v["run/floor"], 1.15)
	else if (name == "BenchmarkReaderRun") {
		row("a reader'"'"'s Run, server side", v["run-ms"], v["floor-ms"], "ms", v["run/floor"], 1.3)
		extra = extra sprintf("  reader'"'"'s Run: first after a server start %.2fx (empty build cache %.2fx), with 3 other readers queued %.2fx\n", v["first/floor"], v["first-empty-cache/floor"], v["queued/floor"])
	} else if (name == "BenchmarkColdExample")
		row("example site, cold build", v["cold-s"], v["go-build+run-s"] + v["benchmarks-s"], "s", v["cold/floor"], 1.2)
	else
		next
	loads = loads " " load
}
BEGIN {
	print "issue 34: each wait against its floor, measured side by side (median of paired ratios)"
	printf "%-44s %9s %9s %8s %7s\n", "wait", "measured", "floor", "ratio", "target"
}
END {
	if (!found) print "  (none of the issue 34 benchmarks ran)"
	printf "%s", extra
	if (found) print "  load average during each:" loads " (on a busy machine the ratios are noisy: compare runs at similar load)"
}
'
