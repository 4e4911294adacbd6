//! Asking `block_in_place` whether this thread may block.
//!
//! tokio knows whether blocking is allowed here (its private `EnterRuntime::Entered {
//! allow_block_in_place }`), but the only public function that acts on it is
//! `tokio::task::block_in_place`, which panics with "can call blocking only when running on the
//! multi-threaded runtime" *before* running its closure where blocking is forbidden: on a thread
//! that drives a current_thread runtime and inside a `LocalSet` on either flavor. Where it
//! succeeds it is exactly what we want anyway (it hands the worker core off on a multi_thread
//! worker and is a cheap no-op elsewhere). So the probe is the call itself: run the closure through
//! `block_in_place` and, if tokio refuses, report that the closure did not run.
//!
//! The refusal is a panic. It is caught, and the panic hook is told to stay silent for it: a
//! process-wide hook, installed once, forwards every other panic to the hook that was there
//! before it. A panic that happens while the closure runs is not silenced and is re-raised as it
//! was. With `panic = "abort"` the refusal cannot be caught: there, the probe trusts the cheap
//! signals and calls `block_in_place` directly, as a plain tokio user would.
//!
//! A hook installed after the facade's (a crash reporter) sees the refusal before the facade's
//! hook can silence it; refusals are remembered per task so that happens once per task (see
//! [`block_in_place`]).

use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Once;
use std::task::{Context, Poll, Waker};
use tokio::task::Id;

thread_local! {
    static PROBING: Cell<bool> = const { Cell::new(false) };
}

static HOOK: Once = Once::new();

fn install_silencing_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let probing = PROBING.try_with(Cell::get).unwrap_or(false);
            let payload = info.payload();
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied());
            if probing && message.is_some_and(|m| m.contains("can call blocking only")) {
                return;
            }
            previous(info);
        }));
    });
}

/// The result of [`block_in_place`]: either the closure ran, or tokio forbids blocking here.
pub(crate) enum Probe<R> {
    Ran(R),
    Refused,
}

/// How many refused tasks each thread remembers (see [`refused_before`]).
const REMEMBERED: usize = 32;

thread_local! {
    /// The last tasks whose probe was refused on this thread (tokio task ids are never reused).
    static REFUSED: RefCell<(usize, [Option<Id>; REMEMBERED])> = const { RefCell::new((0, [None; REMEMBERED])) };
    /// Whether anything was ever refused on this thread: the common thread checks nothing more.
    static ANY_REFUSED: Cell<bool> = const { Cell::new(false) };
}

/// Whether `block_in_place` already refused for this task on this thread. A task that runs in a
/// `LocalSet` stays there for its whole life, so its answer does not change.
fn refused_before(task: Id) -> bool {
    ANY_REFUSED.try_with(Cell::get).unwrap_or(false)
        && REFUSED.try_with(|r| r.try_borrow().is_ok_and(|r| r.1.contains(&Some(task)))).unwrap_or(false)
}

fn remember_refusal(task: Id) {
    let _ = ANY_REFUSED.try_with(|a| a.set(true));
    let _ = REFUSED.try_with(|r| {
        if let Ok(mut r) = r.try_borrow_mut() {
            let (next, ids) = &mut *r;
            ids[*next % REMEMBERED] = Some(task);
            *next = next.wrapping_add(1);
        }
    });
}

