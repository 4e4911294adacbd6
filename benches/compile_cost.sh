#!/usr/bin/env bash
# Compile cost of `#[sync_facade]`: builds a generated crate of 500 annotated `async fn`s and the
# same crate without the attribute, after warming the dependencies, and prints both times and the
# ratio (target: < 1.5x). For reference it also builds the crate with the blocking twins written
# by hand against the public API (`sync_facade::block_on`, `Call::block_on`).
#
#   benches/compile_cost.sh            # 500 functions, debug build
#   N=2000 PROFILE=release benches/compile_cost.sh
#   RUNS=9 VARIANTS="plain annotated" benches/compile_cost.sh   # skip the slow hand-written crate
#   VERBOSE=1 benches/compile_cost.sh                            # also print every build's times
#   IR=1 VARIANTS="plain annotated" benches/compile_cost.sh      # instructions instead (valgrind)
#   BODY=long benches/compile_cost.sh                            # ~110-token bodies, not one line
#
# IR=1 counts the instructions rustc executes to build each crate (valgrind's cachegrind, one
# build each, a minute or two per crate): unlike a time, that count does not move with the load
# of the machine, so it shows small differences that timings on a noisy machine cannot.
#
# Not a test: it takes a minute or two. Everything is written under a temp dir.
set -euo pipefail

N=${N:-500}
PROFILE=${PROFILE:-dev}
WORKSPACE=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sync-facade-compile-cost.XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$TMP"' EXIT; else echo "keeping $TMP"; fi
export CARGO_TARGET_DIR="$TMP/target"

# One crate per variant, in one workspace (shared lock file and target dir, so both use the same
# dependency builds).
cat > "$TMP/Cargo.toml" <<TOML
[workspace]
members = ["annotated", "plain", "manual"]
resolver = "2"
TOML
for variant in annotated plain manual; do
    mkdir -p "$TMP/$variant/src"
    cat > "$TMP/$variant/Cargo.toml" <<TOML
[package]
name = "cc-$variant"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
sync-facade = { path = "$WORKSPACE" }
TOML
    echo "// warm-up" > "$TMP/$variant/src/lib.rs"
done
cp "$WORKSPACE/Cargo.lock" "$TMP/Cargo.lock" 2>/dev/null || true

# BODY=long: each function body starts with ~110 tokens of ordinary code (a loop, a match on
# characters, an iterator chain) instead of nothing, closer to real async functions.
LONG='let mut acc = 0u64; for (j, c) in b.chars().enumerate() { if c.is_ascii_digit() { acc += (c as u64 - 48) * j as u64; } else if c == '"','"' { acc = acc.wrapping_mul(31); } else { acc ^= c as u64; } } let v: Vec<u64> = (0..acc % 7).map(|x| x * 2 + 1).filter(|x| x % 3 != 0).collect(); let _ = v.iter().sum::<u64>();'
generate() { # $1 = variant
    local attr i pre="" pre3=""
    # The third shape has no `b`: its long body borrows one from `t`.
    [ "${BODY:-}" = long ] && pre="$LONG" && pre3="let b = t.as_ref(); $LONG"
    {
        echo "#![allow(dead_code, clippy::all)]"
        echo "#[allow(unused_imports)] use sync_facade::sync_facade;"
        echo "async fn tick() {}"
        echo "pub struct Store { rows: Vec<u32> }"
        for ((i = 0; i < N; i++)); do
            case $((i % 4)) in
                0) attr="#[sync_facade]" ;;
                1) attr="#[sync_facade(timeout = 30)]" ;;
                2) attr="#[sync_facade(timeout = \"250ms\", flatten)]" ;;
                3) attr="#[sync_facade(strategy = direct)]" ;;
            esac
            [ "$1" = annotated ] || attr=""
            echo "/// Function number $i."
            echo "$attr"
            case $((i % 4)) in
                2) echo "pub async fn f$i<'a>(a: u32, b: &'a str) -> std::io::Result<&'a str> { $pre tick().await; let _ = a + $i; Ok(b) }" ;;
                3) echo "pub async fn f$i<T: AsRef<str> + Send>(t: T, (x, y): (u32, u32)) -> usize { $pre3 tick().await; t.as_ref().len() + (x + y) as usize }" ;;
                *) echo "pub async fn f$i(a: u32, b: &str) -> u32 { $pre tick().await; a + b.len() as u32 + $i }" ;;
            esac
            # `manual`: the blocking twins a user would write by hand with the public API.
            if [ "$1" = manual ]; then case $((i % 4)) in
                0) echo "pub fn blocking_f$i(a: u32, b: &str) -> Result<u32, sync_facade::Error> { sync_facade::block_on(f$i(a, b)) }" ;;
                1) echo "pub fn blocking_f$i(a: u32, b: &str) -> Result<u32, sync_facade::Error> { sync_facade::Call::new(\"f$i\").timeout(std::time::Duration::from_secs(30)).block_on(f$i(a, b)) }" ;;
                2) echo "pub fn blocking_f$i<'a>(a: u32, b: &'a str) -> std::io::Result<&'a str> { sync_facade::Call::new(\"f$i\").timeout(std::time::Duration::from_millis(250)).block_on(f$i(a, b))? }" ;;
                3) echo "pub fn blocking_f$i<T: AsRef<str> + Send>(t: T, xy: (u32, u32)) -> Result<usize, sync_facade::Error> { sync_facade::Call::new(\"f$i\").strategy(sync_facade::Strategy::Direct).block_on(f$i(t, xy)) }" ;;
            esac; fi
        done
    } > "$TMP/$1/src/lib.rs"
}

