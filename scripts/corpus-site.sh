#!/usr/bin/env bash
# Makes DIR a benchmark site of N posts from the shared corpus generator,
# once: a finished site is marked with .corpus-ok and left alone after.
#
#   scripts/corpus-site.sh N DIR
set -euo pipefail
n=$1 site=$2
shared=${SHARED:-$(dirname "$0")/../../shared}
[ -f "$site/.corpus-ok" ] && exit 0
if [ ! -d "$shared/bench/gen-corpus" ]; then
  echo "corpus-site: $shared/bench/gen-corpus not found; set SHARED=path/to/shared" >&2
  exit 1
fi
rm -rf "$site"; mkdir -p "$site"
site=$(cd "$site" && pwd)
(cd "$shared/bench/gen-corpus" && go run . -n "$n" -out "$site/content") >/dev/null
printf 'title: Bench\nbaseURL: https://bench.example.org/\npaginate: 10\n' > "$site/config.yaml"
touch "$site/.corpus-ok"
