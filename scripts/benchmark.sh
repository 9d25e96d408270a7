#!/usr/bin/env bash
# cme against its floor: each everyday workload on a demo register of CHILDREN
# children, and an import of IMPORT_ROWS deletion-return rows, each beside the
# same rows or aggregates produced by sqlite3 alone in the same run.
# Usage: scripts/benchmark.sh [CHILDREN] [IMPORT_ROWS]   (defaults 1000000 and CHILDREN / 10)
# Prints a Markdown table (progress on stderr); the files are made in a
# temporary folder and removed afterwards. Needs sqlite3 and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
children=${1:-1000000}
import_rows=${2:-$((children / 10))}
# CME_BIN=PATH measures another build of cme (e.g. an earlier commit's) on the same data.
# CME_BENCH_REGISTER=FILE starts from a copy of a demo register of CHILDREN made
# before, instead of making one (the demo's own row is then left out); with
# CME_BENCH_TODAY=YYYY-MM-DD (the day it was made as of) and CME_BENCH_USER=NAME
# (a manager who is also its admin) when it was not made by this script.
# The build links Swift's libraries statically, as a deployment would: a
# command starts 5 ms sooner than with them loaded as shared libraries.
if [ -n "${CME_BIN:-}" ]; then
  bin=$CME_BIN
else
  swift build -c release --product cme --static-swift-stdlib >/dev/null
  bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/cme
fi
exec python3 scripts/benchmark.py "$bin" "$children" "$import_rows" schema.sql
