//! Overhead per call of each strategy next to its raw tokio equivalent, and of the
//! thread-plus-runtime-per-call pattern, all in one run:
//!
//! ```text
//! cargo bench --bench strategies
//! ```
//!
//! Every benchmark runs a trivial future (`async { 1 }`), so what is measured is the bridge.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use sync_facade::{Call, Context, Strategy};
use tokio::runtime::{Builder, Runtime};

fn mt() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap())
}

const CALL: Call = Call::new("bench");

/// Runs `body(iters)` inside a task of the shared multi_thread runtime and returns its timing.
fn in_mt_task(iters: u64, body: fn(u64) -> Duration) -> Duration {
    mt().block_on(async move { tokio::spawn(async move { body(iters) }).await.unwrap() })
}

/// Runs `body(iters)` inside a task of a current_thread runtime.
fn in_ct_task(iters: u64, body: fn(u64) -> Duration) -> Duration {
    let rt = Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async move { tokio::spawn(async move { body(iters) }).await.unwrap() })
}

fn direct(c: &mut Criterion) {
    let mut g = c.benchmark_group("direct (plain thread)");
    assert_eq!(Context::current().strategy(), Strategy::Direct);
    let rt = mt();
    g.bench_function("raw Runtime::block_on", |b| b.iter(|| rt.block_on(async { black_box(1) })));
    g.bench_function("sync_facade Direct", |b| b.iter(|| CALL.block_on(async { black_box(1) }).unwrap()));
    g.bench_function("sync_facade Direct + timeout", |b| {
        let call = CALL.timeout(Duration::from_secs(30));
        b.iter(|| call.block_on(async { black_box(1) }).unwrap())
    });
    g.finish();
}

/// Two callers at once (one per core): a bridge that serialises callers on one lock loses half.
fn concurrent(c: &mut Criterion) {
    let mut g = c.benchmark_group("direct, 2 threads at once");
    fn on_two_threads(iters: u64, f: fn()) -> Duration {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let start = Instant::now();
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    for _ in 0..iters / 2 {
                        f();
                    }
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        start.elapsed()
    }
    g.bench_function("raw Runtime::block_on", |b| {
        b.iter_custom(|iters| {
            on_two_threads(iters, || {
                black_box(mt().block_on(async { black_box(1) }));
            })
        })
    });
    g.bench_function("sync_facade Direct", |b| {
        b.iter_custom(|iters| {
            on_two_threads(iters, || {
                black_box(CALL.block_on(async { black_box(1) }).unwrap());
            })
        })
    });
    g.finish();
}

fn in_place(c: &mut Criterion) {
    let mut g = c.benchmark_group("in_place (multi_thread task)");
    g.bench_function("raw block_in_place + Handle::block_on", |b| {
        b.iter_custom(|iters| {
            in_mt_task(iters, |iters| {
                let handle = tokio::runtime::Handle::current();
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(tokio::task::block_in_place(|| handle.block_on(async { black_box(1) })));
                }
                start.elapsed()
            })
        })
    });
    g.bench_function("sync_facade InPlace", |b| {
        b.iter_custom(|iters| {
            in_mt_task(iters, |iters| {
                assert_eq!(Context::current().strategy(), Strategy::InPlace);
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(CALL.block_on(async { black_box(1) }).unwrap());
                }
                start.elapsed()
            })
        })
    });
    g.finish();
}

fn hosted(c: &mut Criterion) {
    let mut g = c.benchmark_group("hosted (current_thread task)");
    g.bench_function("raw spawn + blocking wait", |b| {
        b.iter_custom(|iters| {
            in_ct_task(iters, |iters| {
                let host = mt().handle().clone();
                let start = Instant::now();
                for _ in 0..iters {
                    let (tx, rx) = std::sync::mpsc::sync_channel(1);
                    host.spawn(async move {
                        let _ = tx.send(black_box(1));
                    });
                    black_box(rx.recv().unwrap());
                }
                start.elapsed()
            })
        })
    });
    g.bench_function("sync_facade Hosted", |b| {
        b.iter_custom(|iters| {
            in_ct_task(iters, |iters| {
                assert_eq!(Context::current().strategy(), Strategy::Hosted);
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(CALL.block_on(async { black_box(1) }).unwrap());
                }
                start.elapsed()
            })
        })
    });
    g.bench_function("thread + runtime per call", |b| {
        b.iter_custom(|iters| {
            in_ct_task(iters, |iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    let out = std::thread::spawn(|| {
                        Builder::new_current_thread().enable_all().build().unwrap().block_on(async { black_box(1) })
                    })
                    .join()
                    .unwrap();
                    black_box(out);
                }
                start.elapsed()
            })
        })
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

criterion_group! { name = benches; config = config(); targets = direct, concurrent, in_place, hosted }
criterion_main!(benches);
