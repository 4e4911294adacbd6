//! The synchronisation primitives of the hand-over protocols (`park.rs`, `pool.rs`): std's, or
//! loom's when the crate is built for model checking.
//!
//! ```text
//! RUSTFLAGS="--cfg sync_facade_loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test -p sync-facade-runtime --lib --release loom
//! ```
//!
//! A crate-specific cfg, not `--cfg loom`: tokio has `cfg(loom)` code of its own that would change
//! (and break) under the global one. Under loom, timed waits are modelled as waits that may end
//! early (a timeout can fire at any point), and the clock is not consulted.

#[cfg(not(sync_facade_loom))]
pub(crate) use std::sync::{
    atomic::{AtomicBool, Ordering},
    Mutex, MutexGuard,
};

#[cfg(sync_facade_loom)]
pub(crate) use loom::sync::{
    atomic::{AtomicBool, Ordering},
    Mutex, MutexGuard,
};

// Always std's: `Waker::from` needs a `std::sync::Arc`, and reference counts are not part of the
// protocols (loom's `Arc` would only add leak checks).
pub(crate) use std::sync::Arc;

/// Threads: parking, unparking and yielding.
pub(crate) mod thread {
    #[cfg(not(sync_facade_loom))]
    pub(crate) use std::thread::{current, park, yield_now, Thread};

    #[cfg(sync_facade_loom)]
    pub(crate) use loom::thread::yield_now;

    /// std's park token, modelled with a lock and a condvar: loom's own `unpark` also wakes a
    /// thread blocked on a lock or a join, which std's never does, and loom then fails.
    #[cfg(sync_facade_loom)]
    #[derive(Clone)]
    pub(crate) struct Thread(std::sync::Arc<(loom::sync::Mutex<bool>, loom::sync::Condvar)>);

    #[cfg(sync_facade_loom)]
    loom::thread_local! {
        static TOKEN: Thread = Thread(std::sync::Arc::new((loom::sync::Mutex::new(false), loom::sync::Condvar::new())));
    }

    #[cfg(sync_facade_loom)]
    pub(crate) fn current() -> Thread {
        TOKEN.with(Thread::clone)
    }

    /// Blocks until the token is available, and consumes it.
    #[cfg(sync_facade_loom)]
    pub(crate) fn park() {
        let token = current();
        let mut available = token.0 .0.lock().unwrap();
        while !*available {
            available = token.0 .1.wait(available).unwrap();
        }
        *available = false;
    }

    #[cfg(sync_facade_loom)]
    impl Thread {
        /// Makes the token available and wakes the thread if it waits for it.
        pub(crate) fn unpark(&self) {
            *self.0 .0.lock().unwrap() = true;
            self.0 .1.notify_one();
        }
    }

    /// Parks for at most `dur` (may return early, like `std::thread::park_timeout`).
    #[cfg(not(sync_facade_loom))]
    pub(crate) fn park_timeout(dur: std::time::Duration) {
        std::thread::park_timeout(dur)
    }

    /// Under loom a timed park is a yield: the timeout may fire at any point.
    #[cfg(sync_facade_loom)]
    pub(crate) fn park_timeout(_: std::time::Duration) {
        loom::thread::yield_now()
    }
}

/// Locks `mutex`, ignoring poisoning: every critical section of the protocols leaves its data
/// consistent before anything that can panic runs.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
