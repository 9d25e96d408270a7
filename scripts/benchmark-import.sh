#!/usr/bin/env bash
# Measures `cme import deletion-returns` against sqlite3's own `.import` of the
# same CSV into a bare table. Usage: scripts/benchmark-import.sh [ROWS] (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
# CME_BIN=PATH measures another build of cme (e.g. an earlier commit's) on the same data.
if [ -n "${CME_BIN:-}" ]; then
  bin=$CME_BIN
else
  swift build -c release --product cme >/dev/null
  bin=$(swift build -c release --show-bin-path)/cme
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$rows" "$dir/returns.csv" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(1)
letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
forenames = ["Olivia","Amelia","Isla","Noah","Oliver","George","Muhammad","Aisha","Jakub","Zuzanna","Tyrese","Hodan","Levi","Ruby"]
surnames = ["Smith","Jones","Patel","Khan","Ward","Kowalska","Hassan","Lovell","O'Brien","Okafor","Nowak","Begum"]
grounds = ["G"] * 35 + ["I"] * 25 + ["H"] * 10 + ["O"] * 10 + ["A"] * 10 + ["F"] * 10
with open(path, "w") as f:
    f.write("upn,surname,forename,date_of_birth,sex,address,postcode,school,deletion_date,ground,last_attended,parent_name,parent_address,emergency_phone,destination_address,destination_school,destination_start_date\n")
    for i in range(n):
        digits = "892" + f"{i:09d}"
        s = sum((k + 2) * int(c) for k, c in enumerate(digits))
        upn = letters[s % 23] + digits if random.random() < 0.7 else ""
        y = random.randint(2010, 2020); m = random.randint(1, 12); d = random.randint(1, 28)
        g = random.choice(grounds)
        dest = '"1 New Road, Leeds",Leeds Academy,2026-11-16' if g == "A" else ",,"
        f.write(f'{upn},{random.choice(surnames)}-{i},{random.choice(forenames)},{y}-{m:02d}-{d:02d},{random.choice("MF")},"{i % 200} High Street, Nottingham",NG{i % 25 + 1} {i % 9 + 1}AB,892/4001,2026-11-16,{g},2026-10-01,Parent {i},,07700 900{i % 1000:03d},{dest}\n')
PY
echo "cme import benchmark: $rows rows on $(nproc) cores, SQLite $(sqlite3 --version | cut -d' ' -f1)"
/usr/bin/time -f "%e s wall, %U s user, %M KB peak  sqlite3 .import into a bare table" sqlite3 "$dir/bare.sqlite" ".mode csv" ".import $dir/returns.csv returns"
export CME_DB="$dir/register.sqlite" CME_USER=importer
# The rows are dated up to 2026-11-16: the test harness fixes "today" to match (for scripts and tests only).
export CME_TEST_MODE=1 CME_TEST_TODAY=2026-11-16
"$bin" init --admin bench >/dev/null
"$bin" user add importer --role caseworker --user bench >/dev/null
/usr/bin/time -f "%e s wall, %U s user, %M KB peak  cme import deletion-returns (validation, matching, cases, audit)" \
  "$bin" import deletion-returns "$dir/returns.csv" >/dev/null
/usr/bin/time -f "%e s wall, %U s user, %M KB peak  cme audit verify" "$bin" audit verify
