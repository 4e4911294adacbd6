//! Streams and readers through the facade next to their raw tokio equivalents:
//!
//! ```text
//! cargo bench --bench streams
//! ```
//!
//! * per item, plain thread: `BlockingStream::next` (Direct) against a raw
//!   `Handle::block_on(stream.next())` loop on a shared multi_thread runtime;
//! * per item, back to back, inside a current_thread task: `BlockingStream::next` (Hosted);
//! * a 64 MiB file read through `BlockingRead` (`Read::read_to_end`) against
//!   `Handle::block_on(tokio::fs::read(path))`.
//!
//! Criterion measures each variant on its own; then the same variants run again in interleaved
//! rounds (variant A, variant B, A, B, ...), and the medians over the rounds and their ratios are
//! printed as one table: on a shared machine, interleaving keeps slow spells from landing on one
//! variant only. `STREAMS_ROUNDS=N` sets the number of rounds (default 21).

use criterion::{black_box, criterion_group, Criterion};
use futures::stream::{self, StreamExt};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use sync_facade::{BlockingRead, BlockingStream, Call, Context, Strategy};
use tokio::runtime::Builder;

mod common;
use common::{median, mt};

const CALL: Call = Call::new("bench");
const FILE_BYTES: usize = 64 * 1024 * 1024;

/// The file of the read benchmark, written once per run.
fn file() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = std::env::temp_dir().join(format!("sync-facade-bench-streams-{}", std::process::id()));
        let data: Vec<u8> = (0..FILE_BYTES as u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        std::fs::write(&path, data).unwrap();
        path
    })
}

/// An endless stream of ready items: what is measured is the bridge.
fn items() -> stream::Repeat<u64> {
    stream::repeat(1)
}

/// `n` items through `BlockingStream` (Direct on a plain thread, Hosted in a current_thread task).
fn facade_items(n: u64) -> Duration {
    let mut it = BlockingStream::new(CALL, items());
    let start = Instant::now();
    for _ in 0..n {
        black_box(it.next().unwrap().unwrap());
    }
    start.elapsed()
}

/// `n` items through a raw `Handle::block_on(stream.next())` loop.
fn raw_items(n: u64) -> Duration {
    let handle = mt().handle();
    let mut s = items();
    let start = Instant::now();
    for _ in 0..n {
        black_box(handle.block_on(s.next()).unwrap());
    }
    start.elapsed()
}

/// `n` items through `BlockingStream` from a task of a fresh current_thread runtime.
fn hosted_items(n: u64) -> Duration {
    let rt = Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        tokio::spawn(async move {
            assert_eq!(Context::current().strategy(), Strategy::Hosted);
            facade_items(n)
        })
        .await
        .unwrap()
    })
}

fn facade_read() -> Duration {
    let start = Instant::now();
    let file = CALL.block_on(tokio::fs::File::open(file())).unwrap().unwrap();
    let mut reader = BlockingRead::new(CALL, file);
    let mut out = Vec::with_capacity(FILE_BYTES);
    reader.read_to_end(&mut out).unwrap();
    assert_eq!(out.len(), FILE_BYTES);
    black_box(out);
    start.elapsed()
}

fn raw_read() -> Duration {
    let start = Instant::now();
    let out = mt().handle().block_on(tokio::fs::read(file())).unwrap();
    assert_eq!(out.len(), FILE_BYTES);
    black_box(out);
    start.elapsed()
}

fn per_item(c: &mut Criterion) {
    assert_eq!(Context::current().strategy(), Strategy::Direct);
    let mut g = c.benchmark_group("stream per item (plain thread)");
    g.bench_function("raw Handle::block_on(stream.next())", |b| b.iter_custom(raw_items));
    g.bench_function("BlockingStream Direct", |b| b.iter_custom(facade_items));
    g.finish();
    let mut g = c.benchmark_group("stream per item (current_thread task)");
    g.bench_function("BlockingStream Hosted", |b| b.iter_custom(hosted_items));
    g.finish();
}

fn large_read(c: &mut Criterion) {
    let mut g = c.benchmark_group("64 MiB file (plain thread)");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    g.bench_function("raw tokio::fs::read", |b| b.iter_custom(|n| (0..n).map(|_| raw_read()).sum()));
    g.bench_function("BlockingRead read_to_end", |b| b.iter_custom(|n| (0..n).map(|_| facade_read()).sum()));
    g.finish();
}

criterion_group!(benches, per_item, large_read);

fn ns(d: Duration, n: u64) -> f64 {
    d.as_nanos() as f64 / n as f64
}

/// The interleaved rounds: medians per variant, and ratios of the medians.
fn interleaved() {
    let rounds: usize = std::env::var("STREAMS_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(21);
    const ITEMS: u64 = 200_000;
    const HOSTED: u64 = 50_000;
    let (mut raw, mut direct, mut hosted, mut read_raw, mut read_facade) = (vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..rounds {
        raw.push(ns(raw_items(ITEMS), ITEMS));
        direct.push(ns(facade_items(ITEMS), ITEMS));
        hosted.push(ns(hosted_items(HOSTED), HOSTED));
        read_raw.push(raw_read().as_secs_f64() * 1e3);
        read_facade.push(facade_read().as_secs_f64() * 1e3);
    }
    let (raw, direct, hosted) = (median(&mut raw), median(&mut direct), median(&mut hosted));
    let (read_raw, read_facade) = (median(&mut read_raw), median(&mut read_facade));
    println!("\ninterleaved medians over {rounds} rounds:");
    println!("| what | sync-facade | median | raw baseline | median | ratio | target |");
    println!("|---|---|---:|---|---:|---:|---|");
    println!(
        "| stream, per item, plain thread | BlockingStream Direct | {direct:.1} ns | Handle::block_on(stream.next()) | {raw:.1} ns | {:.2}× | ≤ 1.2× |",
        direct / raw
    );
    println!("| stream, per item, current_thread task, back to back | BlockingStream Hosted | {hosted:.0} ns | | | | ≤ 1 µs |");
    println!(
        "| 64 MiB file, plain thread | BlockingRead read_to_end | {read_facade:.1} ms | tokio::fs::read | {read_raw:.1} ms | {:.2}× | ≤ 1.2× |",
        read_facade / read_raw
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo test --benches` runs this binary with `--test`: one quick pass is enough there.
    if !args.iter().any(|a| a == "--test" || a == "--list") {
        interleaved();
    }
    let _ = std::fs::remove_file(file());
}
