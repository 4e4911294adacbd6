#!/usr/bin/env bash
# Times `ds_tools describe` against pandas (`read_csv` + `describe()`) on a generated
# 1,000,000-row, 8-column CSV (6 numeric columns, 2 text columns, missing values written `NA`).
#
#   benches/describe_vs_pandas.sh            # 1,000,000 rows, 5 runs each
#   ROWS=100000 RUNS=3 PYTHON=python3 benches/describe_vs_pandas.sh
#
# Needs python with pandas (`pip install pandas`). Prints medians in seconds, wall clock and CPU
# (user + sys; steadier than wall clock on a busy machine):
#   ds_tools (process)   the release binary, whole process (what `cargo run --release` runs)
#   pandas (in-process)  read_csv + describe() inside one python process (no startup, no import)
#   pandas (process)     `python -c "import pandas; read_csv; describe()"`, whole process
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-5}
PYTHON=${PYTHON:-python3}
DIR=target/bench-data
FILE=$DIR/describe_${ROWS}.csv

"$PYTHON" -c "import pandas" 2>/dev/null || { echo "error: $PYTHON cannot import pandas (pip install pandas)" >&2; exit 1; }
mkdir -p "$DIR"
if [ ! -s "$FILE" ]; then
    echo "generating $FILE ($ROWS rows x 8 columns)..."
    "$PYTHON" benches/describe_vs_pandas.py gen "$FILE" "$ROWS"
fi
cargo build --release --example ds_tools -q
BIN=target/release/examples/ds_tools

# Median of column $1 of stdin.
median() { awk -v c="$1" '{ print $c }' | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# Prints "wall cpu" seconds (cpu = user + sys of the process and its children) of one run.
measure() {
    local t
    t=$( { TIMEFORMAT='%R %U %S'; time "$@" > /dev/null 2>&1; } 2>&1 )
    echo "$t" | awk '{ printf "%s %.3f\n", $1, $2 + $3 }'
}
runs() { for _ in $(seq "$RUNS"); do measure "$@"; done; }

echo "file: $FILE ($(du -h "$FILE" | cut -f1)), $RUNS runs each, medians in seconds"
"$BIN" describe "$FILE" > /dev/null  # warm the page cache
ds=$(runs "$BIN" describe "$FILE")
cargo_run=$(runs cargo run -q --release --example ds_tools -- describe "$FILE")
pd_in=$("$PYTHON" benches/describe_vs_pandas.py time "$FILE" "$RUNS")
pd_proc=$(runs "$PYTHON" -c "import sys, pandas; pandas.read_csv(sys.argv[1]).describe()" "$FILE")
printf '%-36s %8s %8s\n' "" "wall" "cpu"
row() { printf '%-36s %8.3f %8.3f\n' "$1" "$2" "$3"; }
row "ds_tools describe (process)" "$(echo "$ds" | median 1)" "$(echo "$ds" | median 2)"
row "cargo run --release ... describe" "$(echo "$cargo_run" | median 1)" "$(echo "$cargo_run" | median 2)"
row "pandas read_csv+describe (in-proc)" "$(echo "$pd_in" | cut -d' ' -f1)" "$(echo "$pd_in" | cut -d' ' -f2)"
row "pandas (process, incl. import)" "$(echo "$pd_proc" | median 1)" "$(echo "$pd_proc" | median 2)"
echo "ds_tools output:"
"$BIN" describe "$FILE"
