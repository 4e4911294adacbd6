//! Waiting on the caller's thread without a runtime: a waker that unparks the thread, and a poll
//! loop with an optional deadline (the `std::thread::park_timeout` approach of reqwest's
//! `blocking::wait`), so timeouts work on runtimes built without the time driver.

use crate::sync::{thread, Arc, AtomicBool, Ordering};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// Wakes one waiting loop on one thread. Every nesting level gets its own `Signal`, so a wake meant
/// for an outer loop is never consumed by an inner one.
pub(crate) struct Signal {
    notified: AtomicBool,
    /// Whether the thread is (about to be) parked: a hint for the notifier's own spin, never
    /// relied on for correctness (hence std's atomic even under loom).
    parked: std::sync::atomic::AtomicBool,
    thread: thread::Thread,
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

/// How long a waiter spins before it yields between looks at its flag: a partner that is
/// running on another core answers within this.
const BUSY_SPIN: Duration = Duration::from_micros(2);

impl Signal {
    /// A shared signal that wakes the calling thread.
    pub(crate) fn for_current_thread() -> Arc<Signal> {
        Arc::new(Signal {
            notified: AtomicBool::new(false),
            parked: std::sync::atomic::AtomicBool::new(false),
            thread: thread::current(),
        })
    }

    /// Wakes the waiting thread. Unparks only on the false -> true edge: repeated wakes before the
    /// waiter runs cost one swap, and a spinning waiter is never sent a futex wake-up.
    pub(crate) fn notify(&self) {
        if !self.notified.swap(true, Ordering::AcqRel) {
            self.thread.unpark();
        }
    }

    /// Drops a pending wake. Only for a signal whose waker nothing holds for a wait to come (a
    /// cached parker being taken for a new use); a wake sent after this is kept as usual.
    pub(crate) fn forget_wake(&self) {
        self.notified.store(false, Ordering::Relaxed);
    }

