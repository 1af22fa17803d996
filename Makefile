# gatelint — see README.md. Needs only Go.
GO      ?= go
BIN     ?= bin/gatelint
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/gatelint/gatelint/internal/cli.Version=$(VERSION)

.PHONY: all build demo demo-report test vet fuzz bench bench-logs bench-fnlogs bench-walk bench-code bench-sls corpus race clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/gatelint

# The main job on the shipped example. gatelint exits 1 because the demo
# has findings; that is the point of the demo, not a failure of make.
demo: build
	@echo '$$ gatelint check fixtures/demo --logs fixtures/demo/logs'
	@./$(BIN) check fixtures/demo --logs fixtures/demo/logs; code=$$?; [ $$code -le 1 ] || exit $$code
	@echo
	@echo '$$ gatelint check fixtures/terraform'
	@./$(BIN) check fixtures/terraform; code=$$?; [ $$code -le 1 ] || exit $$code
	@echo
	@echo '$$ gatelint check fixtures/serverless/demo'
	@./$(BIN) check fixtures/serverless/demo; code=$$?; [ $$code -le 1 ] || exit $$code

# The demo's HTML report and its screenshot, shown in the README. Needs
# Chromium (Debian: apt-get install chromium; or CHROMIUM=/path/to/chrome).
CHROMIUM ?= chromium
demo-report: build
	@mkdir -p docs
	@./$(BIN) check fixtures/demo --logs fixtures/demo/logs --format html -o docs/demo-report.html; code=$$?; [ $$code -le 1 ] || exit $$code
	@rm -f docs/demo-report.png
	@profile=$$(mktemp -d) && trap 'rm -rf "$$profile"' EXIT && \
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --disable-quic --hide-scrollbars --user-data-dir="$$profile" \
		--window-size=1100,1900 --screenshot=docs/demo-report.png "file://$(CURDIR)/docs/demo-report.html" >/dev/null 2>&1; \
	test -s docs/demo-report.png || { echo "no screenshot: is $(CHROMIUM) installed?" >&2; exit 1; }
	@echo "wrote docs/demo-report.html and docs/demo-report.png"

test:
	$(GO) vet ./...
	$(GO) test ./...

