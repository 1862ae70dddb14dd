#!/usr/bin/env bash
# Site build benchmark: generates the shared corpus (N posts) and prints the
# wall time, CPU time (user+sys), pages/s and peak RSS of a full
# `benchpress build` into an empty output directory (median of 3).
# With --compare, Hugo builds the same corpus when it is on PATH
# (scripts/hugo-bench.sh has its layouts), the runs of the two alternate so
# a change in the machine's load hits both alike, and the ratios are
# printed against issue 11's targets: a quarter of Hugo's wall time and
# peak RSS, and the 10k build within 11x of the 1k build.
#
#   scripts/bench-site.sh [--compare] [N ...]     (default N: 1000 10000)
#
# The machine's load average is printed with each size: on a shared machine,
# compare figures taken under similar load only.
set -euo pipefail
cd "$(dirname "$0")/.."
compare=0
if [ "${1:-}" = "--compare" ]; then compare=1; shift; fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
shared=${SHARED:-../shared}
if [ ! -d "$shared/bench/gen-corpus" ]; then
  echo "bench-site: $shared/bench/gen-corpus not found; set SHARED=path/to/shared" >&2
  exit 1
fi
bin=$(pwd)/benchpress
[ -x "$bin" ] || go build -o "$bin" .
work=${BENCH_DIR:-${TMPDIR:-/tmp}/benchpress-bench}
mkdir -p "$work"
hugo=""
if [ "$compare" = 1 ]; then
  if command -v hugo >/dev/null; then
    hugo=$(command -v hugo)
  else
    echo "hugo: not on PATH (apt-get install hugo to compare); benchpress figures only"
  fi
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# timed OUTFILE CMD...: runs CMD under /usr/bin/time, appends "wall cpu rss_kib".
timed() {
  local out=$1; shift
  /usr/bin/time -o "$work/time" -f '%e %U %S %M' "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
  tail -1 "$work/time" | awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' >> "$out"
}
# report NAME N FILES RUNS: prints the medians of RUNS ("wall cpu rss" lines).
report() {
  local wall cpu rss
  wall=$(cut -d' ' -f1 "$4" | median); cpu=$(cut -d' ' -f2 "$4" | median); rss=$(cut -d' ' -f3 "$4" | median)
  awk -v name="$1" -v n="$2" -v f="$3" -v w="$wall" -v c="$cpu" -v r="$rss" 'BEGIN {
    printf "%-18s N=%-6d %6d files  wall %6.2f s  cpu %6.2f s  %7.0f pages/s  peak RSS %6.0f MiB\n", name, n, f, w, c, n / w, r / 1024 }'
}

# The floor: goldmark alone on two goroutines, converting the same bodies
# (plain CommonMark; with benchpress's extensions; and with them, writing
# each page to a directory of its own). The two that write nothing run
# between the builds, one conversion of the corpus each time, so a drift in
# the machine's speed hits builds and floor alike; the one that writes runs
# after the builds, so deleting its files cannot slow them down.
(cd generator && go test -c -o "$work/generator.test" .)
# floor N PATTERN: runs the floor benchmarks matching PATTERN once on site-N
# and appends "name seconds" lines to $work/floor-N.
floor() {
  (cd generator && BENCHPRESS_BENCH_SITE="$work/site-$1" "$work/generator.test" -test.run '^$' \
    -test.bench "GoldmarkFloor1000/$2" -test.benchtime "${3:-1x}") > "$work/floor-out" 2>&1 || { cat "$work/floor-out" >&2; exit 1; }
  awk '/^BenchmarkGoldmarkFloor1000\// { split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); print a[2], $3 / 1e9 }' "$work/floor-out" >> "$work/floor-$1"
}

declare -A bpwall bpcpu
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  SHARED=$shared scripts/corpus-site.sh "$n" "$site"
  mb=$(du -sm "$site/content" | cut -f1)
  echo "N=$n: $mb MiB of markdown; load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  [ -z "$hugo" ] || scripts/hugo-bench.sh --prepare "$site" "$work/hugo-$n"
  : > "$work/runs-bp"; : > "$work/runs-hugo"
  # Every run builds into a new directory (a clean full build, as on a
  # fresh checkout), and the outputs are removed only after the last run:
  # on journal-less ext4 (this VM's disk) creating a file right after
  # thousands were deleted costs several times more, because the kernel
  # skips inodes deleted in the last 30 s (recently_deleted()). sync
  # first, so writing back the previous run's files is not charged to
  # this one.
  outs="$work/runs-out-$n"; rm -rf "$outs"; mkdir -p "$outs"
  : > "$work/floor-$n"
  for i in 1 2 3; do
    sync
    timed "$work/runs-bp" "$bin" build --source "$site" --out "$outs/bp-$i"
    if [ -n "$hugo" ]; then
      rm -rf "$work/hugo-$n/resources"; sync
      timed "$work/runs-hugo" "$hugo" --quiet -s "$work/hugo-$n" -d "$outs/hugo-$i"
    fi
    floor "$n" '(plain|site)$'
  done
  report benchpress "$n" "$(find "$outs/bp-1" -type f | wc -l)" "$work/runs-bp"
  bpwall[$n]=$(cut -d' ' -f1 "$work/runs-bp" | median)
  bpcpu[$n]=$(cut -d' ' -f2 "$work/runs-bp" | median)
  if [ -n "$hugo" ]; then
    report "hugo $("$hugo" version | cut -d' ' -f2 | cut -d+ -f1)" "$n" "$(find "$outs/hugo-1" -type f | wc -l)" "$work/runs-hugo"
    paste -d' ' "$work/runs-bp" "$work/runs-hugo" > "$work/runs-both"
    bw=$(cut -d' ' -f1 "$work/runs-bp" | median); hw=$(cut -d' ' -f1 "$work/runs-hugo" | median)
    br=$(cut -d' ' -f3 "$work/runs-bp" | median); hr=$(cut -d' ' -f3 "$work/runs-hugo" | median)
    awk -v bw="$bw" -v hw="$hw" -v br="$br" -v hr="$hr" 'BEGIN {
      printf "benchpress/hugo     wall %.3fx  peak RSS %.3fx  (target: at most 0.25x each)\n", bw / hw, br / hr }'
  fi
done
for n in "${sizes[@]}"; do
  floor "$n" 'site\+write$' 3x
  awk -v n="$n" -v bp="${bpwall[$n]}" '
    { v[$1] = v[$1] " " $2 }
    function med(s,   a, k, i, j, t) { k = split(s, a, " "); for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }; return a[int((k + 1) / 2)] }
    END { p = med(v["plain"]); s = med(v["site"]); w = med(v["site+write"])
          printf "goldmark floor     N=%-6d plain %.2f s, extensions %.2f s, extensions+write %.2f s\n", n, p, s, w
          printf "benchpress/floor   N=%-6d %.1fx plain, %.1fx extensions, %.1fx extensions+write (target: at most 2.5x)\n", n, bp / p, bp / s, bp / w }' "$work/floor-$n"
done
for n in "${sizes[@]}"; do rm -rf "$work/runs-out-$n"; done
if [ -n "${bpwall[1000]:-}" ] && [ -n "${bpwall[10000]:-}" ]; then
  awk -v a="${bpwall[1000]}" -v b="${bpwall[10000]}" -v c="${bpcpu[1000]}" -v d="${bpcpu[10000]}" 'BEGIN {
    printf "benchpress 10000/1000 wall %.1fx, cpu %.1fx (target: at most 11x)\n", b / a, d / c }'
fi
