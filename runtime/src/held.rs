//! What the blocking iterator, reader and writer share: a pinned async value that lives between
//! facade calls, and the rule for dropping it without blocking.
//!
//! Each item (or read, or write) is one facade call, [`Call::block_on`](crate::Call::block_on) of a
//! future that borrows the value for one poll loop: the value itself stays in the adapter between
//! calls. Hosted calls move only that borrow to a hosting thread, so the value must be `Send`;
//! the `Local*` adapters run it with [`Call::block_on_local`](crate::Call::block_on_local).
//!
//! Dropping never blocks: the adapter's `Drop` drops the value right on the dropping thread, with
//! the runtime a call from that thread would poll it in entered (the caller's multi_thread
//! runtime, or the facade host's), so a destructor that spawns, or that needs a runtime context,
//! finds the runtime the value ran in. A value that ran to its end (a stream that returned `None`)
//! is dropped inside the last call instead, on the thread that polled it.

use crate::host;
use std::pin::Pin;
use tokio::runtime::{Handle, RuntimeFlavor};

/// A pinned value used by one facade call at a time; dropped by [`drop_in_its_runtime`].
pub(crate) struct Held<T: ?Sized>(pub(crate) Option<Pin<Box<T>>>);

impl<T> Held<T> {
    pub(crate) fn new(value: T) -> Self {
        Held(Some(Box::pin(value)))
    }
}

impl<T: ?Sized> Held<T> {
    /// Takes the value out (its `Drop` then has nothing to do).
    pub(crate) fn take(&mut self) -> Option<Pin<Box<T>>> {
        self.0.take()
    }
}

impl<T: ?Sized> Drop for Held<T> {
    fn drop(&mut self) {
        if let Some(value) = self.0.take() {
            drop_in_its_runtime(value);
        }
    }
}

/// Drops `value` on this thread without blocking, inside the runtime a facade call made here
/// would poll it in: an entered multi_thread runtime stays as it is (Direct and InPlace poll with
/// it; a `LocalSet` on it hosts, but its runtime is driven by its workers, so a spawn there is as
/// good); anywhere else calls poll with the facade host's handle (this thread's shard of it)
/// entered, so it is entered for the drop too (if the host has started at all: if not, nothing
/// ever ran there). When tokio's thread-locals are already gone (a thread-local destructor)
/// nothing can be entered, and the value is dropped as it is.
pub(crate) fn drop_in_its_runtime<T: ?Sized>(value: Pin<Box<T>>) {
    let _enter = match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => None,
        Err(e) if e.is_thread_local_destroyed() => None,
        _ => host::current().map(|host| host.direct_handle().enter()),
    };
    drop(value);
}
