//! Waiting on the caller's thread without a runtime: a waker that unparks the thread, and a poll
//! loop with an optional deadline (the `std::thread::park_timeout` approach of reqwest's
//! `blocking::wait`), so timeouts work on runtimes built without the time driver.

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Instant;

/// Wakes one waiting loop on one thread. Every nesting level gets its own `Signal`, so a wake meant
/// for an outer loop is never consumed by an inner one.
pub(crate) struct Signal {
    notified: AtomicBool,
    thread: Thread,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Unpark only on the false -> true edge: repeated wakes before the loop runs cost one swap.
        if !self.notified.swap(true, Ordering::Release) {
            self.thread.unpark();
        }
    }
}

/// The deadline passed before the future was ready.
pub(crate) struct Elapsed;

impl Signal {
    /// Parks until woken, or until `deadline`. Spurious unparks (another level's wake, or
    /// `thread::park`'s own) loop back to the flag.
    pub(crate) fn wait(&self, deadline: Option<Instant>) -> Result<(), Elapsed> {
        loop {
            if self.notified.swap(false, Ordering::Acquire) {
                return Ok(());
            }
            match deadline {
                None => thread::park(),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(Elapsed);
                    }
                    thread::park_timeout(deadline - now);
                }
            }
        }
    }
}

/// A `Signal` and its `Waker`.
pub(crate) struct Parker {
    signal: Arc<Signal>,
    waker: Waker,
}

thread_local! {
    // One cached parker per thread: the outermost wait takes it, nested waits (a facade call inside
    // a future driven by a facade call) allocate their own. Saves an allocation per call.
    static CACHE: RefCell<Option<Parker>> = const { RefCell::new(None) };
}

/// A parker borrowed from the thread's cache for the time of one wait, given back on drop.
pub(crate) struct CachedParker(Option<Parker>);

impl Parker {
    /// Borrows this thread's cached parker, or makes a new one when it is in use.
    pub(crate) fn take() -> CachedParker {
        let cached = CACHE.try_with(|c| c.try_borrow_mut().ok().and_then(|mut c| c.take())).ok().flatten();
        CachedParker(Some(cached.unwrap_or_else(|| {
            let signal = Arc::new(Signal { notified: AtomicBool::new(false), thread: thread::current() });
            let waker = Waker::from(signal.clone());
            Parker { signal, waker }
        })))
    }

    pub(crate) fn waker(&self) -> &Waker {
        &self.waker
    }

    pub(crate) fn wait(&self, deadline: Option<Instant>) -> Result<(), Elapsed> {
        self.signal.wait(deadline)
    }
}

impl std::ops::Deref for CachedParker {
    type Target = Parker;
    fn deref(&self) -> &Parker {
        self.0.as_ref().expect("present until drop")
    }
}

impl Drop for CachedParker {
    fn drop(&mut self) {
        // A stale wake left in the flag only causes one spurious poll on the next use.
        let parker = self.0.take();
        let _ = CACHE.try_with(|c| {
            if let Ok(mut slot) = c.try_borrow_mut() {
                if slot.is_none() {
                    *slot = parker;
                }
            }
        });
    }
}

/// Polls `fut` on this thread until it is ready, parking in between; gives up at `deadline`, in
/// which case the future is dropped before this returns. The future runs unconstrained by tokio's
/// coop budget: the caller blocks on it, so there is nobody to yield to.
pub(crate) fn drive<F: Future>(fut: F, deadline: Option<Instant>) -> Result<F::Output, Elapsed> {
    let mut fut = pin!(tokio::task::coop::unconstrained(fut));
    let parker = Parker::take();
    let mut cx = Context::from_waker(parker.waker());
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return Ok(out);
        }
        parker.wait(deadline)?;
        // A future that wakes itself at once (a `yield_now` loop) must still meet the deadline.
        if let Some(deadline) = deadline {
            if Instant::now() >= deadline {
                return Err(Elapsed);
            }
        }
    }
}
