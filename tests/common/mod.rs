//! Calling contexts for the runtime tests: each runs a sync closure the way real code ends up
//! running sync code, and reports the result.
#![allow(dead_code)]

use std::future::Future;
use std::sync::OnceLock;
use sync_facade::{ContextKind, Strategy};
use tokio::runtime::{Builder, Runtime};

/// One `#[test]` per context of the matrix, each running `$check(Ctx::...)`, and a test that the
/// list covers [`ALL`]. Use it after `#[macro_use] mod common;`.
#[allow(unused_macros)]
macro_rules! context_matrix {
    ($check:path) => {
        context_matrix!(@tests $check;
            plain_thread => PlainThread,
            multi_thread_task => MultiThreadTask,
            multi_thread_block_on => MultiThreadBlockOn,
            current_thread_task => CurrentThreadTask,
            current_thread_block_on => CurrentThreadBlockOn,
            spawn_blocking_multi_thread => SpawnBlockingMultiThread,
            spawn_blocking_current_thread => SpawnBlockingCurrentThread,
            enter_guard_multi_thread => EnterGuardMultiThread,
            enter_guard_current_thread => EnterGuardCurrentThread,
            inside_block_in_place => InsideBlockInPlace,
            local_set_multi_thread => LocalSetMultiThread,
            local_set_current_thread => LocalSetCurrentThread,
            local_runtime => LocalRuntime,
            facade_host_threads => FacadeHost,
            futures_executor => FuturesExecutor,
            pollster => Pollster,
        );
    };
    (@tests $check:path; $($test:ident => $ctx:ident,)*) => {
        $(
            #[test]
            fn $test() {
                $check(crate::common::Ctx::$ctx);
            }
        )*
        #[test]
        fn every_context_is_covered() {
            let covered = [$(crate::common::Ctx::$ctx),*];
            assert!(crate::common::ALL.iter().all(|c| covered.contains(c)));
            assert_eq!(covered.len(), crate::common::ALL.len());
        }
    };
}

/// Runs test `name` of this test binary again, in a child process with `var=value` set, and
/// asserts that the child succeeded and printed `marker` (for scenarios that need a process of
/// their own: thread-local destructors at exit, a host configured differently).
pub fn rerun_in_child(name: &str, var: &str, value: &str, marker: &str) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(var, value)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && stdout.contains(marker), "{out:?}");
}

/// Every calling context of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    PlainThread,
    MultiThreadTask,
    MultiThreadBlockOn,
    CurrentThreadTask,
    CurrentThreadBlockOn,
    SpawnBlockingMultiThread,
    SpawnBlockingCurrentThread,
    EnterGuardMultiThread,
    EnterGuardCurrentThread,
    InsideBlockInPlace,
    LocalSetMultiThread,
    LocalSetCurrentThread,
    LocalRuntime,
    FacadeHost,
    FuturesExecutor,
    Pollster,
}

pub const ALL: &[Ctx] = &[
    Ctx::PlainThread,
    Ctx::MultiThreadTask,
    Ctx::MultiThreadBlockOn,
    Ctx::CurrentThreadTask,
    Ctx::CurrentThreadBlockOn,
    Ctx::SpawnBlockingMultiThread,
    Ctx::SpawnBlockingCurrentThread,
    Ctx::EnterGuardMultiThread,
    Ctx::EnterGuardCurrentThread,
    Ctx::InsideBlockInPlace,
    Ctx::LocalSetMultiThread,
    Ctx::LocalSetCurrentThread,
    Ctx::LocalRuntime,
    Ctx::FacadeHost,
    Ctx::FuturesExecutor,
    Ctx::Pollster,
];

impl Ctx {
    /// The context kind and strategy the facade must report (and use) here.
    pub fn expected(self) -> (ContextKind, Strategy) {
        use ContextKind as K;
        match self {
            Ctx::PlainThread | Ctx::FuturesExecutor | Ctx::Pollster => (K::NoRuntime, Strategy::Direct),
            Ctx::MultiThreadTask | Ctx::FacadeHost => (K::MultiThreadWorker, Strategy::InPlace),
            // tokio reports no worker inside `block_in_place`: its core has been handed off.
            Ctx::InsideBlockInPlace => (K::MultiThreadBlocking, Strategy::Direct),
            Ctx::MultiThreadBlockOn | Ctx::EnterGuardMultiThread => (K::MultiThreadEntered, Strategy::InPlace),
            Ctx::SpawnBlockingMultiThread => (K::MultiThreadBlocking, Strategy::Direct),
            Ctx::SpawnBlockingCurrentThread | Ctx::EnterGuardCurrentThread => {
                (K::CurrentThreadBlocking, Strategy::Direct)
            }
            Ctx::CurrentThreadTask | Ctx::CurrentThreadBlockOn | Ctx::LocalSetCurrentThread | Ctx::LocalRuntime => {
                (K::CurrentThreadDriver, Strategy::Hosted)
            }
            Ctx::LocalSetMultiThread => (K::MultiThreadLocalSet, Strategy::Hosted),
        }
    }

