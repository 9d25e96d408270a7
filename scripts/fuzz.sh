#!/usr/bin/env bash
# Fuzzes the readers of imported files with libFuzzer: builds the targets of
# Fuzz/ (the CSV reader, the deletion-return and new-pupil-return readers,
# the CTF reader) and runs each for SECONDS (default 30) from its committed
# seed corpus. Fails if any target crashes, traps, takes longer than 10 s on
# one input, or refuses an input without a place and words; the input is
# left in Fuzz/artifacts/. Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$SECONDS

# libFuzzer's driver comes with -sanitize=fuzzer; lld links it (gold cannot).
echo "building the fuzz targets (Fuzz/, release, -sanitize=fuzzer)"
if ! swift build --package-path Fuzz -c release \
  -Xswiftc -sanitize=fuzzer -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld >"$work/build.log" 2>&1; then
  cat "$work/build.log"
  exit 1
fi
bin=$(swift build --package-path Fuzz -c release --show-bin-path)
mkdir -p Fuzz/artifacts
# Let libFuzzer, not the Swift runtime's backtracer, catch a trap and keep the input.
export SWIFT_BACKTRACE=enable=no

failed=()
for target in csv:csv deletion-returns:csv new-pupils:csv ctf:ctf; do
  name=${target%%:*}
  dict=${target##*:}
  mkdir -p "$work/$name"
  echo "fuzz-$name: ${seconds}s"
  # New inputs go to the scratch corpus (first); the committed seeds are only read.
  if "$bin/fuzz-$name" "$work/$name" "Fuzz/Corpus/$name" -dict="Fuzz/Dictionaries/$dict.dict" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -artifact_prefix="Fuzz/artifacts/$name-" -print_final_stats=1 >"$work/$name.log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|new_units_added)' "$work/$name.log" | sed 's/^/  /'
  else
    failed+=("$name")
    tail -n 40 "$work/$name.log"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}; the inputs are in Fuzz/artifacts/ (replay: $bin/fuzz-NAME FILE)"
  exit 1
fi
echo "no crash, hang or wordless refusal in ${seconds}s per target ($((SECONDS - started))s in all)"
