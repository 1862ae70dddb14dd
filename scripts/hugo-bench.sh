#!/usr/bin/env bash
# Builds a benchpress corpus site with Hugo, using layouts equivalent to a
# plain blog theme and to what benchpress's default theme produces: home
# with pagination (10 per page, summaries), post (TOC, tags, prev/next),
# one page per tag listing its posts' summaries, the tags index, a titles-only
# list of all posts (benchpress's archive), RSS of the 20 newest posts on
# the home page only (benchpress: RSS and Atom, 20 posts), sitemap, chroma
# CSS classes. Hugo's defaults would also write an RSS feed of every post
# for each tag and section, work benchpress does not do.
#
#   scripts/hugo-bench.sh SITE_DIR WORK_DIR          prepare, then print the
#                                                    median of 3 builds
#   scripts/hugo-bench.sh --prepare SITE_DIR WORK_DIR  only write the Hugo site
#
# Works with Debian's Hugo (0.111) and current releases (pagination and RSS
# settings moved in 0.114/0.128).
set -euo pipefail
prepare_only=0
if [ "${1:-}" = "--prepare" ]; then prepare_only=1; shift; fi
site=$1 work=$2
n=$(find "$site/content/posts" -name '*.md' | wc -l)
minor=$(hugo version | sed -E 's/^hugo v?0\.([0-9]+).*/\1/')
rm -rf "$work"; mkdir -p "$work/layouts/_default" "$work/layouts/partials"
ln -s "$site/content" "$work/content"
{
  cat <<'TOML'
baseURL = "https://bench.example.org/"
title = "Bench"
disableKinds = []
[markup.highlight]
noClasses = false
[taxonomies]
tag = "tags"
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]
TOML
  if [ "$minor" -ge 128 ]; then printf '[pagination]\npagerSize = 10\n'; else printf 'paginate = 10\n'; fi
  if [ "$minor" -ge 114 ]; then printf '[services.rss]\nlimit = 20\n'; else printf 'rssLimit = 20\n'; fi
} > "$work/config.toml.tmp"
# Top-level keys must come before the first table.
{ grep -E '^(paginate|rssLimit) ' "$work/config.toml.tmp" || true; grep -vE '^(paginate|rssLimit) ' "$work/config.toml.tmp"; } > "$work/config.toml"
rm "$work/config.toml.tmp"
cat > "$work/layouts/partials/head.html" <<'HTML'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="canonical" href="{{ .Permalink }}"><link rel="stylesheet" href="/css/syntax.css">
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | absURL }}"></head><body>
<header><a href="/">{{ site.Title }}</a></header><main>
HTML
cat > "$work/layouts/partials/foot.html" <<'HTML'
</main><footer><a href="/tags/">Tags</a></footer></body></html>
HTML
cat > "$work/layouts/partials/summary.html" <<'HTML'
<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Date.Format "January 2, 2006" }} · {{ .ReadingTime }} min · {{ range .Params.tags }}<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p><div>{{ .Summary }}</div><a href="{{ .RelPermalink }}">Read more</a></article>
HTML
cat > "$work/layouts/index.html" <<'HTML'
{{ partial "head.html" . }}{{ $p := .Paginate (where site.RegularPages "Section" "posts") }}
{{ range $p.Pages }}{{ partial "summary.html" . }}{{ end }}
{{ with $p.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}{{ with $p.Next }}<a href="{{ .URL }}">Older</a>{{ end }}
{{ partial "foot.html" . }}
HTML
cat > "$work/layouts/_default/single.html" <<'HTML'
{{ partial "head.html" . }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "January 2, 2006" }} · {{ .ReadingTime }} min · {{ range .Params.tags }}<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>
<nav>{{ .TableOfContents }}</nav>{{ .Content }}</article>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ partial "foot.html" . }}
HTML
cat > "$work/layouts/_default/list.html" <<'HTML'
{{ partial "head.html" . }}<h1>{{ .Title }}</h1>{{ range .Pages }}{{ partial "summary.html" . }}{{ end }}{{ partial "foot.html" . }}
HTML
cat > "$work/layouts/_default/section.html" <<'HTML'
{{ partial "head.html" . }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>{{ partial "foot.html" . }}
HTML
cat > "$work/layouts/_default/terms.html" <<'HTML'
{{ partial "head.html" . }}<h1>Tags</h1><ul>{{ range .Data.Terms.ByName }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ partial "foot.html" . }}
HTML
[ "$prepare_only" = 1 ] && exit 0

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
walls=(); rsss=()
for i in 1 2 3; do
  rm -rf "$work/public" "$work/resources"
  /usr/bin/time -o "$work/time" -f '%e %M' hugo --quiet -s "$work" -d "$work/public" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  out=$(tail -1 "$work/time"); walls+=("${out% *}"); rsss+=("${out#* }")
done
files=$(find "$work/public" -type f | wc -l)
wall=$(printf '%s\n' "${walls[@]}" | median)
rss=$(printf '%s\n' "${rsss[@]}" | median)
awk -v n="$n" -v w="$wall" -v r="$rss" -v f="$files" -v v="$(hugo version | cut -d' ' -f2)" 'BEGIN {
  printf "hugo %-6s N=%-6d              %6d files  wall %6.2f s  %8.0f pages/s  peak RSS %6.0f MiB\n", v, n, f, w, n / w, r / 1024 }'
