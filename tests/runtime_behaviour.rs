//! Timeouts, panics, nesting, borrowed and non-`Send` futures, forced strategies and errors, in
//! every calling context.

mod common;

use common::{pending_with_flag, Ctx, DropFlag, ALL};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use sync_facade::{Call, ContextKind, ErrorKind, Strategy};

const LIMIT: Duration = Duration::from_millis(60);
/// Generous on a noisy 2-core VM; what matters is that the call neither hangs nor returns early.
const MARGIN: Duration = Duration::from_millis(500);

#[test]
fn timeouts_return_in_time_and_drop_the_future_in_every_context() {
    for &ctx in ALL {
        let (err, elapsed, dropped) = ctx.run(|| {
            let (flag, dropped) = DropFlag::new();
            let started = Instant::now();
            let err = Call::new("never").timeout(LIMIT).block_on(pending_with_flag(flag)).unwrap_err();
            // Read the flag before anything else can run: the drop must have happened already.
            (err, started.elapsed(), dropped.load(Ordering::SeqCst))
        });
        assert!(err.is_timeout(), "{ctx:?}: {err}");
        assert_eq!(err.kind(), ErrorKind::Timeout);
        assert!(elapsed >= LIMIT, "{ctx:?}: returned early after {elapsed:?}");
        assert!(elapsed < LIMIT + MARGIN, "{ctx:?}: returned late after {elapsed:?}");
        assert!(dropped, "{ctx:?}: the future was not dropped before the call returned");
        assert_eq!(err.strategy(), Some(ctx.expected().1), "{ctx:?}");
    }
}

/// Records, when dropped, whether a tokio runtime was entered and on which thread.
struct WhereDropped(Arc<std::sync::Mutex<Option<(bool, std::thread::ThreadId)>>>);

impl Drop for WhereDropped {
    fn drop(&mut self) {
        let entered = tokio::runtime::Handle::try_current().is_ok();
        *self.0.lock().unwrap() = Some((entered, std::thread::current().id()));
    }
}

async fn pending_until_dropped(probe: WhereDropped) {
    let _probe = probe;
    std::future::pending::<()>().await
}

#[sync_facade::sync_facade(timeout = "60ms")]
async fn never_finishes(probe: WhereDropped) {
    pending_until_dropped(probe).await
}

#[test]
fn a_timed_out_future_is_dropped_inside_the_runtime_that_polled_it() {
    // Both entry points: `Call::block_on` and a generated twin (which hands its future over by
    // value). A cancelled future's destructor (a socket deregistering, a guard spawning cleanup)
    // must run where the future ran: on the hosting thread for a hosted call, inside the entered
    // host runtime for a direct call on a plain thread, not later on the caller's stack.
    for &ctx in ALL {
        for twin in [false, true] {
            let (seen, caller) = ctx.run(move || {
                let seen = Arc::new(std::sync::Mutex::new(None));
                let probe = WhereDropped(seen.clone());
                let err = if twin {
                    blocking_never_finishes(probe).unwrap_err()
                } else {
                    Call::new("never").timeout(LIMIT).block_on(pending_until_dropped(probe)).unwrap_err()
                };
                assert!(err.is_timeout(), "{ctx:?}: {err}");
                let seen = *seen.lock().unwrap();
                (seen, std::thread::current().id())
            });
            let (entered, thread) = seen.unwrap_or_else(|| panic!("{ctx:?}: the future was not dropped"));
            assert!(entered, "{ctx:?} (twin: {twin}): the future was dropped outside any runtime");
            if ctx.expected().1 == Strategy::Hosted {
                assert_ne!(
                    thread, caller,
                    "{ctx:?} (twin: {twin}): a hosted future was dropped on the caller's thread"
                );
            }
        }
    }
}

#[test]
fn timeouts_work_on_runtimes_without_a_time_driver() {
    let bare_ct = || tokio::runtime::Builder::new_current_thread().build().unwrap();
    let bare_mt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap();
    let check = |err: sync_facade::Error| assert!(err.is_timeout(), "{err}");
    check(
        bare_ct().block_on(async { Call::new("t").timeout(LIMIT).block_on(std::future::pending::<()>()).unwrap_err() }),
    );
    check(
        bare_mt.block_on(async { Call::new("t").timeout(LIMIT).block_on(std::future::pending::<()>()).unwrap_err() }),
    );
    let in_task = bare_mt.block_on(async {
        tokio::spawn(async { Call::new("t").timeout(LIMIT).block_on(std::future::pending::<()>()).unwrap_err() })
            .await
            .unwrap()
    });
    check(in_task);
}

