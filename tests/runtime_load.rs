//! Load: 64 threads × 1,000 calls in mixed contexts. Every result is right, nothing deadlocks,
//! and the number of OS threads does not grow with the number of calls.

mod common;

use common::ALL;
use std::time::Duration;
use sync_facade::Call;

fn threads_now() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status.lines().find_map(|l| l.strip_prefix("Threads:")).and_then(|v| v.trim().parse().ok()).expect("Threads: line")
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

fn round(calls: u64) {
    let handles: Vec<_> = (0..64u64)
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
}

#[test]
fn sixty_four_threads_a_thousand_calls_each() {
    // A deadlock must fail the test, not hang CI: the rounds run under a watchdog.
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Warm up: start the host, the shared runtime and their blocking pools.
        round(50);
        let before = threads_now();
        round(1_000);
        let after = threads_now();
        let _ = done_tx.send((before, after));
    });
    let (before, after) =
        done_rx.recv_timeout(Duration::from_secs(120)).expect("deadlock: 64,000 calls did not finish in 120 s");
    // Blocking-pool threads come and go with concurrency, never with the number of calls:
    // 64,000 calls may not leave more threads than a round of 3,200 did, give or take the pools.
    assert!(after <= before + 16, "threads grew from {before} to {after}");
}
