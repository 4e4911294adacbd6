//! Detecting the calling context.

use crate::probe::{self, Probe};
use crate::{ContextKind, Strategy};
use tokio::runtime::{Handle, RuntimeFlavor};

/// Where the caller stands: which runtime (if any) is entered on this thread and whether this
/// thread drives it. Answers the question tokio has no public query for: "may I block here?".
///
/// ```
/// use sync_facade_runtime::{Context, ContextKind, Strategy};
///
/// // A plain thread: nothing to stall, the future is driven right here.
/// assert_eq!(Context::current().kind(), ContextKind::NoRuntime);
/// assert_eq!(Context::current().strategy(), Strategy::Direct);
///
/// let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// rt.block_on(async {
///     // This thread drives a current_thread runtime: calls are hosted elsewhere.
///     assert_eq!(Context::current().strategy(), Strategy::Hosted);
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Context {
    kind: ContextKind,
}

impl Context {
    /// Describes the calling thread.
    ///
    /// Most contexts are told apart by tokio's public signals alone. A `LocalSet` on a
    /// multi_thread runtime (and a second thread in a current_thread runtime's `block_on`) looks
    /// like its neighbours; there this asks `tokio::task::block_in_place` with an empty closure,
    /// which on a multi_thread worker hands the worker's core off and back (a few microseconds).
    /// Blocking calls themselves do not pay for this: their own `block_in_place` is the probe.
    pub fn current() -> Context {
        let planned = planned();
        let kind = if planned.probe_needed() {
            match probe::block_in_place(true, || ()) {
                Probe::Ran(()) => planned,
                Probe::Refused => planned.refused(),
            }
        } else {
            planned
        };
        Context { kind }
    }

    /// The kind of context.
    pub fn kind(&self) -> ContextKind {
        self.kind
    }

    /// The strategy a blocking call uses here.
    pub fn strategy(&self) -> Strategy {
        self.kind.strategy()
    }
}

impl std::fmt::Display for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (strategy: {})", self.kind, self.kind.strategy())
    }
}

/// Reads the public signals: the entered handle's flavor, whether this thread runs a scheduler
/// (`worker_index` is `Some` exactly on a multi_thread worker and on the thread that drives a
/// current_thread runtime, `LocalRuntime` included), and whether a task is being polled.
///
/// Two edges are told apart here too: a thread whose tokio thread-locals are already destroyed
/// (`Handle::try_current` says so: a thread-local destructor or `atexit` handler), and a
/// multi_thread worker that runs outside any task poll, which is where a shutting-down runtime
/// drops its tasks (see [`probe::shutting_down`]).
pub(crate) fn planned() -> ContextKind {
    let handle = match Handle::try_current() {
        Ok(handle) => handle,
        Err(e) if e.is_thread_local_destroyed() => return ContextKind::ThreadExiting,
        Err(_) => return ContextKind::NoRuntime,
    };
    let driving = tokio::runtime::worker_index().is_some();
    match handle.runtime_flavor() {
        RuntimeFlavor::CurrentThread if driving => ContextKind::CurrentThreadDriver,
        RuntimeFlavor::CurrentThread => ContextKind::CurrentThreadBlocking,
        _ if driving && probe::shutting_down(&handle) => ContextKind::MultiThreadShutdown,
        _ if driving => ContextKind::MultiThreadWorker,
        _ if tokio::task::try_id().is_some() => ContextKind::MultiThreadBlocking,
        _ => ContextKind::MultiThreadEntered,
    }
}

impl ContextKind {
    /// Whether `block_in_place` must confirm this kind (it may really be its refused twin).
    pub(crate) fn probe_needed(self) -> bool {
        !matches!(
            self,
            ContextKind::NoRuntime
                | ContextKind::CurrentThreadDriver
                | ContextKind::MultiThreadShutdown
                | ContextKind::ThreadExiting
        )
    }

    /// The kind once `block_in_place` has refused: blocking is forbidden here.
    pub(crate) fn refused(self) -> ContextKind {
        match self {
            ContextKind::CurrentThreadBlocking => ContextKind::CurrentThreadWaiter,
            ContextKind::CurrentThreadDriver
            | ContextKind::CurrentThreadWaiter
            | ContextKind::MultiThreadShutdown
            | ContextKind::ThreadExiting => self,
            _ => ContextKind::MultiThreadLocalSet,
        }
    }

    /// Whether a `Direct` or `InPlace` drive here must enter the host's handle (no multi_thread
    /// runtime is entered: new timers, sockets and spawns need a runtime that is surely driven).
    pub(crate) fn drives_on_host(self) -> bool {
        matches!(self, ContextKind::NoRuntime | ContextKind::CurrentThreadBlocking | ContextKind::MultiThreadShutdown)
    }
}
