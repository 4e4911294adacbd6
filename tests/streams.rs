//! Streams as blocking iterators, in every calling context of the matrix: a full walk, an early
//! drop, a per-item timeout, a panicking stream, an empty stream, an erroring stream, and a
//! stream that is not `Send` (`LocalBlockingStream`).

#[macro_use]
mod common;

use common::Ctx;
use futures::stream::{self, StreamExt};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::ThreadId;
use std::time::Duration;
use sync_facade::{BlockingStream, Call, ErrorKind, LocalBlockingStream, Strategy};

const CALL: Call = Call::new("rows").timeout(Duration::from_secs(20));

fn here() -> ThreadId {
    std::thread::current().id()
}

/// 20 items; every item yields, every 5th sleeps on tokio's timer and every 7th comes from a
/// task spawned onto the runtime the item is polled in. Each item carries the thread it was
/// produced on.
fn rows() -> impl futures_core::Stream<Item = (u32, ThreadId)> + Send + 'static {
    stream::unfold(0u32, |i| async move {
        if i == 20 {
            return None;
        }
        tokio::task::yield_now().await;
        if i % 5 == 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let value = if i % 7 == 0 { tokio::spawn(async move { i * 10 }).await.unwrap() } else { i * 10 };
        Some(((value, here()), i + 1))
    })
}

fn full_walk(ctx: Ctx) {
    let (items, caller) = ctx.run(|| {
        let items: Vec<_> = BlockingStream::new(CALL, rows()).collect::<Result<_, _>>().unwrap();
        (items, here())
    });
    let values: Vec<u32> = items.iter().map(|(v, _)| *v).collect();
    assert_eq!(values, (0..20).map(|i| i * 10).collect::<Vec<_>>(), "{ctx:?}");
    // Each item is one facade call with the context's strategy: polled on the caller's thread,
    // or hosted on another one.
    for (i, (_, thread)) in items.iter().enumerate() {
        match ctx.expected().1 {
            Strategy::Direct | Strategy::InPlace => assert_eq!(*thread, caller, "{ctx:?}: item {i} thread"),
            _ => assert_ne!(*thread, caller, "{ctx:?}: item {i} hosted"),
        }
    }
}

/// A stream that counts how many items were produced and, when dropped, records whether a
/// runtime was entered and whether a task spawned from its destructor ran.
struct Tracked {
    produced: Arc<AtomicUsize>,
    dropped: Arc<AtomicBool>,
    spawned: mpsc::Sender<()>,
}

impl futures_core::Stream for Tracked {
    type Item = usize;
    fn poll_next(self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Option<usize>> {
        std::task::Poll::Ready(Some(self.produced.fetch_add(1, Ordering::SeqCst)))
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
        // A destructor that needs a runtime (sqlx returns pooled connections this way).
        let tx = self.spawned.clone();
        tokio::spawn(async move {
            let _ = tx.send(());
        });
    }
}

fn early_drop(ctx: Ctx) {
    let produced = Arc::new(AtomicUsize::new(0));
    let dropped = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let stream = Tracked { produced: produced.clone(), dropped: dropped.clone(), spawned: tx };
    let first: Vec<usize> = ctx.run({
        let dropped = dropped.clone();
        move || {
            let mut it = BlockingStream::new(CALL, stream);
            let first: Vec<usize> = it.by_ref().take(3).map(Result::unwrap).collect();
            assert!(!dropped.load(Ordering::SeqCst));
            drop(it);
            // Dropped synchronously, right here, without blocking the async caller.
            assert!(dropped.load(Ordering::SeqCst));
            first
        }
    });
    assert_eq!(first, [0, 1, 2], "{ctx:?}");
    assert_eq!(produced.load(Ordering::SeqCst), 3, "{ctx:?}: no item polled past the drop");
    // The destructor ran inside a runtime that is driven: its spawned task ran.
    rx.recv_timeout(Duration::from_secs(20)).unwrap_or_else(|e| panic!("{ctx:?}: spawned in drop: {e}"));
}

fn per_item_timeout(ctx: Ctx) {
    let (flag, dropped) = common::DropFlag::new();
    let got = ctx.run(move || {
        // Items 0 and 1 come at once, item 2 never does.
        let stream = stream::iter(0..2u32).chain(stream::once(async move {
            let _flag = flag;
            std::future::pending::<u32>().await
        }));
        let call = Call::new("slow_rows").timeout(Duration::from_millis(200));
        let mut it = BlockingStream::new(call, stream);
        let got: Vec<_> = it.by_ref().collect();
        let after = it.next().is_none();
        // The timed-out call cancelled only its borrow: the stream is intact.
        let stream = it.into_inner();
        (got.into_iter().map(|r| r.map_err(|e| e.kind())).collect::<Vec<_>>(), after, stream.is_some())
    });
    let (got, ended, intact) = got;
    assert_eq!(got, [Ok(0), Ok(1), Err(ErrorKind::Timeout)], "{ctx:?}");
    assert!(ended, "{ctx:?}: an error ends the iteration");
    assert!(intact, "{ctx:?}: the stream survives a timed-out item");
    assert!(dropped.load(Ordering::SeqCst), "{ctx:?}: the stream was dropped with the iterator");
}

fn panicking(ctx: Ctx) {
    let (before, payload, after) = ctx.run(|| {
        let stream = stream::iter(0..5u32).map(|i| if i == 2 { panic!("row {i} is bad") } else { i });
        let mut it = BlockingStream::new(CALL, stream);
        let mut before = vec![];
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            for item in it.by_ref() {
                before.push(item.unwrap());
            }
        }));
        let payload = caught.expect_err("the stream's panic is re-raised");
        let message = payload.downcast_ref::<String>().cloned().unwrap_or_default();
        (before, message, it.next().is_none())
    });
    assert_eq!(before, [0, 1], "{ctx:?}");
    assert_eq!(payload, "row 2 is bad", "{ctx:?}: the original payload");
    assert!(after, "{ctx:?}: a panicked iterator is finished");
}