# Short fuzz runs of every parser: templates, config, parameter files, access and function logs, CDK app sources, Serverless variables and services (longer: make fuzz FUZZTIME=10m).
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./internal/source/cfn/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/config/
	$(GO) test -run '^$$' -fuzz '^FuzzParseParamsFile$$' -fuzztime $(FUZZTIME) ./internal/source/cfn/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/source/samconfig/
	$(GO) test -run '^$$' -fuzz '^FuzzContainers$$' -fuzztime $(FUZZTIME) ./internal/source/logs/
	$(GO) test -run '^$$' -fuzz '^FuzzSplitCSV$$' -fuzztime $(FUZZTIME) ./internal/source/logs/
	$(GO) test -run '^$$' -fuzz '^FuzzJSON$$' -fuzztime $(FUZZTIME) ./internal/source/yamlpos/
	$(GO) test -run '^$$' -fuzz '^FuzzScan$$' -fuzztime $(FUZZTIME) ./internal/source/accesslog/
	$(GO) test -run '^$$' -fuzz '^FuzzJSONLine$$' -fuzztime $(FUZZTIME) ./internal/source/accesslog/
	$(GO) test -run '^$$' -fuzz '^FuzzKind$$' -fuzztime $(FUZZTIME) ./internal/source/functionlog/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/source/functionlog/lambdalog/
	$(GO) test -run '^$$' -fuzz '^FuzzStitch$$' -fuzztime $(FUZZTIME) ./internal/source/functionlog/lambdalog/
	$(GO) test -run '^$$' -fuzz '^FuzzFormat$$' -fuzztime $(FUZZTIME) ./internal/source/accesslog/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/baseline/
	$(GO) test -run '^$$' -fuzz '^FuzzEditDiff$$' -fuzztime $(FUZZTIME) ./internal/report/
	$(GO) test -run '^$$' -fuzz '^FuzzHTMLEscapes$$' -fuzztime $(FUZZTIME) ./internal/report/
	$(GO) test -run '^$$' -fuzz '^FuzzMatchesHTMLTemplate$$' -fuzztime $(FUZZTIME) ./internal/htmlesc/
	$(GO) test -run '^$$' -fuzz '^FuzzFormat$$' -fuzztime $(FUZZTIME) ./internal/source/live/
	$(GO) test -run '^$$' -fuzz '^FuzzIntegrationURI$$' -fuzztime $(FUZZTIME) ./internal/source/live/
	$(GO) test -run '^$$' -fuzz '^FuzzSource$$' -fuzztime $(FUZZTIME) ./internal/source/cdk/
	$(GO) test -run '^$$' -fuzz '^FuzzFrame$$' -fuzztime $(FUZZTIME) ./internal/source/cdk/
	$(GO) test -run '^$$' -fuzz '^FuzzSourceMap$$' -fuzztime $(FUZZTIME) ./internal/source/cdk/
	$(GO) test -run '^$$' -fuzz '^FuzzStrings$$' -fuzztime $(FUZZTIME) ./internal/source/cdk/
	$(GO) test -run '^$$' -fuzz '^FuzzRead$$' -fuzztime $(FUZZTIME) ./internal/source/cdk/
	$(GO) test -run '^$$' -fuzz '^FuzzRead$$' -fuzztime $(FUZZTIME) ./internal/source/terraform/
	$(GO) test -run '^$$' -fuzz '^FuzzPython$$' -fuzztime $(FUZZTIME) ./internal/source/code/
	$(GO) test -run '^$$' -fuzz '^FuzzJS$$' -fuzztime $(FUZZTIME) ./internal/source/code/
	$(GO) test -run '^$$' -fuzz '^FuzzGo$$' -fuzztime $(FUZZTIME) ./internal/source/code/
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./internal/source/terraform/hclconfig/
	$(GO) test -run '^$$' -fuzz '^FuzzLoadJSON$$' -fuzztime $(FUZZTIME) ./internal/source/terraform/hclconfig/
	$(GO) test -run '^$$' -fuzz '^FuzzEvaluator$$' -fuzztime $(FUZZTIME) ./internal/source/terraform/hclconfig/
	$(GO) test -run '^$$' -fuzz '^FuzzResolve$$' -fuzztime $(FUZZTIME) ./internal/source/serverless/vars/
	$(GO) test -run '^$$' -fuzz '^FuzzRead$$' -fuzztime $(FUZZTIME) ./internal/source/serverless/

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/driver/ ./internal/source/accesslog/

# The access-log scan beside grep, jq and zcat on a generated 1M-line log
# (about 300 MB in $$TMPDIR; needs jq).
bench-logs: build
	GATELINT=$(BIN) fixtures/loggen/compare.sh

# A walk over a template beside a generated data file of 30, 100 and 300
# MB: time and peak memory (needs GNU time; writes 300 MB in $$TMPDIR;
# BEFORE=path/to/old/gatelint measures it too).
bench-walk: build
	GATELINT=$(BIN) fixtures/bigwalk/bench.sh

# The function-log scan beside grep -c REPORT and zcat on a generated 1 GB
# Lambda function log and its gzip, with peak memory at two sizes (about
# 1.6 GB in $$TMPDIR).
bench-fnlogs: build
	GATELINT=$(BIN) fixtures/fnloggen/bench.sh

# The handler-code scan over ../shared/corpus-code beside ruff's S113
# (WebAssembly build from npm) and bandit (Debian's package), on the same
# Python files (docs/handler-code.md).
bench-code: build
	GATELINT=$(BIN) tools/codebench/compare.sh

# gatelint over every Serverless project of ../shared/corpus-sls in one
# process, beside the real `serverless package` on those that package
# offline without plugins (time per project, best of 3), and the ratio
# (needs npm ci in fixtures/serverless and GNU time; docs/serverless-speed.md).
bench-sls: build
	GATELINT=$(BIN) fixtures/serverless/bench.sh

# The whole corpus in ../shared (CloudFormation, Terraform and Serverless), with the summary tables.
corpus:
	$(GO) test -run 'TestCorpus|TestCorpusTerraform|TestCorpusServerless' -v ./internal/driver/

# The race detector over the packages that run goroutines: the live
# audit, the log container and readers, the driver. It needs cgo (a C
# compiler), which CI has; make test does not need it.
race:
	$(GO) test -race ./internal/source/live/... ./internal/source/logs/ ./internal/source/accesslog/ ./internal/source/functionlog/ ./internal/driver/ ./internal/parallel/

clean:
	rm -rf bin
