#!/usr/bin/env bash
# Saves the pages of Part A of a board pack, printed to A4 by headless
# Chromium, as PNG images in docs/screenshots/pack-part-a-N.png, from a
# demo register of CHILDREN children (default 20,000) in a temporary
# folder (nothing is kept but the images). Prints how many pages Part A has.
# Needs Chromium and poppler-utils (apt-get install chromium poppler-utils).
# CME_BIN names the cme binary (default .build/release/cme, built if absent).
set -euo pipefail
cd "$(dirname "$0")/.."
children="${1:-20000}"
for tool in chromium pdftoppm pdfinfo; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install chromium poppler-utils)" >&2; exit 1; }
done
cme="${CME_BIN:-.build/release/cme}"
[ -x "$cme" ] || swift build -c release --product cme >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CME_DB="$work/register.sqlite"
today="$(date +%F)"
"$cme" demo --children "$children" --as-of "$today" --no-passwords >/dev/null
"$cme" board meeting create --date "$today" --chair "Service Director" --attendee "Head of Inclusion" >/dev/null
"$cme" board pack 1 --part a --format pdf --out "$work/part-a.pdf" >/dev/null
pages="$(pdfinfo "$work/part-a.pdf" | awk '/^Pages:/ {print $2}')"
rm -f docs/screenshots/pack-part-a-*.png
pdftoppm -png -scale-to 900 "$work/part-a.pdf" "$work/page"
n=0
for f in "$work"/page-*.png; do
  n=$((n + 1))
  cp "$f" "docs/screenshots/pack-part-a-$n.png"
done
echo "Part A of the pack for a ${children}-child demo register: ${pages} A4 pages, saved as docs/screenshots/pack-part-a-1..${n}.png"