#[test]
fn a_future_that_keeps_waking_itself_still_times_out() {
    for ctx in [Ctx::PlainThread, Ctx::MultiThreadTask, Ctx::CurrentThreadTask] {
        let err = ctx.run(|| {
            Call::new("spin")
                .timeout(LIMIT)
                .block_on(async {
                    loop {
                        tokio::task::yield_now().await;
                    }
                })
                .unwrap_err()
        });
        assert!(err.is_timeout(), "{ctx:?}");
    }
}

#[derive(Debug, PartialEq)]
struct Payload(String);

#[test]
fn panics_propagate_with_their_payload_and_the_next_call_works() {
    for &ctx in ALL {
        let (payload, next) = ctx.run(move || {
            let caught = std::panic::catch_unwind(|| {
                Call::new("boom").block_on(async move {
                    tokio::task::yield_now().await;
                    std::panic::panic_any(Payload(format!("boom in {ctx:?}")));
                })
            })
            .expect_err("the panic must reach the caller");
            let payload = caught.downcast::<Payload>().expect("original payload type");
            let next = sync_facade::block_on(async { 41 + 1 }).unwrap();
            (*payload, next)
        });
        assert_eq!(payload, Payload(format!("boom in {ctx:?}")));
        assert_eq!(next, 42, "{ctx:?}");
    }
}

fn nested(depth: u32) -> u32 {
    if depth == 0 {
        return 0;
    }
    Call::new("nested")
        .timeout(Duration::from_secs(10))
        .block_on(async move {
            tokio::task::yield_now().await;
            nested(depth - 1) + 1
        })
        .unwrap()
}

#[test]
fn nested_calls_three_levels_deep_in_every_context() {
    for &ctx in ALL {
        assert_eq!(ctx.run(|| nested(3)), 3, "{ctx:?}");
    }
}

#[test]
fn borrowed_futures_work_on_every_strategy() {
    for &ctx in ALL {
        let out = ctx.run(|| {
            let text = String::from("borrowed");
            let mut counter = 0u32;
            let words: Vec<&str> = vec!["a", "b"];
            let len = sync_facade::block_on(async {
                tokio::task::yield_now().await;
                counter += 1;
                text.len() + words.len()
            })
            .unwrap();
            (len, counter)
        });
        assert_eq!(out, (10, 1), "{ctx:?}");
    }
}

#[test]
fn non_send_futures_run_where_they_can_and_fail_clearly_where_they_cannot() {
    for &ctx in ALL {
        let outcome = ctx.run(|| {
            let shared = std::rc::Rc::new(3);
            let r = sync_facade::block_on_local(async {
                tokio::task::yield_now().await;
                *shared * 2
            });
            r.map_err(|e| (e.kind(), e.to_string()))
        });
        match ctx.expected().1 {
            Strategy::Hosted => {
                let (kind, msg) = outcome.unwrap_err();
                assert_eq!(kind, ErrorKind::NotSend, "{ctx:?}");
                assert!(msg.contains("not Send"), "{msg}");
            }
            _ => assert_eq!(outcome, Ok(6), "{ctx:?}"),
        }
    }
}

#[test]
fn forced_strategies_are_honoured_or_refused_with_an_error() {
    for &ctx in ALL {
        let (kind, _) = ctx.expected();
        let hosted = ctx.run(|| {
            let caller = std::thread::current().id();
            Call::new("forced")
                .strategy(Strategy::Hosted)
                .block_on(async move { std::thread::current().id() != caller })
                .unwrap()
        });
        assert!(hosted, "{ctx:?}: a forced Hosted call runs on the host");

        let direct =
            ctx.run(|| Call::new("forced").strategy(Strategy::Direct).block_on(async { 1 }).map_err(|e| e.kind()));
        let direct_possible = !matches!(
            kind,
            ContextKind::MultiThreadWorker | ContextKind::CurrentThreadDriver | ContextKind::MultiThreadLocalSet
        );
        assert_eq!(direct.is_ok(), direct_possible, "{ctx:?}: forced Direct");
        if !direct_possible {
            assert_eq!(direct, Err(ErrorKind::StrategyUnavailable));
        }

        let in_place =
            ctx.run(|| Call::new("forced").strategy(Strategy::InPlace).block_on(async { 1 }).map_err(|e| e.kind()));
        let in_place_possible = matches!(
            kind,
            ContextKind::MultiThreadWorker | ContextKind::MultiThreadEntered | ContextKind::MultiThreadBlocking
        );
        assert_eq!(in_place.is_ok(), in_place_possible, "{ctx:?}: forced InPlace");
    }
}

