//! Load: 64 threads × 1,000 calls in mixed contexts. Every result is right, nothing deadlocks,
//! the threads the facade starts are bounded whatever the number of calls, and idle ones go away.
//!
//! No assertion depends on timing or on an idle machine: the bounds hold at any scheduling (what
//! varies with load is how many calls overlap, and the bounds are for the worst overlap), and
//! the keep-alive check waits for the idle threads to exit, however long a busy machine takes.

mod common;

use common::ALL;
use std::time::{Duration, Instant};
use sync_facade::host::{self, HostConfig};
use sync_facade::Call;

/// The facade's host runtime has 2 workers (the default) and at most 64 hosting threads, all
/// named like this.
const HOST_NAME: &str = "sf-load-host";
const HOST_WORKERS: usize = 2;
const MAX_HOSTING_THREADS: usize = 64;
const CALLERS: u64 = 64;

/// Names of this process's live threads.
fn thread_names() -> Vec<String> {
    std::fs::read_dir("/proc/self/task")
        .expect("/proc/self/task")
        .flatten()
        .map(|t| std::fs::read_to_string(t.path().join("comm")).unwrap_or_default().trim().to_owned())
        .collect()
}

fn host_threads() -> usize {
    // `comm` is cut to 15 bytes: HOST_NAME fits.
    thread_names().iter().filter(|n| n.as_str() == HOST_NAME).count()
}

/// The sync code each worker thread runs: `calls` facade calls of mixed futures.
fn work(seed: u64, calls: u64) -> u64 {
    let call = Call::new("load").timeout(Duration::from_secs(60));
    let mut sum = 0;
    for i in 0..calls {
        let x = seed * 1_000_000 + i;
        let got = match i % 3 {
            0 => call.block_on(async move { x }),
            1 => call.block_on(async move {
                tokio::task::yield_now().await;
                x
            }),
            _ => call.block_on(async move { tokio::spawn(async move { x }).await.unwrap() }),
        }
        .unwrap();
        assert_eq!(got, x);
        sum += got;
    }
    sum
}

/// One round: 64 threads, each in a context of the matrix, `calls` calls each. Returns the most
/// host threads seen alive while it ran.
fn round(calls: u64) -> usize {
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut most = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                most = most.max(host_threads());
                std::thread::sleep(Duration::from_millis(2));
            }
            most
        })
    };
    let handles: Vec<_> = (0..CALLERS)
        .map(|t| {
            std::thread::spawn(move || {
                let ctx = ALL[t as usize % ALL.len()];
                let sum = ctx.run(move || work(t, calls));
                let expected: u64 = (0..calls).map(|i| t * 1_000_000 + i).sum();
                assert_eq!(sum, expected, "{ctx:?}");
            })
        })
        .collect();
    for h in handles {
        h.join().expect("worker thread");
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    sampler.join().unwrap().max(host_threads())
}

#[test]
fn sixty_four_threads_a_thousand_calls_each() {
    // A short keep-alive, so that the test can watch idle hosting threads exit.
    host::configure(HostConfig::new().thread_name(HOST_NAME).keep_alive(Duration::from_millis(200))).unwrap();
    // A deadlock must fail the test, not hang CI: the rounds run under a watchdog.
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let small = round(50);
        let large = round(1_000);
        let _ = done_tx.send((small, large));
    });
    let (small, large) =
        done_rx.recv_timeout(Duration::from_secs(300)).expect("deadlock: 64,000 calls did not finish in 300 s");
    // Threads come with concurrency, never with the number of calls: however the 64 callers
    // overlapped, no more than one hosting thread per caller (and at most the cap) was alive, in
    // the round of 3,200 calls as in the round of 64,000.
    // Callers in a task of the host runtime itself hand their worker's core off (`block_in_place`),
    // and tokio starts a replacement worker (named like the host's) for each one blocked at once.
    let on_host = (0..CALLERS as usize).filter(|t| ALL[t % ALL.len()] == common::Ctx::FacadeHost).count();
    let bound = HOST_WORKERS + on_host + MAX_HOSTING_THREADS.min(CALLERS as usize);
    assert!(small <= bound, "{small} host threads in the round of 3,200 calls (bound {bound})");
    assert!(large <= bound, "{large} host threads in the round of 64,000 calls (bound {bound})");

    // Idle hosting threads exit after the keep-alive: only the runtime's workers stay (tokio's
    // replacement workers exit after tokio's own 10 s keep-alive, or not yet). Waiting
    // for it has no time limit below the watchdog's: a busy machine only makes it slower.
    let start = Instant::now();
    loop {
        let alive = host_threads();
        if alive <= HOST_WORKERS + on_host {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "{alive} host threads still alive after 120 s idle");
        std::thread::sleep(Duration::from_millis(50));
    }
    // And the pool starts threads again on demand.
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let out = rt.block_on(async { Call::new("again").block_on(async { 5 }) }).unwrap();
    assert_eq!(out, 5);
}
