# benchpress: the two commands are `make serve` and `make test`.
GO      ?= go
BIN     := ./benchpress
SHARED  ?= ../shared

.PHONY: all build site serve test test-browser test-rest test-short test-race test-race-playground test-race-short fuzz-short deps bench bench-edit bench-compare vet cross dist clean firstpaint

all: build

# The version is stamped in (benchpress version), as in make dist: go build
# stamps the commit itself only when -buildvcs is on, which GOFLAGS may turn off.
build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) .

# Build the example site into public/.
site: build
	$(BIN) build

# Build the example site and serve it with live reload on http://127.0.0.1:1313/.
serve: build
	$(BIN) serve

# Every test, including the sandbox and browser suites, the race detector
# where goroutines meet, and a short run of every fuzz target. CI runs
# exactly this.
#
# Two lanes at once. In the background, what mostly waits rather than
# computes: the browser suite (page loads, axe in one renderer: 68 CPU-s
# over its 324 s in the baseline's loaded run) and then the playground's
# race run (its sandboxed programs: 40 CPU-s over 112 s). In the
# foreground, test-rest: everything else, in sequence and CPU-bound. Run
# last and alone, as they were, these two left the second core idle for
# most of their 155 s and 48 s on a quiet machine. The background lane's
# output is printed when both lanes are done; make test fails if either
# does (-k: a failing browser suite does not stop the race run).
test: deps
	@log=$$(mktemp); echo "$(MAKE) test-browser test-race-playground > $$log (in the background)"; \
	$(MAKE) --no-print-directory -k test-browser test-race-playground >$$log 2>&1 & bg=$$!; \
	$(MAKE) --no-print-directory test-rest; rest=$$?; \
	wait $$bg; status=$$?; \
	echo "test-browser test-race-playground:"; cat $$log; rm -f $$log; \
	[ $$rest = 0 ] && [ $$status = 0 ]

# The browser suite alone (Chromium, axe, the Nu HTML Checker; see
# internal/browsertest). Its timeout is the last guard only: each step of
# a tab has its own deadline, scaled to the machine's load, so a hang fails
# there. Beside test-rest on a machine at load average 20 the suite ran
# past 10 minutes without hanging (155 s alone on a quiet one).
test-browser:
	$(GO) test -count=1 -timeout 30m ./internal/browsertest/

# Everything but the background lane of make test, one step after the
# other.
#
# ./playground/ is left out of the main run: test-race runs all of it, the
# same tests under the race detector, and running its real programs twice
# cost 27 of the first run's 157 CPU-seconds.
#
# go test starts packages in the order given, two at a time: the three
# long ones go first (root 84 s, playground/server 49 s, generator 54 s on
# a quiet machine), so that the small ones fill in beside them rather than
# the server's tests running alone at the end, as they did in list order.
SLOWPKGS := . ./playground/server/ ./generator/
test-rest:
	$(MAKE) vet cross
	$(GO) test -count=1 -timeout 10m $(SLOWPKGS) $$($(GO) list ./... | grep -vxE 'github.com/benchpress/benchpress(|/playground|/playground/server|/generator|/internal/browsertest)')
	$(MAKE) test-race-short fuzz-short

# The race detector: the playground whole (its runner and exec paths run real
# programs); the other concurrent packages without real compiles (-short),
# since a race-instrumented sandbox init cannot live in a snippet's memory cap.
# The longest packages are named first, as in test-rest (go list keeps the
# first of a package named twice).
test-race: test-race-playground test-race-short
test-race-playground:
	$(GO) test -race -count=1 -timeout 10m ./playground/
test-race-short:
	$(GO) test -race -short -count=1 -timeout 10m . ./generator/ ./generator/diagram/ ./generator/... ./devserver/ ./playground/server/

# Each fuzz target for a fixed number of inputs, a few seconds each on a
# 2-core machine (their committed seed corpora also run in every plain
# `go test`). A count, not a duration: with a duration, Go 1.26's fuzzing
# coordinator can fail a clean run with "context deadline exceeded" at the
# deadline (golang/go#75804, fixed in Go 1.27). For a long local run:
# make fuzz-short FUZZTIME=10m. Minimising a new interesting input is
# bounded too: by default Go spends up to a minute on each, which for the
# large example posts of FuzzPost was most of a run.
FUZZTIME ?=
FUZZMIN  ?= 200x
fuzzfor = $(if $(FUZZTIME),$(FUZZTIME),$(1)) -fuzzminimizetime $(FUZZMIN)
fuzz-short:
	$(GO) test -run '^$$' -fuzz '^FuzzPost$$' -fuzztime $(call fuzzfor,8000x) ./generator/
	$(GO) test -run '^$$' -fuzz '^FuzzParseFenceInfo$$' -fuzztime $(call fuzzfor,25000x) ./generator/
	$(GO) test -run '^$$' -fuzz '^FuzzNames$$' -fuzztime $(call fuzzfor,50000x) ./generator/content/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeEntry$$' -fuzztime $(call fuzzfor,80000x) ./playground/
	$(GO) test -run '^$$' -fuzz '^FuzzParseClaims$$' -fuzztime $(call fuzzfor,200000x) ./internal/benchstats/
	$(GO) test -run '^$$' -fuzz '^FuzzMergeEntry$$' -fuzztime $(call fuzzfor,3000x) ./playground/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(call fuzzfor,30000x) ./internal/plot/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(call fuzzfor,100000x) ./generator/config/
	$(GO) test -run '^$$' -fuzz '^FuzzTokens$$' -fuzztime $(call fuzzfor,100000x) ./generator/search/
	$(GO) test -run '^$$' -fuzz '^FuzzConvert$$' -fuzztime $(call fuzzfor,100000x) ./generator/mathml/
	$(GO) test -run '^$$' -fuzz '^FuzzMathMarkdown$$' -fuzztime $(call fuzzfor,20000x) ./generator/markdown/
	$(GO) test -run '^$$' -fuzz '^FuzzParseParams$$' -fuzztime $(call fuzzfor,30000x) ./generator/snippet/
	$(GO) test -run '^$$' -fuzz '^FuzzYAMLSourceErrors$$' -fuzztime $(call fuzzfor,20000x) ./generator/diag/

