//! The runtime half of [`sync-facade`](https://docs.rs/sync-facade): run any future to completion
//! from sync code, in every calling context, correctly and cheaply.
//!
//! Most users depend on `sync-facade` and use its `#[sync_facade]` attribute; this crate is what
//! the generated blocking twins call, and it can be used directly:
//!
//! ```
//! use std::time::Duration;
//!
//! async fn fetch(id: u32) -> String {
//!     tokio::task::yield_now().await;
//!     format!("item {id}")
//! }
//!
//! // From a plain thread...
//! assert_eq!(sync_facade_runtime::block_on(fetch(1)).unwrap(), "item 1");
//!
//! // ...and from inside a current_thread runtime, where `Runtime::block_on` would panic.
//! let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
//! rt.block_on(async {
//!     let call = sync_facade_runtime::Call::new("fetch").timeout(Duration::from_secs(5));
//!     assert_eq!(call.block_on(fetch(2)).unwrap(), "item 2");
//! });
//! ```
//!
//! # Strategies
//!
//! | context | [`ContextKind`] | [`Strategy`] |
//! |---|---|---|
//! | plain thread, `futures`/`pollster` `block_on` | `NoRuntime` | `Direct` on the host's handle |
//! | `spawn_blocking` thread (multi_thread) | `MultiThreadBlocking` | `Direct` |
//! | `spawn_blocking` thread, `Handle::enter` (current_thread) | `CurrentThreadBlocking` | `Direct` on the host's handle |
//! | multi_thread task | `MultiThreadWorker` | `InPlace` |
//! | multi_thread `block_on` root, `Handle::enter` (multi_thread) | `MultiThreadEntered` | `InPlace` |
//! | current_thread `block_on` root or task, `LocalSet` on it, `LocalRuntime` | `CurrentThreadDriver` | `Hosted` |
//! | `LocalSet` on a multi_thread runtime | `MultiThreadLocalSet` | `Hosted` |
//! | a multi_thread runtime's worker while the runtime shuts down (a task's `Drop`) | `MultiThreadShutdown` | `Direct` on the host's handle |
//! | a thread-local destructor or `atexit` handler, once tokio's thread-locals are gone | `ThreadExiting` | `Hosted` |
//!
//! # Streams, readers and writers
//!
//! [`BlockingStream`] walks a `futures_core::Stream` as an [`Iterator`], [`BlockingRead`] reads a
//! `tokio::io::AsyncRead` as `std::io::Read` + `BufRead`, [`BlockingWrite`] writes a
//! `tokio::io::AsyncWrite` as `std::io::Write`; each item, read or write is one call as above (the
//! `Local*` variants for values that are not `Send`). Dropping them never blocks.
//!
//! # Guarantees
//!
//! * Borrowed futures work on every strategy; a hosted future is dropped before the call returns,
//!   and before a panic unwinds out of the call (a stall-warning hook's, for one).
//! * Timeouts need no time driver and cancel (drop) the future before the error is returned. The
//!   future is dropped where it ran, inside the runtime that polled it (on the hosting thread for
//!   a hosted call), so destructors that need a runtime work.
//! * A panic inside the future is re-raised on the caller's thread with its original payload.
//! * Futures polled on the caller's thread are not starved by tokio's coop budget.
//! * No OS thread is spawned per call.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
// `unsafe` only in `erase`, the one module allowed it (each block argued there).
#![deny(unsafe_code)]
// Model-checking builds (`--cfg sync_facade_loom`) compile the protocols without their callers.
#![cfg_attr(sync_facade_loom, allow(dead_code))]

mod call;
mod context;
#[allow(unsafe_code)]
mod erase;
mod error;
mod fork;
mod held;
pub mod host;
mod io;
mod job;
mod park;
mod pool;
mod probe;
mod strategy;
mod stream;
mod sync;
mod trace;

pub use call::Call;
pub use context::Context;
pub use error::{Error, ErrorKind};
pub use io::{BlockingRead, BlockingWrite, LocalBlockingRead, LocalBlockingWrite, DEFAULT_READ_BUFFER};
pub use strategy::{ContextKind, Strategy};
pub use stream::{BlockingStream, LocalBlockingStream};
pub use trace::set_stall_warning;

use std::future::Future;

/// Runs `fut` to completion from sync code, choosing the cheapest correct strategy for the calling
/// context (see [`Context`]). Equivalent to `Call::new("block_on").block_on(fut)`.
///
/// Works on a plain thread, inside any tokio runtime flavor, task, `LocalSet` or blocking thread,
/// and inside other executors, in a `Drop` run by a runtime's shutdown or by unwinding, in
/// thread-local destructors and `atexit` handlers, and in a `fork()` child. Borrowed futures are
/// fine.
///
/// **Give calls from async code a timeout.** Called on a thread that drives a current_thread
/// runtime (or a `LocalSet`), the future is hosted on another thread while this one is blocked:
/// a future that waits on a socket, timer, process or task of the blocked runtime can never
/// finish, and without a timeout such a call never returns. With one
/// ([`Call::timeout`]) it fails with [`ErrorKind::Timeout`], and the error's message names that
/// likely cause and the fix (create the resource inside the future, or call from a multi_thread
/// runtime or `spawn_blocking`).
///
/// ```
/// let name = String::from("sync");
/// let greeting = sync_facade_runtime::block_on(async { format!("hello, {name}") }).unwrap();
/// assert_eq!(greeting, "hello, sync");
/// ```
pub fn block_on<F>(fut: F) -> Result<F::Output, Error>
where
    F: Future + Send,
    F::Output: Send,
{
    Call::new("block_on").block_on(fut)
}

/// Runs a future that is not `Send` to completion from sync code; see [`Call::block_on_local`].
///
/// ```
/// use std::rc::Rc;
///
/// let shared = Rc::new(5);
/// let out = sync_facade_runtime::block_on_local(async { *shared + 1 }).unwrap();
/// assert_eq!(out, 6);
/// ```
pub fn block_on_local<F: Future>(fut: F) -> Result<F::Output, Error> {
    Call::new("block_on_local").block_on_local(fut)
}