now() { date +%s.%N; }

echo "warming dependencies ($PROFILE)..."
cargo build --quiet --profile "$PROFILE" --manifest-path "$TMP/Cargo.toml" --workspace

VARIANTS=${VARIANTS:-plain annotated manual}
if [ -n "${IR:-}" ]; then
    command -v valgrind >/dev/null || { echo "IR=1 needs valgrind" >&2; exit 2; }
    # A RUSTC_WRAPPER that runs rustc under cachegrind for the bench crates only.
    cat > "$TMP/cachegrind.sh" <<'WRAPPER'
#!/usr/bin/env bash
if [[ " $* " == *" --crate-name cc_"* ]]; then
    exec valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null --log-file="$IR_LOG" "$@"
fi
exec "$@"
WRAPPER
    chmod +x "$TMP/cachegrind.sh"
    declare -A ir
    for variant in $VARIANTS; do
        generate "$variant"
        cargo clean --quiet --profile "$PROFILE" --manifest-path "$TMP/Cargo.toml" -p "cc-$variant"
        IR_LOG="$TMP/ir-$variant.log" RUSTC_WRAPPER="$TMP/cachegrind.sh" \
            cargo build --quiet --profile "$PROFILE" --manifest-path "$TMP/Cargo.toml" -p "cc-$variant"
        ir[$variant]=$(grep -o 'I *refs: *[0-9,]*' "$TMP/ir-$variant.log" | tr -d ', ' | cut -d: -f2)
    done
    printf 'functions: %d (%s profile, %s bodies), instructions rustc executes for the crate\n' "$N" "$PROFILE" "${BODY:-short}"
    for variant in $VARIANTS; do
        printf '%-12s %8d M   %.2fx\n' "$variant" $((ir[$variant] / 1000000)) "$(awk -v a="${ir[$variant]}" -v b="${ir[plain]:-${ir[$variant]}}" 'BEGIN { print a / b }')"
    done
    exit 0
fi

# Each variant is built RUNS times from scratch (`cargo clean -p` first), the variants taking turns
# within each round so that a slow spell of the machine hits all of them alike; the fastest build
# of each counts, which filters out noise from other processes, and the median is shown too.
# Wall-clock and CPU (user + sys) times are both reported: on a busy machine the CPU time is the
# steadier figure.
RUNS=${RUNS:-5}
declare -A walls cpus
for variant in $VARIANTS; do generate "$variant"; done
TIMEFORMAT='%U %S'
for ((run = 0; run < RUNS; run++)); do
    for variant in $VARIANTS; do
        cargo clean --quiet --profile "$PROFILE" --manifest-path "$TMP/Cargo.toml" -p "cc-$variant"
        start=$(now)
        used=$( { time cargo build --quiet --profile "$PROFILE" --manifest-path "$TMP/Cargo.toml" -p "cc-$variant" 2>&3; } 3>&2 2>&1 )
        took=$(awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }')
        walls[$variant]+="$took "
        cpus[$variant]+="$(echo "$used" | awk '{ print $1 + $2 }') "
    done
done
# best / median of a list of numbers
best() { tr ' ' '\n' <<<"$1" | grep . | sort -g | head -1; }
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A wall cpu wall_med cpu_med
for variant in $VARIANTS; do
    wall[$variant]=$(best "${walls[$variant]}"); cpu[$variant]=$(best "${cpus[$variant]}")
    wall_med[$variant]=$(median "${walls[$variant]}"); cpu_med[$variant]=$(median "${cpus[$variant]}")
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
row() { printf '%-24s %9.2fs %9.2fs %9.2fs %9.2fs\n' "$1" "${wall[$2]}" "${cpu[$2]}" "${wall_med[$2]}" "${cpu_med[$2]}"; }
ratios() {
    printf '%-24s %10s %10s %10s %10s\n' "$1" "$(ratio "${wall[$2]}" "${wall[$3]}")" "$(ratio "${cpu[$2]}" "${cpu[$3]}")" \
        "$(ratio "${wall_med[$2]}" "${wall_med[$3]}")" "$(ratio "${cpu_med[$2]}" "${cpu_med[$3]}")"
}
printf 'functions: %d (%s profile, %s bodies, %d builds of each, taking turns)\n' "$N" "$PROFILE" "${BODY:-short}" "$RUNS"
printf '%-24s %10s %10s %10s %10s\n' "" "best wall" "best cpu" "med wall" "med cpu"
row "without the attribute" plain
row "with #[sync_facade]" annotated
ratios "ratio" annotated plain
if [ -n "${VERBOSE:-}" ]; then
    for variant in $VARIANTS; do echo "$variant wall: ${walls[$variant]}"; echo "$variant cpu:  ${cpus[$variant]}"; done
fi
if [ -n "${wall[manual]:-}" ]; then
    row "hand-written twins" manual
    ratios "attribute / by hand" annotated manual
fi
