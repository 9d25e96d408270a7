#!/usr/bin/env bash
# Measures `cme demo` at scale and the everyday commands on the result.
# Usage: scripts/benchmark.sh [CHILDREN]   (default 1000000)
# Writes the register under a temporary folder and removes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
children=${1:-1000000}
# CME_BIN=PATH measures another build of cme (e.g. an earlier commit's) on the same data.
if [ -n "${CME_BIN:-}" ]; then
  bin=$CME_BIN
else
  swift build -c release --product cme >/dev/null
  bin=$(swift build -c release --show-bin-path)/cme
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export CME_DB="$dir/register.sqlite" CME_USER=bench
# The demo is as of 2026-11-16: the test harness fixes "today" to match (for scripts and tests only).
export CME_TEST_MODE=1 CME_TEST_TODAY=2026-11-16
timed() { /usr/bin/time -f "%e s wall, %U s user, %M KB peak  cme $*" "$bin" "$@" >/dev/null; }
echo "cme benchmark: $children children on $(nproc) cores, $(sqlite3 --version | cut -d' ' -f1) SQLite"
timed demo --children "$children" --as-of 2026-11-16 --no-passwords
ls -l "$CME_DB" | awk '{printf "register file: %.0f MB\n", $5 / 1048576}'
timed audit verify
timed register check
timed register cycle status
timed case list --status open --rag red --limit 50
timed child find ward tommy
