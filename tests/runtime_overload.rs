//! Overload: more hosted calls at once than there may be hosting threads (64). Past the cap they
//! queue for a free hosting thread, so a future runs the same way at any load, and the host
//! runtime's workers, whose timers and sockets `Direct` callers use, are never taken by them.
//! Also: timeouts agree across strategies.
//!
//! No assertion depends on timing: blocked futures are released by an event, never by a sleep.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;
use sync_facade::{Call, ErrorKind, Strategy};

/// The tests that fill the pool run one at a time (each waits for the whole pool).
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Most hosting threads alive at once (`pool::MAX_THREADS`).
const HOSTING_THREADS: usize = 64;

/// More than the hosting threads.
const CALLERS: usize = HOSTING_THREADS + 6;

/// Blocks this thread (a future calling blocking code inside `poll`) until `release` is set.
fn block_until(release: &AtomicBool) {
    while !release.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Runs `f` in a task of a new current_thread runtime, on a new thread (a hosted context).
fn in_current_thread_task<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> std::thread::JoinHandle<R> {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move { tokio::spawn(async move { f() }).await.unwrap() })
    })
}

/// A future that blocks its thread inside `poll` until `release` is set (as a future that calls
/// blocking code would), then builds and runs a runtime of its own, then makes a nested call.
async fn blocking_then_own_runtime(started: Arc<AtomicUsize>, release: Arc<AtomicBool>) -> u32 {
    started.fetch_add(1, Ordering::SeqCst);
    block_until(&release);
    // Building a runtime works on a hosting thread; on a host worker it panics ("Cannot start a
    // runtime from within a runtime").
    let own = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let x = own.block_on(async {
        tokio::time::sleep(Duration::from_millis(1)).await;
        20
    });
    drop(own);
    // A nested facade call runs in place on the hosting thread: no second thread needed.
    let y = Call::new("nested")
        .timeout(Duration::from_secs(60))
        .block_on(async {
            tokio::time::sleep(Duration::from_millis(1)).await;
            22
        })
        .unwrap();
    x + y
}

#[test]
fn past_the_cap_hosted_calls_queue_and_direct_calls_keep_their_timers() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let started = Arc::new(AtomicUsize::new(0));
    let release = Arc::new(AtomicBool::new(false));
    let gate = Arc::new(Barrier::new(CALLERS + 1));
    let callers: Vec<_> = (0..CALLERS)
        .map(|_| {
            let (started, release, gate) = (started.clone(), release.clone(), gate.clone());
            in_current_thread_task(move || {
                assert_eq!(sync_facade::Context::current().strategy(), Strategy::Hosted);
                gate.wait();
                Call::new("overloaded")
                    .timeout(Duration::from_secs(120))
                    .block_on(blocking_then_own_runtime(started, release))
            })
        })
        .collect();
    gate.wait();
    // Wait until the hosting threads are all taken (64 futures blocking in `poll`); the other 6
    // wait in the queue, not on the host's workers.
    while started.load(Ordering::SeqCst) < HOSTING_THREADS {
        std::thread::sleep(Duration::from_millis(5));
    }
    // A Direct call from an unrelated plain thread needs the host's timer: it must not be starved.
    let direct = std::thread::spawn(|| {
        Call::new("direct_sleep").timeout(Duration::from_secs(60)).block_on(async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            tokio::spawn(async { 1 }).await.unwrap()
        })
    })
    .join()
    .unwrap();
    assert_eq!(direct.unwrap(), 1, "a Direct call was starved by overload");
    // At most 64 ran at once; the rest were queued, not run elsewhere.
    assert!(started.load(Ordering::SeqCst) <= HOSTING_THREADS);
    release.store(true, Ordering::SeqCst);
    for caller in callers {
        assert_eq!(caller.join().expect("no panic in overflow").unwrap(), 42);
    }
    assert_eq!(started.load(Ordering::SeqCst), CALLERS);
}

#[test]
fn a_queued_call_that_times_out_is_dropped_and_reports_a_timeout() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Fill every hosting thread with futures blocked in `poll`, then time out a queued call.
    let release = Arc::new(AtomicBool::new(false));
    let started = Arc::new(AtomicUsize::new(0));
    let blockers: Vec<_> = (0..HOSTING_THREADS)
        .map(|_| {
            let (release, started) = (release.clone(), started.clone());
            in_current_thread_task(move || {
                Call::new("blocker").block_on(async move {
                    started.fetch_add(1, Ordering::SeqCst);
                    block_until(&release);
                })
            })
        })
        .collect();
    // Some blockers may still be queued; whichever way, the call below waits behind them.
    while started.load(Ordering::SeqCst) < 60 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let queued =
        in_current_thread_task(|| Call::new("queued").timeout(Duration::from_millis(50)).block_on(async { 1 }))
            .join()
            .unwrap();
    release.store(true, Ordering::SeqCst);
    // It either ran (a thread came free in time) or timed out; never another outcome.
    match queued {
        Ok(v) => assert_eq!(v, 1),
        Err(e) => assert_eq!(e.kind(), ErrorKind::Timeout, "{e}"),
    }
    for b in blockers {
        b.join().unwrap().unwrap();
    }
}

/// A future that yields `n` times before it is ready.
async fn yielding(n: usize) -> usize {
    for _ in 0..n {
        tokio::task::yield_now().await;
    }
    n
}

#[test]
fn a_yielding_future_with_a_1ns_timeout_times_out_in_every_strategy() {
    let call = Call::new("tiny").timeout(Duration::from_nanos(1));
    // Direct: a plain thread.
    let direct = std::thread::spawn(move || call.block_on(yielding(1_000))).join().unwrap();
    assert_eq!(direct.unwrap_err().kind(), ErrorKind::Timeout);
    // InPlace: a multi_thread task.
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let in_place =
        rt.block_on(async move { tokio::spawn(async move { call.block_on(yielding(1_000)) }).await.unwrap() });
    assert_eq!(in_place.unwrap_err().kind(), ErrorKind::Timeout);
    // Hosted: a current_thread task.
    for _ in 0..20 {
        let hosted = in_current_thread_task(move || call.block_on(yielding(1_000))).join().unwrap();
        let err = hosted.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
        assert_eq!(err.strategy(), Some(Strategy::Hosted));
    }
}
