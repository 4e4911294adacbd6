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
        self.notify();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.notify();
    }
}

/// The deadline passed before the future was ready.
pub(crate) struct Elapsed;

impl Signal {
    /// A signal that wakes the calling thread.
    pub(crate) fn for_current_thread() -> Arc<Signal> {
        Arc::new(Signal { notified: AtomicBool::new(false), thread: thread::current() })
    }

    /// Wakes the waiting thread. Unparks only on the false -> true edge: repeated wakes before the
    /// waiter runs cost one swap, and a spinning waiter is never sent a futex wake-up.
    pub(crate) fn notify(&self) {
        if !self.notified.swap(true, Ordering::Release) {
            self.thread.unpark();
        }
    }

    /// Like [`wait`](Self::wait), but first spins for up to `spin` watching the flag. A hosted
    /// call's answer comes from another thread a few microseconds after it started; catching it
    /// while spinning saves a futex sleep and wake-up, which on a virtual machine cost more than
    /// the work itself.
    pub(crate) fn wait_spinning(&self, deadline: Option<Instant>, spin: std::time::Duration) -> Result<(), Elapsed> {
        let start = Instant::now();
        'spin: loop {
            for _ in 0..64 {
                if self.notified.load(Ordering::Relaxed) {
                    break 'spin;
                }
                std::hint::spin_loop();
            }
            if start.elapsed() >= spin || deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
        }
        self.wait(deadline)
    }

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
            let signal = Signal::for_current_thread();
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

    /// See [`Signal::wait_spinning`].
    pub(crate) fn wait_spinning(&self, deadline: Option<Instant>, spin: std::time::Duration) -> Result<(), Elapsed> {
        self.signal.wait_spinning(deadline, spin)
    }

    /// The signal behind this parker's waker, to be notified from elsewhere.
    pub(crate) fn signal(&self) -> &Arc<Signal> {
        &self.signal
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
