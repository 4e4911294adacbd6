#!/usr/bin/env python3
"""Prints the README's strategy table from criterion's results of one run:

    cargo bench --bench strategies && python3 benches/strategies_table.py

Medians per call (criterion's `median` estimate), and the ratio of each sync-facade strategy to
its raw tokio baseline from the same run.
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRITERION = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target" / "criterion"

# (group, facade bench, baseline bench)
ROWS = [
    ("direct (plain thread)", "sync_facade Direct", "raw Runtime::block_on"),
    ("direct (plain thread)", "sync_facade Direct + timeout", "raw Runtime::block_on"),
    ("direct, 2 threads at once", "sync_facade Direct", "raw Runtime::block_on"),
    ("in_place (multi_thread task)", "sync_facade InPlace", "raw block_in_place + Handle::block_on"),
    ("hosted (current_thread task)", "sync_facade Hosted", "raw spawn + blocking wait"),
    ("hosted (current_thread task)", "thread + runtime per call", "raw spawn + blocking wait"),
]


def median_ns(group: str, bench: str) -> float:
    def slug(name: str) -> str:  # criterion keeps spaces, replaces `:` (and `/`) with `_`
        return name.replace(":", "_").replace("/", "_")

    path = CRITERION / slug(group) / slug(bench) / "new" / "estimates.json"
    return json.loads(path.read_text())["median"]["point_estimate"]


def fmt(ns: float) -> str:
    return f"{ns / 1000:,.1f} µs" if ns >= 10_000 else f"{ns:,.0f} ns"


print("| context | sync-facade | median | raw baseline | median | ratio |")
print("|---|---|---:|---|---:|---:|")
for group, facade, baseline in ROWS:
    f, b = median_ns(group, facade), median_ns(group, baseline)
    print(f"| {group} | {facade} | {fmt(f)} | {baseline} | {fmt(b)} | {f / b:.2f}× |")
hosted = median_ns("hosted (current_thread task)", "sync_facade Hosted")
per_call = median_ns("hosted (current_thread task)", "thread + runtime per call")
print(f"\nHosted is {per_call / hosted:.1f}× faster than a thread plus a runtime per call.")
