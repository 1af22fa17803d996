#!/usr/bin/env bash
# The handler-code scan over ../shared/corpus-code beside ruff's S113 and
# bandit on the same Python files (docs/handler-code.md records a run).
# Needs Node with npm (ruff's WebAssembly build is installed into a
# temporary directory) and Debian's bandit (apt-get install bandit).
set -euo pipefail
cd "$(dirname "$0")/../.."
GATELINT=${GATELINT:-bin/gatelint}
list=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$list" "$work"' EXIT
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
GATELINT_CODE_SPEED=$list go test -count=1 -run '^TestSpeedCorpus$' -v ./internal/source/code/ | grep -E 'files, .* MB/s'
start=$(date +%s.%N)
"$GATELINT" check ../shared/corpus-code -q --fail-on never >/dev/null 2>&1 || true
end=$(date +%s.%N)
echo "gatelint check ../shared/corpus-code (templates and the code of every function behind an integration, one process): $(echo "$end - $start" | bc) s"
if command -v npm >/dev/null && (cd "$work" && npm init -y >/dev/null && npm install --silent @astral-sh/ruff-wasm-nodejs >/dev/null 2>&1); then
  cp tools/codebench/ruff-s113.mjs "$work/"
  node "$work/ruff-s113.mjs" "$list"
else
  echo "ruff: @astral-sh/ruff-wasm-nodejs could not be installed"
fi
if command -v bandit >/dev/null; then
  probe=$(bandit -t B113 "$(head -1 "$list")" 2>&1 || true)
  if [[ $probe == *"Unknown test"* ]]; then
    echo "bandit $(bandit --version 2>/dev/null | head -1 | cut -d' ' -f2) has no B113 (added in 1.7.5): timing -t B310 (urllib_urlopen, a call test of the same cost) and every test instead"
    for t in B310 ""; do
      start=$(date +%s.%N)
      n=$(xargs -a "$list" -d '\n' bandit -q -f csv ${t:+-t $t} 2>/dev/null | tail -n +2 | wc -l || true)
      end=$(date +%s.%N)
      echo "bandit ${t:-all tests}: $(wc -l <"$list") files, $n findings, $(echo "$end - $start" | bc) s"
    done
  else
    start=$(date +%s.%N)
    n=$(xargs -a "$list" -d '\n' bandit -q -f csv -t B113 2>/dev/null | tail -n +2 | wc -l || true)
    end=$(date +%s.%N)
    echo "bandit B113: $(wc -l <"$list") files, $n findings, $(echo "$end - $start" | bc) s"
  fi
else
  echo "bandit: not installed (apt-get install bandit)"
fi
