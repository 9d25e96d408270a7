#!/usr/bin/env bash
# Saves PNG screenshots of `cme serve`'s main pages to docs/screenshots/:
# sign-in, my work, find results, a case, an error summary, my work at
# 320 px, register check, a board meeting and the users page, from a demo
# register served on a free loopback port (nothing is kept but the PNGs).
# Installs what is missing first (see scripts/browser-setup.sh).
# CME_BIN names the cme binary (default .build/debug/cme, built if absent).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/browser-setup.sh
browser_setup || exit 1
PYTHONDONTWRITEBYTECODE=1 python3 scripts/screenshots.py