fn empty(ctx: Ctx) {
    let (first, second) = ctx.run(|| {
        let mut it = BlockingStream::new(CALL, stream::empty::<u32>());
        (it.next().is_none(), it.next().is_none())
    });
    assert!(first && second, "{ctx:?}");
}

fn erroring(ctx: Ctx) {
    let got = ctx.run(|| {
        let stream = stream::iter(vec![Ok(1u32), Err(std::io::Error::other("bad row")), Ok(3)]);
        BlockingStream::new(CALL, stream)
            .map(|r| r.expect("no facade error").map_err(|e| e.to_string()))
            .collect::<Vec<_>>()
    });
    // The stream's own errors are items: the walk goes on after them.
    assert_eq!(got, [Ok(1), Err("bad row".to_string()), Ok(3)], "{ctx:?}");
}

fn local(ctx: Ctx) {
    let got = ctx.run(|| {
        let shared = std::rc::Rc::new(7u32);
        let stream = stream::iter(0..3u32).then(move |i| {
            let shared = shared.clone();
            async move {
                tokio::task::yield_now().await;
                i * *shared
            }
        });
        LocalBlockingStream::new(CALL, stream).map(|r| r.map_err(|e| e.kind())).collect::<Vec<_>>()
    });
    match ctx.expected().1 {
        Strategy::Hosted => assert_eq!(got, [Err(ErrorKind::NotSend)], "{ctx:?}"),
        _ => assert_eq!(got, [Ok(0), Ok(7), Ok(14)], "{ctx:?}"),
    }
}

fn check(ctx: Ctx) {
    full_walk(ctx);
    early_drop(ctx);
    per_item_timeout(ctx);
    panicking(ctx);
    empty(ctx);
    erroring(ctx);
    local(ctx);
}

context_matrix!(check);

/// Nested: a stream whose items are themselves walked through blocking iterators (a facade call
/// inside a facade call), three levels deep, from a hosted context and a direct one.
#[test]
fn nested_streams() {
    fn inner(depth: u32) -> u32 {
        if depth == 0 {
            return 1;
        }
        let stream = stream::iter(0..3u32).then(move |_| async move {
            tokio::task::yield_now().await;
            inner(depth - 1)
        });
        BlockingStream::new(CALL, stream).map(Result::unwrap).sum()
    }
    for ctx in [Ctx::PlainThread, Ctx::CurrentThreadTask, Ctx::MultiThreadTask, Ctx::LocalSetMultiThread] {
        assert_eq!(ctx.run(|| inner(3)), 27, "{ctx:?}");
    }
}

/// A stream dropped mid-way during a panic's unwinding, inside a current_thread task: the drop
/// neither blocks nor aborts, and the panic arrives as it was.
#[test]
fn dropped_while_unwinding_in_async_code() {
    let (flag, dropped) = common::DropFlag::new();
    let caught = panic::catch_unwind(|| {
        Ctx::CurrentThreadTask.run(move || {
            let stream = stream::iter(0..10u32).map(move |i| {
                let _ = &flag;
                i
            });
            let mut it = BlockingStream::new(CALL, stream);
            let _ = it.next();
            panic!("caller gives up");
        })
    });
    assert!(caught.is_err());
    assert!(dropped.load(Ordering::SeqCst));
}

/// A stream dropped mid-way by a thread-local destructor, before and after tokio's own
/// thread-locals are gone: no panic, no abort, and the stream is dropped. Runs in a child process
/// (an abort would take the test binary down).
#[test]
fn dropped_in_a_thread_local_destructor() {
    use std::cell::RefCell;
    type Held = BlockingStream<std::pin::Pin<Box<dyn futures_core::Stream<Item = u32> + Send>>>;
    thread_local! {
        static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
    }
    if std::env::var_os("SYNC_FACADE_TLS_CHILD").is_some() {
        for touch_first in [false, true] {
            let (flag, dropped) = common::DropFlag::new();
            std::thread::spawn(move || {
                if touch_first {
                    // Registered before tokio's context: destroyed after it.
                    HELD.with(|_| {});
                }
                let stream = stream::iter(0..10u32).map(move |i| {
                    let _ = &flag;
                    i
                });
                let mut it: Held = BlockingStream::new(CALL, Box::pin(stream));
                assert_eq!(it.next().unwrap().unwrap(), 0);
                HELD.with(|h| *h.borrow_mut() = Some(it));
            })
            .join()
            .unwrap();
            assert!(dropped.load(Ordering::SeqCst), "touch_first: {touch_first}");
        }
        println!("child done");
        return;
    }
    common::rerun_in_child("dropped_in_a_thread_local_destructor", "SYNC_FACADE_TLS_CHILD", "1", "child done");
}

/// An iterator held by a task of a current_thread runtime that shuts down: dropped during the
/// shutdown, without a panic.
#[test]
fn dropped_by_a_runtime_shutdown() {
    let (flag, dropped) = common::DropFlag::new();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let rt = common::ct();
    rt.spawn(async move {
        let stream = stream::iter(0..10u32).map(move |i| {
            let _ = &flag;
            i
        });
        let mut it = BlockingStream::new(CALL, stream);
        tx.send(it.next().unwrap().unwrap()).unwrap();
        std::future::pending::<()>().await;
        drop(it);
    });
    assert_eq!(rt.block_on(rx).unwrap(), 0);
    drop(rt);
    assert!(dropped.load(Ordering::SeqCst));
}
