#!/usr/bin/env bash
# Site build benchmark: generates the shared corpus (N posts) and prints
# wall time, pages/s and peak RSS of `benchpress build` (median of 3).
# With --compare, also builds the same corpus with Hugo when it is on PATH.
#
#   scripts/bench-site.sh [--compare] [N ...]     (default N: 1000 10000)
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

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for n in "${sizes[@]}"; do
  site="$work/site-$n"
  if [ ! -f "$site/.corpus-ok" ]; then
    rm -rf "$site"; mkdir -p "$site"
    (cd "$shared/bench/gen-corpus" && go run . -n "$n" -out "$site/content") >/dev/null
    printf 'title: Bench\nbaseURL: https://bench.example.org/\npaginate: 10\n' > "$site/config.yaml"
    touch "$site/.corpus-ok"
  fi
  mb=$(du -sm "$site/content" | cut -f1)
  walls=(); rsss=()
  for i in 1 2 3; do
    /usr/bin/time -o "$work/time" -f '%e %M' "$bin" build --source "$site" --out "$work/out-$n" >/dev/null 2>&1
    out=$(tail -1 "$work/time")
    walls+=("${out% *}"); rsss+=("${out#* }")
  done
  files=$(find "$work/out-$n" -type f | wc -l)
  wall=$(printf '%s\n' "${walls[@]}" | median)
  rss=$(printf '%s\n' "${rsss[@]}" | median)
  awk -v n="$n" -v mb="$mb" -v w="$wall" -v r="$rss" -v f="$files" 'BEGIN {
    printf "benchpress  N=%-6d %4d MiB md  %6d files  wall %6.2f s  %8.0f pages/s  peak RSS %6.0f MiB\n", n, mb, f, w, n / w, r / 1024 }'
  if [ "$compare" = 1 ]; then
    if command -v hugo >/dev/null; then
      scripts/hugo-bench.sh "$site" "$work/hugo-$n"
    else
      echo "hugo        N=$n  (hugo not on PATH: apt-get install hugo to compare)"
    fi
  fi
done
