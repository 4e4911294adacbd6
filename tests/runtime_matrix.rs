//! Every calling context × every kind of future: the result is right, the context is detected,
//! and the strategy really runs where it says (the caller's thread, or another one).

#[macro_use]
mod common;

use common::{Ctx, ALL};
use std::thread::ThreadId;
use std::time::Duration;
use sync_facade::{Call, Context, Strategy};

#[derive(Clone, Copy, Debug)]
enum Fut {
    Ready,
    Yields,
    Sleeps,
    FileIo,
    SpawnsInside,
    ChannelFromOwnRuntime,
}

const FUTS: &[Fut] =
    &[Fut::Ready, Fut::Yields, Fut::Sleeps, Fut::FileIo, Fut::SpawnsInside, Fut::ChannelFromOwnRuntime];

/// Runs one kind of future through the facade from the current (sync) context.
/// Returns the value and the thread the future's body ran on.
fn call(kind: Fut, tag: u64) -> (u64, ThreadId) {
    let call = Call::new("matrix").timeout(Duration::from_secs(20));
    let here = || std::thread::current().id();
    let out = match kind {
        Fut::Ready => call.block_on(async { (tag, here()) }),
        Fut::Yields => call.block_on(async {
            for _ in 0..10 {
                tokio::task::yield_now().await;
            }
            (tag + 1, here())
        }),
        Fut::Sleeps => call.block_on(async {
            tokio::time::sleep(Duration::from_millis(2)).await;
            (tag + 2, here())
        }),
        Fut::FileIo => call.block_on(async {
            // Tests run in parallel: every call gets its own directory.
            static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let unique = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("sync-facade-matrix-{}-{unique}", std::process::id()));
            tokio::fs::create_dir_all(&dir).await.unwrap();
            let path = dir.join("f.txt");
            tokio::fs::write(&path, tag.to_string()).await.unwrap();
            let back: u64 = tokio::fs::read_to_string(&path).await.unwrap().parse().unwrap();
            tokio::fs::remove_dir_all(&dir).await.unwrap();
            (back + 3, here())
        }),
        Fut::SpawnsInside => call.block_on(async {
            let t = here();
            let v = tokio::spawn(async move { tag + 4 }).await.unwrap();
            (v, t)
        }),
        Fut::ChannelFromOwnRuntime => {
            // A task of the caller's own multi_thread runtime feeds the channel while we block.
            let (tx, rx) = tokio::sync::oneshot::channel();
            tokio::runtime::Handle::current().spawn(async move {
                tokio::time::sleep(Duration::from_millis(1)).await;
                let _ = tx.send(tag + 5);
            });
            call.block_on(async { (rx.await.unwrap(), here()) })
        }
    };
    out.unwrap_or_else(|e| panic!("{kind:?}: {e}"))
}

fn expected_value(kind: Fut, tag: u64) -> u64 {
    tag + match kind {
        Fut::Ready => 0,
        Fut::Yields => 1,
        Fut::Sleeps => 2,
        Fut::FileIo => 3,
        Fut::SpawnsInside => 4,
        Fut::ChannelFromOwnRuntime => 5,
    }
}

fn check_context(ctx: Ctx) {
    for (i, &kind) in FUTS.iter().enumerate() {
        if matches!(kind, Fut::ChannelFromOwnRuntime) && !ctx.own_multi_thread_runtime() {
            continue; // see `channel_from_blocked_current_thread_runtime_times_out`
        }
        let tag = 1000 * i as u64;
        let (detected, (value, ran_on), caller) = ctx.run(move || {
            let detected = Context::current();
            (detected, call(kind, tag), std::thread::current().id())
        });
        let (kind_expected, strategy_expected) = ctx.expected();
        assert_eq!(detected.kind(), kind_expected, "{ctx:?}/{kind:?}: context");
        assert_eq!(detected.strategy(), strategy_expected, "{ctx:?}/{kind:?}: strategy");
        assert_eq!(value, expected_value(kind, tag), "{ctx:?}/{kind:?}: value");
        match strategy_expected {
            // Tokio may move nothing here: the first poll runs on the caller's thread.
            Strategy::Direct | Strategy::InPlace => assert_eq!(ran_on, caller, "{ctx:?}/{kind:?}: thread"),
            _ => assert_ne!(ran_on, caller, "{ctx:?}/{kind:?}: hosted on another thread"),
        }
    }
}

context_matrix!(check_context);

#[test]
fn every_context_is_in_the_matrix() {
    assert_eq!(ALL.len(), 16);
}

/// The known limit: a hosted future that waits on the blocked current_thread runtime's own tasks
/// cannot finish; the timeout turns the deadlock into an error instead of a hang.
#[test]
fn channel_from_blocked_current_thread_runtime_times_out() {
    for ctx in [Ctx::CurrentThreadTask, Ctx::CurrentThreadBlockOn, Ctx::LocalSetCurrentThread] {
        let err = ctx.run(|| {
            let (tx, rx) = tokio::sync::oneshot::channel::<u32>();
            tokio::spawn(async move {
                let _ = tx.send(1);
            });
            Call::new("starved").timeout(Duration::from_millis(100)).block_on(rx).unwrap_err()
        });
        assert!(err.is_timeout(), "{ctx:?}: {err}");
    }
}
