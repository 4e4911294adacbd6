//! What the caller's thread is doing ([`ContextKind`]) and how a call is run there ([`Strategy`]).

use core::fmt;

/// How a blocking call runs its future.
///
/// Picked by [`Context::strategy`](crate::Context::strategy) from the calling context, or forced with
/// [`Call::strategy`](crate::Call::strategy).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Strategy {
    /// No task is being driven on this thread: the future is polled on the caller's thread, with the
    /// entered multi_thread runtime's handle (or the facade host's handle) entered. No thread hop.
    Direct,
    /// The caller is a task or the `block_on` root of a multi_thread runtime: the worker is handed
    /// off with [`tokio::task::block_in_place`] and the future is polled on the caller's thread, so
    /// resources bound to the caller's runtime keep working and non-`Send` futures are fine.
    InPlace,
    /// This thread drives a current_thread runtime, a `LocalRuntime` or a `LocalSet`: blocking it in
    /// place is impossible, so the future moves to the facade host (a hosting thread that polls it
    /// with the host runtime's handle entered, or, when all are busy, a task of the host runtime)
    /// and the caller's thread waits until the future has finished (or has been dropped after a
    /// timeout).
    Hosted,
}

impl Strategy {
    /// The short name used in messages and spans: `direct`, `in_place` or `hosted`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Strategy::Direct => "direct",
            Strategy::InPlace => "in_place",
            Strategy::Hosted => "hosted",
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the calling thread stands, as far as tokio lets anyone see.
///
/// tokio exposes no "may I block here?" query. The kind is derived from the public signals
/// (`Handle::try_current`, `Handle::runtime_flavor`, `tokio::runtime::worker_index`,
/// `tokio::task::try_id`) and, where those cannot tell two contexts apart, from asking
/// `block_in_place` itself (see [`Context::current`](crate::Context::current)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContextKind {
    /// No tokio runtime is entered on this thread (a plain thread, `main` before any runtime, a
    /// thread driven by `futures::executor::block_on` or `pollster`).
    NoRuntime,
    /// A worker thread of a multi_thread runtime, running one of its tasks.
    MultiThreadWorker,
    /// A multi_thread runtime is entered but no worker of it runs here, and no task: the thread
    /// that called `Runtime::block_on`, or a thread holding a `Handle::enter` guard (tokio shows
    /// both alike).
    MultiThreadEntered,
    /// A blocking thread of a multi_thread runtime (`spawn_blocking`), or a thread inside
    /// `block_in_place`: blocking is allowed.
    MultiThreadBlocking,
    /// A `LocalSet` runs on this thread of a multi_thread runtime: `block_in_place` is forbidden.
    MultiThreadLocalSet,
    /// This thread drives a current_thread runtime: its `block_on` root, one of its tasks, a
    /// `LocalSet` on it, or a `LocalRuntime`.
    CurrentThreadDriver,
    /// A current_thread runtime is entered but not driven here: a `spawn_blocking` thread of it, or
    /// a `Handle::enter` guard.
    CurrentThreadBlocking,
    /// A second thread inside `Runtime::block_on` of a current_thread runtime that another thread
    /// drives: the runtime forbids blocking here.
    CurrentThreadWaiter,
    /// A worker of a multi_thread runtime that is shutting down (dropping its tasks, which is where
    /// a flush-on-drop guard owned by a task runs): its timers, IO and spawns no longer work, so
    /// the future is driven here on the facade host's runtime.
    MultiThreadShutdown,
    /// This thread's thread-local storage is being destroyed (a thread-local destructor, an
    /// `atexit` handler) and tokio's context with it: no runtime can be entered here, so the
    /// future is hosted.
    ThreadExiting,
}

impl ContextKind {
    /// A short human description used in messages.
    pub const fn describe(self) -> &'static str {
        match self {
            ContextKind::NoRuntime => "no runtime",
            ContextKind::MultiThreadWorker => "multi_thread runtime task",
            ContextKind::MultiThreadEntered => "multi_thread runtime block_on or entered handle",
            ContextKind::MultiThreadBlocking => "multi_thread runtime blocking thread",
            ContextKind::MultiThreadLocalSet => "LocalSet on a multi_thread runtime",
            ContextKind::CurrentThreadDriver => "current_thread runtime (block_on, task, LocalSet or LocalRuntime)",
            ContextKind::CurrentThreadBlocking => "current_thread runtime blocking thread or entered handle",
            ContextKind::CurrentThreadWaiter => "current_thread runtime block_on on a non-driving thread",
            ContextKind::MultiThreadShutdown => "multi_thread runtime shutting down",
            ContextKind::ThreadExiting => "thread-local destructor or atexit handler",
        }
    }

    /// The strategy the facade uses for this kind of context.
    pub const fn strategy(self) -> Strategy {
        match self {
            ContextKind::NoRuntime
            | ContextKind::MultiThreadBlocking
            | ContextKind::CurrentThreadBlocking
            | ContextKind::MultiThreadShutdown => Strategy::Direct,
            ContextKind::MultiThreadWorker | ContextKind::MultiThreadEntered => Strategy::InPlace,
            ContextKind::MultiThreadLocalSet
            | ContextKind::CurrentThreadDriver
            | ContextKind::CurrentThreadWaiter
            | ContextKind::ThreadExiting => Strategy::Hosted,
        }
    }
}

impl fmt::Display for ContextKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}