#[test]
fn errors_name_the_function_context_and_strategy_and_convert_to_io() {
    let err = Ctx::CurrentThreadTask.run(|| {
        Call::new("load_table").timeout(Duration::from_millis(10)).block_on(std::future::pending::<()>()).unwrap_err()
    });
    let msg = err.to_string();
    assert!(msg.contains("`load_table`"), "{msg}");
    assert!(msg.contains("timed out after 10ms"), "{msg}");
    assert!(msg.contains("current_thread"), "{msg}");
    assert!(msg.contains("strategy: hosted"), "{msg}");
    assert_eq!(err.name(), "load_table");
    assert_eq!(err.context(), ContextKind::CurrentThreadDriver);
    let io: std::io::Error = err.into();
    assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);

    fn assert_traits<E: std::error::Error + Send + Sync + 'static>() {}
    assert_traits::<sync_facade::Error>();
}

/// A tokio task with little budget left must not starve the future it blocks on: a receive loop
/// that would yield every 128 messages under the coop budget completes in one call.
#[test]
fn futures_are_not_starved_by_the_coop_budget() {
    for ctx in [Ctx::MultiThreadTask, Ctx::MultiThreadBlockOn, Ctx::CurrentThreadTask, Ctx::PlainThread] {
        let n = ctx.run(|| {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            for i in 0..10_000u32 {
                tx.send(i).unwrap();
            }
            drop(tx);
            Call::new("drain")
                .timeout(Duration::from_secs(10))
                .block_on(async move {
                    let mut n = 0;
                    while rx.recv().await.is_some() {
                        n += 1;
                    }
                    n
                })
                .unwrap()
        });
        assert_eq!(n, 10_000, "{ctx:?}");
    }
}

/// Two threads in `Runtime::block_on` of one current_thread runtime: the second one does not drive
/// it, yet tokio forbids blocking there. tokio's signals show it as an entered handle; the
/// `block_in_place` probe finds the difference and the call is hosted.
#[test]
fn second_block_on_thread_of_a_current_thread_runtime_is_hosted() {
    let rt = Arc::new(common::ct());
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = tokio::sync::oneshot::channel::<()>();
    let driver = {
        let rt = rt.clone();
        std::thread::spawn(move || {
            rt.block_on(async move {
                started_tx.send(()).unwrap();
                let _ = release_rx.await;
            })
        })
    };
    started_rx.recv().unwrap();
    let (context, value) = {
        let rt = rt.clone();
        std::thread::spawn(move || {
            rt.block_on(async {
                let context = sync_facade::Context::current();
                let value = Call::new("waiter")
                    .timeout(Duration::from_secs(10))
                    .block_on(async {
                        tokio::time::sleep(Duration::from_millis(1)).await;
                        5
                    })
                    .unwrap();
                (context, value)
            })
        })
        .join()
        .unwrap()
    };
    release_tx.send(()).unwrap();
    driver.join().unwrap();
    assert_eq!(context.kind(), ContextKind::CurrentThreadWaiter);
    assert_eq!(context.strategy(), Strategy::Hosted);
    assert_eq!(value, 5);
}

/// The host's configuration is fixed once it has started, and a current_thread handle is refused.
#[test]
fn host_configuration_after_start_is_refused() {
    sync_facade::block_on(async {}).unwrap();
    assert!(sync_facade::host::is_started());
    let err = sync_facade::host::configure(sync_facade::host::HostConfig::new().worker_threads(4)).unwrap_err();
    assert_eq!(err, sync_facade::host::ConfigureError::AlreadyStarted);
    let rt = common::ct();
    let err = sync_facade::host::use_handle(rt.handle().clone()).unwrap_err();
    assert_eq!(err, sync_facade::host::ConfigureError::NotMultiThread);
}

/// A hosted call from a thread that drives a current_thread runtime, whose future waits on a task
/// of that blocked runtime, can only time out: the error says why and what to do (no `tracing`
/// needed). A timeout elsewhere carries no such hint.
#[test]
fn a_timeout_that_is_likely_a_deadlock_names_the_cause_and_the_fix() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let err = rt.block_on(async {
        let (tx, rx) = tokio::sync::oneshot::channel::<u32>();
        // A task of the runtime this thread drives: it cannot run while the call blocks the thread.
        tokio::spawn(async move {
            let _ = tx.send(1);
        });
        Call::new("wait_for_local_task").timeout(Duration::from_millis(50)).block_on(rx).unwrap_err()
    });
    assert!(err.is_timeout(), "{err}");
    assert_eq!(err.strategy(), Some(Strategy::Hosted));
    let msg = err.to_string();
    assert!(msg.contains("`wait_for_local_task` timed out after 50ms"), "{msg}");
    assert!(msg.contains("Likely cause"), "{msg}");
    assert!(msg.contains("deadlock"), "{msg}");
    assert!(msg.contains("create such resources inside the future"), "{msg}");
    assert!(msg.contains("call from a multi_thread runtime or spawn_blocking"), "{msg}");

    let plain =
        Call::new("slow").timeout(Duration::from_millis(10)).block_on(std::future::pending::<()>()).unwrap_err();
    assert!(plain.is_timeout());
    assert!(!plain.to_string().contains("Likely cause"), "{plain}");
}
