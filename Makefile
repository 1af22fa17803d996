# gatelint — see README.md. Needs only Go.
GO      ?= go
BIN     ?= bin/gatelint
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/gatelint/gatelint/internal/cli.Version=$(VERSION)

.PHONY: all build demo test vet fuzz bench corpus clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/gatelint

# The main job on the shipped example. gatelint exits 1 because the demo
# has findings; that is the point of the demo, not a failure of make.
demo: build
	@echo '$$ gatelint check fixtures/demo'
	@./$(BIN) check fixtures/demo; code=$$?; [ $$code -le 1 ] || exit $$code

test:
	$(GO) vet ./...
	$(GO) test ./...

# Short fuzz runs of every parser: templates, config, parameter files (longer: make fuzz FUZZTIME=10m).
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./internal/template/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/config/
	$(GO) test -run '^$$' -fuzz '^FuzzParseFile$$' -fuzztime $(FUZZTIME) ./internal/params/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/baseline/

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/check/

# The whole corpus in ../shared, with the summary table.
corpus:
	$(GO) test -run TestCorpus -v ./internal/check/

clean:
	rm -rf bin
