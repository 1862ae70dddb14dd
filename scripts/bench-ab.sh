#!/usr/bin/env bash
# Paired A/B timing of a full build: the benchpress of git revision BASE
# (default: HEAD~1) against the working tree's, on the shared corpus of N
# posts (default 1000). Runs alternate A B B A for PAIRS rounds (default 10),
# each into a fresh output directory, so a drift in the machine's speed hits
# both alike; it prints the median of the per-round ratios B/A of wall time
# and of CPU time (user+sys), with their range.
#
#   scripts/bench-ab.sh [BASE [N [PAIRS]]]
#   BIN_A=old BIN_B=new scripts/bench-ab.sh - [N [PAIRS]]   (two binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD~1}
n=${2:-1000}
pairs=${3:-10}
shared=${SHARED:-../shared}
work=${BENCH_DIR:-${TMPDIR:-/tmp}/benchpress-ab}
mkdir -p "$work"

# BIN_A and BIN_B, when set, are binaries to compare instead.
if [ -z "${BIN_A:-}" ]; then
  git worktree remove --force "$work/base-src" 2>/dev/null || rm -rf "$work/base-src"
  git worktree add -q --detach "$work/base-src" "$base"
  (cd "$work/base-src" && go build -o "$work/bin-a" .)
  git worktree remove --force "$work/base-src"
  BIN_A=$work/bin-a
fi
if [ -z "${BIN_B:-}" ]; then
  go build -o "$work/bin-b" .
  BIN_B=$work/bin-b
fi

site="$work/site-$n"
SHARED=$shared scripts/corpus-site.sh "$n" "$site"

# run BIN OUT: prints "wall cpu" of one build into a new directory.
run() {
  sync
  /usr/bin/time -o "$work/time" -f '%e %U %S' "$1" build --source "$site" --out "$2" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  awk '{printf "%s %.3f\n", $1, $2 + $3}' "$work/time"
}
outs="$work/outs"; rm -rf "$outs"; mkdir -p "$outs"
run "$BIN_A" "$outs/warm-a" >/dev/null # page cache, build cache
run "$BIN_B" "$outs/warm-b" >/dev/null
: > "$work/ratios"
for i in $(seq "$pairs"); do
  if [ $((i % 2)) = 1 ]; then
    a=$(run "$BIN_A" "$outs/a-$i"); b=$(run "$BIN_B" "$outs/b-$i")
  else
    b=$(run "$BIN_B" "$outs/b-$i"); a=$(run "$BIN_A" "$outs/a-$i")
  fi
  echo "$a $b" | awk '{printf "%.4f %.4f %s %s %s %s\n", $3 / $1, $4 / $2, $1, $2, $3, $4}' >> "$work/ratios"
done
rm -rf "$outs"
echo "N=$n, $pairs pairs, A=$base B=working tree; load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
sort -n -k1 "$work/ratios" | awk '{w[NR]=$1} END {printf "wall B/A: median %.3f (range %.3f .. %.3f)\n", w[int((NR+1)/2)], w[1], w[NR]}'
sort -n -k2 "$work/ratios" | awk '{c[NR]=$2} END {printf "cpu  B/A: median %.3f (range %.3f .. %.3f)\n", c[int((NR+1)/2)], c[1], c[NR]}'
awk '{wa+=$3; wb+=$5; ca+=$4; cb+=$6} END {printf "means: A wall %.3f s cpu %.3f s; B wall %.3f s cpu %.3f s\n", wa/NR, ca/NR, wb/NR, cb/NR}' "$work/ratios"