    /// Whether the thread looked parked (a hint: it may have just gone to sleep or woken up).
    pub(crate) fn looks_parked(&self) -> bool {
        self.parked.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Watches the flag for up to `budget` (until it is set) without consuming it.
    ///
    /// A hosted call's answer comes from another thread a few microseconds after it started;
    /// catching it while spinning saves a futex sleep and wake-up, which on a virtual machine cost
    /// more than the work itself. Spinning pays while the partner runs on another core. But a
    /// thread that was just woken is usually queued on the CPU of the thread that woke it: if that
    /// thread spins, the partner waits out the whole spin. So when the partner had to be woken
    /// (`yielding`), the spin is busy only for [`BUSY_SPIN`] and then yields the CPU between
    /// looks, so that a partner queued here runs at once. (Yielding is not the default: on a
    /// machine loaded by other processes, a yield can give the CPU away for a whole time slice.)
    pub(crate) fn spin(&self, budget: Duration, yielding: bool) {
        if budget.is_zero() || cfg!(sync_facade_loom) || self.notified.load(Ordering::Acquire) {
            return;
        }
        let start = Instant::now();
        let busy = if yielding { budget.min(BUSY_SPIN) } else { budget };
        loop {
            for _ in 0..16 {
                if self.notified.load(Ordering::Acquire) {
                    return;
                }
                std::hint::spin_loop();
            }
            if start.elapsed() >= busy {
                break;
            }
        }
        while start.elapsed() < budget && !self.notified.load(Ordering::Acquire) {
            thread::yield_now();
        }
    }

    /// Like [`wait`](Self::wait), but first spins for up to `spin` (see [`spin`](Self::spin)).
    pub(crate) fn wait_spinning(
        &self,
        deadline: Option<Instant>,
        spin: Duration,
        yielding: bool,
    ) -> Result<(), Elapsed> {
        let spin = match deadline {
            Some(d) => spin.min(d.saturating_duration_since(Instant::now())),
            None => spin,
        };
        self.spin(spin, yielding);
        self.wait(deadline)
    }

    /// Parks until woken, or until `deadline`. Spurious unparks (another level's wake, or
    /// `thread::park`'s own) loop back to the flag.
    pub(crate) fn wait(&self, deadline: Option<Instant>) -> Result<(), Elapsed> {
        loop {
            if self.notified.swap(false, Ordering::AcqRel) {
                return Ok(());
            }
            self.parked.store(true, std::sync::atomic::Ordering::Relaxed);
            let parked = self.park_once(deadline);
            self.parked.store(false, std::sync::atomic::Ordering::Relaxed);
            parked?;
        }
    }

    /// Parks once; `Err` if the deadline has passed (and no wake came, under loom).
    fn park_once(&self, deadline: Option<Instant>) -> Result<(), Elapsed> {
        match deadline {
            None => thread::park(),
            Some(deadline) => {
                if cfg!(sync_facade_loom) {
                    // Under loom a deadline may pass at any point; time is not modelled.
                    thread::park_timeout(Duration::ZERO);
                    return if self.notified.load(Ordering::Acquire) { Ok(()) } else { Err(Elapsed) };
                }
                let now = Instant::now();
                if now >= deadline {
                    return Err(Elapsed);
                }
                thread::park_timeout(deadline - now);
            }
        }
        Ok(())
    }
}

/// Hosted calls handed over and not yet answered, process-wide.
static IN_FLIGHT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
/// How many hosted calls may be in flight for their threads to spin: half the cores (cached).
static SPIN_WHILE_AT_MOST: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(usize::MAX);

/// A hosted call was handed over (see [`spin_pays`]).
pub(crate) fn hand_over_started() {
    IN_FLIGHT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// A hosted call was answered.
pub(crate) fn hand_over_ended() {
    IN_FLIGHT.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
}

/// Whether spinning can pay with the hosted calls in flight now: each call in flight
/// keeps two threads (its caller and its hosting thread) wanting a core; once they outnumber the
/// cores, a spinning thread only delays the partner it waits for (and the spinner loses its
/// scheduling priority), so every thread parks at once.
pub(crate) fn spin_pays() -> bool {
    use std::sync::atomic::Ordering::Relaxed;
    let mut limit = SPIN_WHILE_AT_MOST.load(Relaxed);
    if limit == usize::MAX {
        limit = std::thread::available_parallelism().map_or(1, |n| n.get()) / 2;
        SPIN_WHILE_AT_MOST.store(limit, Relaxed);
    }
    IN_FLIGHT.load(Relaxed) <= limit && !machine_busy(limit * 2)
}

/// Whether more threads are runnable on the machine than `cores` (other processes included):
/// then a spinning thread only takes a core from a thread that has work, and loses its own
/// scheduling priority. Read from `/proc/loadavg` at most every 20 ms (by one thread at a
/// time); where that file does not exist, the machine counts as not busy.
fn machine_busy(cores: usize) -> bool {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
    use std::sync::OnceLock;
    static BASE: OnceLock<Instant> = OnceLock::new();
    static CHECKED_MS: AtomicU64 = AtomicU64::new(0);
    static BUSY: AtomicBool = AtomicBool::new(false);
    let now_ms = BASE.get_or_init(Instant::now).elapsed().as_millis() as u64 + 1;
    let checked = CHECKED_MS.load(Relaxed);
    if now_ms >= checked + 20 && CHECKED_MS.compare_exchange(checked, now_ms, Relaxed, Relaxed).is_ok() {
        // The fourth field is "runnable/total" scheduling entities, right now.
        let runnable = std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|l| l.split_whitespace().nth(3)?.split('/').next()?.parse::<usize>().ok());
        BUSY.store(runnable.is_some_and(|r| r > cores.max(1)), Relaxed);
    }
    BUSY.load(Relaxed)
}

thread_local! {
    // Whether this thread's partner in its current hosted call had to be woken (see `Signal::spin`).
    static PARTNER_WOKEN: Cell<bool> = const { Cell::new(false) };
    // How long this thread's last hosted call took to answer, which bounds how long its next wait
    // spins: spinning pays only while the answer comes within the spin.
    static RECENT_WAIT: Cell<Duration> = const { Cell::new(Duration::ZERO) };
}

/// Records, on the caller's thread, whether the hosting thread of its call had to be woken (or
/// started): then the caller's spin yields (see [`Signal::spin`]).
pub(crate) fn set_partner_woken(woken: bool) {
    let _ = PARTNER_WOKEN.try_with(|p| p.set(woken));
}

/// Longest a caller spins for a hosted call's answer before it parks.
const CALLER_SPIN_MAX: Duration = Duration::from_micros(40);
/// Shortest: a spin that catches a partner already running on another core.
const CALLER_SPIN_MIN: Duration = Duration::from_micros(3);

/// How long a caller spins: twice the last wait, if that was short; else just the busy phase.
fn caller_spin() -> Duration {
    let recent = RECENT_WAIT.try_with(Cell::get).unwrap_or(Duration::MAX);
    if recent <= CALLER_SPIN_MAX {
        (recent * 2).clamp(CALLER_SPIN_MIN, CALLER_SPIN_MAX)
    } else {
        CALLER_SPIN_MIN
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
        if let Some(parker) = &cached {
            // A wake left from an earlier use (a notify that landed after its wait had already
            // seen the end, or a waker woken late) belongs to no one now. Left in place, it would
            // end this use's first wait at once: a hosted call would take it for its answer, spin
            // only briefly the second time (its last wait looked short) and park.
            parker.signal.forget_wake();
        }
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

    /// Waits for a hosted call's answer: spins first, for a budget adapted to how fast this
    /// thread's recent answers came (see [`Signal::spin`]), then parks.
    pub(crate) fn wait_spinning(&self, deadline: Option<Instant>) -> Result<(), Elapsed> {
        let start = Instant::now();
        let spin = if spin_pays() { caller_spin() } else { Duration::ZERO };
        let yielding = PARTNER_WOKEN.try_with(|p| p.replace(false)).unwrap_or(false);
        let waited = self.signal.wait_spinning(deadline, spin, yielding);
        if waited.is_ok() {
            let _ = RECENT_WAIT.try_with(|r| r.set(start.elapsed()));
        }
        waited
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
        // A wake that lands after this is forgotten by the next `take`.
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

#[cfg(all(test, not(sync_facade_loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_wake_left_from_an_earlier_use_does_not_end_the_next_wait() {
        let first = Parker::take();
        let waker = first.waker().clone();
        drop(first); // back in the thread's cache
        waker.wake_by_ref(); // late: that use is over
        let next = Parker::take();
        assert!(next.waker().will_wake(&waker), "the cached parker is reused");
        // Its first wait must wait for a wake of its own: with a deadline already passed, it
        // times out instead of returning at once with the stale one.
        assert!(next.wait(Some(Instant::now())).is_err());
    }
}