/// Runs `f` inside `tokio::task::block_in_place` if this thread may block; `Refused` (without
/// running `f`) if tokio forbids it. Panics raised by `f` propagate unchanged.
///
/// The refusal is a panic, which an application's panic hook installed after the facade's sees
/// (before it reaches the facade's silencing hook). So a refusal is remembered per task (the last
/// [`REMEMBERED`] refused tasks of each thread): with `remembered`, a task that was refused before
/// is refused again without asking, and a hook sees at most one probe panic per task. A caller
/// whose answer must be exact passes `remembered = false` (a non-`Send` future, which fails where
/// it is refused): the root future of `LocalSet::run_until` has the id of the task that awaits it,
/// which may call again outside the `LocalSet`.
///
/// This works while the thread unwinds a panic too (a twin called from a `Drop`): tokio's answer
/// does not depend on it, and a refusal caught here does not abort (nested panics are fine while
/// they are caught before leaving a destructor). Only the silencing hook cannot be installed then
/// (`panic::set_hook` panics on a panicking thread): if this is the first probe of the process, the
/// current hook reports the refusal.
pub(crate) fn block_in_place<R>(remembered: bool, f: impl FnOnce() -> R) -> Probe<R> {
    if !cfg!(panic = "unwind") {
        return Probe::Ran(tokio::task::block_in_place(f));
    }
    let task = tokio::task::try_id();
    if remembered && task.is_some_and(refused_before) {
        return Probe::Refused;
    }
    if !std::thread::panicking() {
        install_silencing_hook();
    }
    let mut f = Some(f);
    let _ = PROBING.try_with(|p| p.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        tokio::task::block_in_place(|| {
            // From here on panics are the caller's own: let the hook report them.
            let _ = PROBING.try_with(|p| p.set(false));
            (f.take().expect("block_in_place runs its closure once"))()
        })
    }));
    let _ = PROBING.try_with(|p| p.set(false));
    match result {
        Ok(out) => Probe::Ran(out),
        // The closure never ran: tokio refused before calling it.
        Err(_) if f.is_some() => {
            if let Some(task) = task {
                remember_refusal(task);
            }
            Probe::Refused
        }
        Err(payload) => panic::resume_unwind(payload),
    }
}

/// Whether the multi_thread runtime behind `handle`, whose worker this thread is, is shutting
/// down. Called for every call on a multi_thread worker, so it is cheap where it can be:
///
/// * A worker polls tasks with a constrained coop budget. Outside a task poll, where a
///   shutting-down worker drops its tasks, the budget is unconstrained. tokio shows the budget only
///   through `RestoreOnPending`'s `Debug` output (`Budget(None)` when unconstrained), read here
///   without allocating. A constrained budget answers "no" right away.
/// * An unconstrained budget on a worker also means a future driven inside `block_in_place` or
///   `unconstrained`: a nested call inside the facade's own in-place drive is skipped
///   ([`InPlaceDrive`]); otherwise a task is spawned and polled once: tokio cancels it at once when
///   the runtime has closed (the first step of its shutdown, before any task is dropped).
pub(crate) fn shutting_down(handle: &tokio::runtime::Handle) -> bool {
    budget_unconstrained() && !InPlaceDrive::active() && is_closed(handle)
}

/// Whether `handle`'s runtime has closed: a task spawned on it is cancelled at once.
pub(crate) fn is_closed(handle: &tokio::runtime::Handle) -> bool {
    let mut join = handle.spawn(async {});
    let mut cx = Context::from_waker(Waker::noop());
    let closed = matches!(Pin::new(&mut join).poll(&mut cx), Poll::Ready(Err(e)) if e.is_cancelled());
    join.abort();
    closed
}

fn budget_unconstrained() -> bool {
    /// Looks for the `None` of `Budget(None)` in the `Debug` output, without allocating, and stops
    /// the formatting at the budget's `Some`/`None` (the rest is not needed).
    struct FindNone(bool);
    impl std::fmt::Write for FindNone {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            match s {
                "None" => {
                    self.0 = true;
                    Err(std::fmt::Error)
                }
                "Some" => Err(std::fmt::Error),
                _ => Ok(()),
            }
        }
    }
    let mut cx = Context::from_waker(Waker::noop());
    match tokio::task::coop::poll_proceed(&mut cx) {
        // Dropping `restore` (no progress made) gives back the unit it took.
        Poll::Ready(restore) => {
            let mut found = FindNone(false);
            let _ = write!(found, "{restore:?}");
            found.0
        }
        // A constrained budget, spent.
        Poll::Pending => false,
    }
}

/// Marks this thread as driving a future in place on a multi_thread worker, for the time of the
/// drive: the coop budget is unconstrained there because the facade made it so.
pub(crate) struct InPlaceDrive(());

thread_local! {
    static IN_PLACE: Cell<u32> = const { Cell::new(0) };
}

impl InPlaceDrive {
    pub(crate) fn enter() -> InPlaceDrive {
        let _ = IN_PLACE.try_with(|d| d.set(d.get() + 1));
        InPlaceDrive(())
    }

    fn active() -> bool {
        IN_PLACE.try_with(|d| d.get() > 0).unwrap_or(false)
    }
}

impl Drop for InPlaceDrive {
    fn drop(&mut self) {
        let _ = IN_PLACE.try_with(|d| d.set(d.get().saturating_sub(1)));
    }
}