    /// Whether a runtime of the caller's own, multi_thread, keeps running while the caller blocks
    /// (so a task of it can feed the future).
    pub fn own_multi_thread_runtime(self) -> bool {
        matches!(
            self,
            Ctx::MultiThreadTask
                | Ctx::MultiThreadBlockOn
                | Ctx::SpawnBlockingMultiThread
                | Ctx::EnterGuardMultiThread
                | Ctx::InsideBlockInPlace
                | Ctx::FacadeHost
        )
    }

    /// Runs `f` in this context and returns its result. Panics inside `f` propagate.
    pub fn run<R: Send + 'static>(self, f: impl FnOnce() -> R + Send + 'static) -> R {
        match self {
            Ctx::PlainThread => join(std::thread::spawn(f)),
            Ctx::MultiThreadTask => mt().block_on(async { unwrap_join(tokio::spawn(async { f() }).await) }),
            Ctx::MultiThreadBlockOn => on_thread(move || mt().block_on(async { f() })),
            Ctx::CurrentThreadTask => {
                on_thread(move || ct().block_on(async { unwrap_join(tokio::spawn(async { f() }).await) }))
            }
            Ctx::CurrentThreadBlockOn => on_thread(move || ct().block_on(async { f() })),
            Ctx::SpawnBlockingMultiThread => mt().block_on(async { unwrap_join(tokio::task::spawn_blocking(f).await) }),
            Ctx::SpawnBlockingCurrentThread => {
                on_thread(move || ct().block_on(async { unwrap_join(tokio::task::spawn_blocking(f).await) }))
            }
            Ctx::EnterGuardMultiThread => on_thread(move || {
                let _guard = mt().enter();
                f()
            }),
            Ctx::EnterGuardCurrentThread => on_thread(move || {
                let rt = ct();
                let _guard = rt.enter();
                f()
            }),
            Ctx::InsideBlockInPlace => {
                mt().block_on(async { unwrap_join(tokio::spawn(async { tokio::task::block_in_place(f) }).await) })
            }
            Ctx::LocalSetMultiThread => on_thread(move || tokio::task::LocalSet::new().block_on(mt(), async { f() })),
            Ctx::LocalSetCurrentThread => on_thread(move || {
                let rt = ct();
                tokio::task::LocalSet::new().block_on(&rt, async { f() })
            }),
            Ctx::LocalRuntime => on_thread(move || {
                let rt = tokio::runtime::LocalRuntime::new().expect("local runtime");
                rt.block_on(async { unwrap_join(tokio::task::spawn_local(async { f() }).await) })
            }),
            Ctx::FacadeHost => {
                let handle = sync_facade::host::handle().expect("host");
                let join = handle.spawn(async { f() });
                sync_facade::block_on(join)
                    .expect("host call")
                    .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
            }
            Ctx::FuturesExecutor => on_thread(move || futures::executor::block_on(async { f() })),
            Ctx::Pollster => on_thread(move || pollster::block_on(async { f() })),
        }
    }
}

fn join<R>(h: std::thread::JoinHandle<R>) -> R {
    h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
}

fn on_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    join(std::thread::spawn(f))
}

fn unwrap_join<R>(r: Result<R, tokio::task::JoinError>) -> R {
    r.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

/// The caller's multi_thread runtime, shared by the tests of one binary (2 workers, timers, IO).
pub fn mt() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime"))
}

/// A fresh current_thread runtime with timers and IO.
pub fn ct() -> Runtime {
    Builder::new_current_thread().enable_all().build().expect("runtime")
}

/// A future that sets `flag` when dropped.
pub struct DropFlag(pub std::sync::Arc<std::sync::atomic::AtomicBool>);

impl DropFlag {
    /// A new flag, and what it sets when dropped (read with `load`).
    pub fn new() -> (DropFlag, std::sync::Arc<std::sync::atomic::AtomicBool>) {
        let dropped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        (DropFlag(dropped.clone()), dropped)
    }
}

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Never completes; owns a drop flag.
pub async fn pending_with_flag(flag: DropFlag) {
    let _flag = flag;
    std::future::pending::<()>().await
}

/// Boxes any future as `Send` for uniform tables.
pub fn boxed<T>(f: impl Future<Output = T> + Send + 'static) -> std::pin::Pin<Box<dyn Future<Output = T> + Send>> {
    Box::pin(f)
}

/// A writer that is not `Send` (it holds an `Rc`): it appends to the shared buffer.
pub struct RcWriter(pub std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl tokio::io::AsyncWrite for RcWriter {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.0.borrow_mut().extend_from_slice(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}
