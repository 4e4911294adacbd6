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

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

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

/// Runs `f` inside `tokio::task::block_in_place` if this thread may block; `Refused` (without
/// running `f`) if tokio forbids it. Panics raised by `f` propagate unchanged.
pub(crate) fn block_in_place<R>(f: impl FnOnce() -> R) -> Probe<R> {
    if !cfg!(panic = "unwind") {
        return Probe::Ran(tokio::task::block_in_place(f));
    }
    if std::thread::panicking() {
        // A twin called from a destructor during unwinding: a second panic would abort, and the
        // panic hook cannot be changed now. Hosting is always safe for `Send` futures.
        return Probe::Refused;
    }
    install_silencing_hook();
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
        Err(_) if f.is_some() => Probe::Refused,
        Err(payload) => panic::resume_unwind(payload),
    }
}
