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
//!
//! # Guarantees
//!
//! * Borrowed futures work on every strategy; a hosted future is dropped before the call returns.
//! * Timeouts need no time driver and cancel (drop) the future before the error is returned. The
//!   future is dropped where it ran, inside the runtime that polled it (on the hosting thread for
//!   a hosted call), so destructors that need a runtime work.
//! * A panic inside the future is re-raised on the caller's thread with its original payload.
//! * Futures polled on the caller's thread are not starved by tokio's coop budget.
//! * No OS thread is spawned per call.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
// Model-checking builds (`--cfg sync_facade_loom`) compile the protocols without their callers.
#![cfg_attr(sync_facade_loom, allow(dead_code))]

mod call;
mod context;
mod erase;
mod error;
mod fork;
pub mod host;
mod job;
mod park;
mod pool;
mod probe;
mod strategy;
mod sync;
mod trace;

pub use call::Call;
pub use context::Context;
pub use error::{Error, ErrorKind};
pub use strategy::{ContextKind, Strategy};
pub use trace::set_stall_warning;

use std::future::Future;

/// Runs `fut` to completion from sync code, choosing the cheapest correct strategy for the calling
/// context (see [`Context`]). Equivalent to `Call::new("block_on").block_on(fut)`.
///
/// Works on a plain thread, inside any tokio runtime flavor, task, `LocalSet` or blocking thread,
/// and inside other executors. Borrowed futures are fine.
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
