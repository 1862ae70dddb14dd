#!/usr/bin/env bash
# Warm-build benchmark at the CLI: `benchpress build` of a site of N posts
# with one `go run` block each, every result already stored, against the
# same site with the blocks as plain code (issue 11: a warm build adds
# under 5%). The live site is built once cold first; then the two sites
# build alternately (ABBA, so neither always follows the other), each into
# its own output directory, which every build replaces as an author's
# rebuild does. Prints the medians and the median of the paired ratios.
#
#   scripts/bench-warm.sh [N] [RUNS]     (defaults: 100 posts, 40 runs each)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
runs=${2:-40}
bin=$(pwd)/benchpress
[ -x "$bin" ] || go build -o "$bin" .
work=${BENCH_DIR:-${TMPDIR:-/tmp}/benchpress-bench}/warm-$n
rm -rf "$work"; mkdir -p "$work"
for kind in live plain; do
  mkdir -p "$work/$kind/content/posts"
  printf 'title: Warm\nbaseURL: https://warm.example.org/\n' > "$work/$kind/config.yaml"
  fence='```go'; [ "$kind" = live ] && fence='```go run'
  for i in $(seq 0 $((n - 1))); do
    printf -- '---\ntitle: Post %d\ndate: 2026-01-01\n---\nA post with a snippet.\n\n%s\nconst nonce = "warm"\nfmt.Println("post", %d, len(nonce))\n```\n\nAnd some prose after it.\n' \
      "$i" "$fence" "$i" > "$work/$kind/content/posts/p$i.md"
  done
done
# build SITE: one `benchpress build`, its output kept in $work/log and
# shown if it fails.
build() {
  "$bin" build --source "$work/$1" --out "$work/out-$1" > "$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
}
build live # cold: runs every program and stores the results
build live
if ! grep -q "$n snippets: 0 run, $n cached" "$work/log"; then
  echo "bench-warm: the second build of the live site was not warm:" >&2; cat "$work/log" >&2; exit 1
fi
# one SITE: appends the build's wall time in microseconds to $work/t-SITE.
one() {
  sync
  local start end
  start=$(date +%s%N)
  build "$1"
  end=$(date +%s%N)
  echo $(((end - start) / 1000)) >> "$work/t-$1"
}
: > "$work/t-live"; : > "$work/t-plain"
for i in $(seq "$runs"); do
  if [ $((i % 2)) = 0 ]; then one live; one plain; else one plain; one live; fi
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
live=$(median < "$work/t-live"); plain=$(median < "$work/t-plain")
ratio=$(paste -d' ' "$work/t-live" "$work/t-plain" | awk '{print $1 / $2}' | median)
awk -v n="$n" -v r="$runs" -v l="$live" -v p="$plain" -v q="$ratio" 'BEGIN {
  printf "warm build N=%d: %.1f ms, plain %.1f ms (medians of %d each); warm adds %+.1f%% (median of paired ratios; target: under 5%%)\n", n, l / 1000, p / 1000, r, 100 * (q - 1) }'
rm -rf "$work"
