# benchpress: the two commands are `make serve` and `make test`.
GO      ?= go
BIN     := ./benchpress
SHARED  ?= ../shared

.PHONY: all build site serve test test-short test-race fuzz-short deps bench bench-compare vet clean

all: build

build:
	$(GO) build -o $(BIN) .

# Build the example site into public/.
site: build
	$(BIN) build

# Build the example site and serve it with live reload on http://127.0.0.1:1313/.
serve: build
	$(BIN) serve

# Every test, including the sandbox and browser suites, the race detector
# where goroutines meet, and a short run of every fuzz target. CI runs
# exactly this.
test: deps vet
	$(GO) test -count=1 -timeout 10m ./...
	$(MAKE) test-race fuzz-short

# The race detector: the playground whole (its runner and exec paths run real
# programs); the other concurrent packages without real compiles (-short),
# since a race-instrumented sandbox init cannot live in a snippet's memory cap.
test-race:
	$(GO) test -race -count=1 -timeout 10m ./playground/
	$(GO) test -race -short -count=1 -timeout 10m ./generator/... ./devserver/ ./playground/server/ .

# Each fuzz target for FUZZTIME (its committed seed corpus also runs in every
# plain `go test`). For a long local run: make fuzz-short FUZZTIME=10m
FUZZTIME ?= 10s
fuzz-short:
	$(GO) test -run '^$$' -fuzz '^FuzzPost$$' -fuzztime $(FUZZTIME) ./generator/
	$(GO) test -run '^$$' -fuzz '^FuzzParseFenceInfo$$' -fuzztime $(FUZZTIME) ./generator/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeEntry$$' -fuzztime $(FUZZTIME) ./playground/
	$(GO) test -run '^$$' -fuzz '^FuzzParseClaims$$' -fuzztime $(FUZZTIME) ./internal/benchstats/
	$(GO) test -run '^$$' -fuzz '^FuzzMergeEntry$$' -fuzztime $(FUZZTIME) ./playground/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/plot/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./generator/config/

# What the tests need beyond Go (a browser, npm tools); installs only what is missing.
deps:
	./scripts/test-deps.sh

# The fast subset (no real compiles, no browser).
test-short:
	$(GO) test -short ./...

vet:
	$(GO) vet ./...

# Benchmarks: figures are printed, never asserted.
bench: build
	$(GO) test -run '^$$' -bench . -benchtime 1x -count 1 ./...
	./scripts/bench-site.sh
	./scripts/bench-warm.sh

# benchpress against Hugo on the same corpus (Hugo's figures only if hugo is on PATH).
bench-compare: build
	./scripts/bench-site.sh --compare

clean:
	rm -f $(BIN)
	rm -rf public
