# benchpress: the two commands are `make serve` and `make test`.
GO      ?= go
BIN     := ./benchpress
SHARED  ?= ../shared

.PHONY: all build site serve test test-short deps bench bench-compare vet clean

all: build

build:
	$(GO) build -o $(BIN) .

# Build the example site into public/.
site: build
	$(BIN) build

# Build the example site and serve it with live reload on http://127.0.0.1:1313/.
serve: build
	$(BIN) serve

# Every test, including the sandbox and browser suites. CI runs exactly this.
test: deps vet
	$(GO) test -count=1 -timeout 10m ./...

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
