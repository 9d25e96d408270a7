#!/usr/bin/env bash
# Runs the browser and accessibility tests of `cme serve` (Tests/browser):
# Debian's Chromium driven by Playwright, axe-core for WCAG 2.2 AA, on a
# demo register of 300 children served on a free loopback port.
# Installs what is missing first (see scripts/browser-setup.sh).
# CME_BIN names the cme binary (default .build/debug/cme, built if absent).
# Extra arguments go to pytest, e.g. scripts/browser-tests.sh -k board
# Exit code: pytest's.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/browser-setup.sh
browser_setup || exit 1
PYTHONDONTWRITEBYTECODE=1 python3 -m pytest -q -p no:cacheprovider Tests/browser "$@"