# What the tests need beyond Go (a browser, npm tools); installs only what is missing.
deps:
	./scripts/test-deps.sh

# The fast subset (no real compiles, no browser).
test-short:
	$(GO) test -short ./...

# go vet, staticcheck and deadcode -test (dead code outside tests), each
# printing nothing. The linters are pinned and come from the Go module
# proxy through go run (cached in GOMODCACHE after the first run).
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
DEADCODE    ?= golang.org/x/tools/cmd/deadcode@v0.52.0
vet:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@out=$$($(GO) run $(DEADCODE) -test ./...) && [ -z "$$out" ] || { echo "$$out"; echo "deadcode: unreachable functions (remove them, or use them)" >&2; exit 1; }

# The six platforms benchpress ships for. `cross` compiles every package
# for each and vets macOS and Windows (`vet` does Linux), so a Linux-only
# call cannot creep into a file every OS compiles. It compiles without
# linking: `go list -export` runs the compiler on every package, main
# packages included, and fails on a compile error as go build does, but
# links nothing; the two links per platform of `go build ./...` were 21
# of cross's 79 CPU-seconds, and `make dist` links the release binaries.
# CGO_ENABLED=0: no C cross-compiler is needed; and GOFLAGS is cleared for
# these builds, since a -race or -cover set there for the tests would ask
# for cgo or slow them.
PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
cross:
	@set -e; for p in $(PLATFORMS); do \
		echo "go compile $$p"; \
		GOFLAGS= CGO_ENABLED=0 GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) list -export -f '{{.Export}}' ./... >/dev/null; \
	done
	@set -e; for os in darwin windows; do \
		echo "go vet GOOS=$$os"; \
		GOFLAGS= CGO_ENABLED=0 GOOS=$$os $(GO) vet ./...; \
	done

# Release binaries for the six platforms in dist/, with the version stamped
# in (`benchpress version`; VERSION defaults to git describe) and their
# SHA256SUMS. -trimpath: no path of this machine in the binaries.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
dist:
	rm -rf dist && mkdir -p dist
	@set -e; for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
		out=dist/benchpress-$(VERSION)-$$os-$$arch$$ext; echo "$$out"; \
		GOFLAGS= CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath \
			-ldflags "-s -w -X main.version=$(VERSION)" -o $$out .; \
	done
	@# sha256sum on Linux; macOS ships shasum, which writes the same format.
	cd dist && if command -v sha256sum >/dev/null; then sha256sum benchpress-*; else shasum -a 256 benchpress-*; fi > SHA256SUMS

# Benchmarks: figures are printed, never asserted. Issue 34's ratios are
# printed again together at the end of the go test output (bench-inner.sh).
bench: build
	@out=$$(mktemp); trap 'rm -f "$$out" "$$out.rc"' EXIT; \
	{ $(GO) test -run '^$$' -bench . -benchtime 1x -count 1 -timeout 60m ./... 2>&1; echo $$? > "$$out.rc"; } | tee "$$out"; \
	./scripts/bench-inner.sh < "$$out"; exit "$$(cat "$$out.rc")"
	./scripts/bench-site.sh
	./scripts/bench-warm.sh

# First contentful paint of every page of the example site on a phone under
# Slow 3G (400 ms, ~50 KB/s) and 4x CPU throttling, in headless Chromium
# (a measurement, printed per page; see TestFirstPaint).
firstpaint:
	BENCHPRESS_FIRSTPAINT=1 $(GO) test -count=1 -timeout 20m -run '^TestFirstPaint$$' -v ./internal/browsertest/ | grep -E 'ms |first|slowest|ok|FAIL'

# Issue 34's figures alone, each a ratio to its floor measured side by side
# (median of paired ABBA ratios): serve's code edit to served page and
# `benchpress run` (floor: go build + run of the same program), a reader's
# Run through the playground server, the example site's cold build (floor:
# one batched go build + the benchmarks' own run time), then the table of
# all of them against their targets. `make bench` runs them too.
bench-edit:
	@out=$$(mktemp); trap 'rm -f "$$out" "$$out.rc"' EXIT; echo 0 > "$$out.rc"; \
	{ $(GO) test -run '^$$' -bench '^Benchmark(EditToPage|RunCommand|ColdExample)$$' -benchtime 1x -count 1 -timeout 60m . 2>&1 || echo 1 > "$$out.rc"; \
	  $(GO) test -run '^$$' -bench '^BenchmarkReaderRun$$' -benchtime 1x -count 1 -timeout 30m ./playground/server/ 2>&1 || echo 1 > "$$out.rc"; } | tee "$$out"; \
	./scripts/bench-inner.sh < "$$out"; exit "$$(cat "$$out.rc")"

# benchpress against Hugo on the same corpus (Hugo's figures only if hugo is on PATH).
bench-compare: build
	./scripts/bench-site.sh --compare

clean:
	rm -f $(BIN)
	rm -rf dist
	rm -rf public
