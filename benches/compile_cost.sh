#!/usr/bin/env bash
# Compile cost of `#[sync_facade]`: builds a generated crate of 500 annotated `async fn`s and the
# same crate without the attribute, after warming the dependencies, and prints both times and the
# ratio (target: < 1.5x). For reference it also builds the crate with the blocking twins written
# by hand against the public API (`sync_facade::block_on`, `Call::block_on`).
#
#   benches/compile_cost.sh            # 500 functions, debug build
#   N=2000 PROFILE=release benches/compile_cost.sh
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

generate() { # $1 = variant
    local attr i
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
                2) echo "pub async fn f$i<'a>(a: u32, b: &'a str) -> std::io::Result<&'a str> { tick().await; let _ = a + $i; Ok(b) }" ;;
                3) echo "pub async fn f$i<T: AsRef<str> + Send>(t: T, (x, y): (u32, u32)) -> usize { tick().await; t.as_ref().len() + (x + y) as usize }" ;;
                *) echo "pub async fn f$i(a: u32, b: &str) -> u32 { tick().await; a + b.len() as u32 + $i }" ;;
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

# Each variant is built RUNS times from scratch (`cargo clean -p` first); the fastest build counts,
# which filters out noise from other processes. Wall-clock and CPU (user + sys) times are both
# reported: on a busy machine the CPU time is the steadier figure.
RUNS=${RUNS:-3}
declare -A wall cpu
best() { awk -v t="$1" -v best="$2" 'BEGIN { print (best == "" || t < best) ? t : best }'; }
for variant in plain annotated manual; do
    generate "$variant"
    for ((run = 0; run < RUNS; run++)); do
        cargo clean --quiet --profile "$PROFILE" --manifest-path "$TMP/Cargo.toml" -p "cc-$variant"
        start=$(now)
        TIMEFORMAT='%U %S'
        used=$( { time cargo build --quiet --profile "$PROFILE" --manifest-path "$TMP/Cargo.toml" -p "cc-$variant" 2>&3; } 3>&2 2>&1 )
        took=$(awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }')
        wall[$variant]=$(best "$took" "${wall[$variant]:-}")
        cpu[$variant]=$(best "$(echo "$used" | awk '{ print $1 + $2 }')" "${cpu[$variant]:-}")
    done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
printf 'functions: %d (%s profile, best of %d builds)\n' "$N" "$PROFILE" "$RUNS"
printf '%-24s %10s %10s\n' "" "wall" "cpu"
printf '%-24s %9.2fs %9.2fs\n' "without the attribute" "${wall[plain]}" "${cpu[plain]}"
printf '%-24s %9.2fs %9.2fs\n' "with #[sync_facade]" "${wall[annotated]}" "${cpu[annotated]}"
printf '%-24s %10s %10s\n' "ratio" "$(ratio "${wall[annotated]}" "${wall[plain]}")" "$(ratio "${cpu[annotated]}" "${cpu[plain]}")"
printf '%-24s %9.2fs %9.2fs\n' "hand-written twins" "${wall[manual]}" "${cpu[manual]}"
printf '%-24s %10s %10s\n' "attribute / by hand" "$(ratio "${wall[annotated]}" "${wall[manual]}")" "$(ratio "${cpu[annotated]}" "${cpu[manual]}")"
