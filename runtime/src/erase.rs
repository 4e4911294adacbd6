//! The one `unsafe` module: hosting a future that borrows from the caller's stack (most of it),
//! a replaceable leaked `'static` slot ([`Leaked`], for the host a forked child restarts) and the
//! `pthread_atfork` registration that tells a forked child from its parent. `lib.rs` denies
//! `unsafe_code` everywhere else.
//!
//! A hosted call moves the caller's future to another thread (a free hosting thread, see
//! `pool.rs`, or else a task of the host runtime) and parks the caller until the future is gone.
//! Both want `'static` futures, but a twin's future borrows its arguments (`&self`, `&str`, ...).
//! [`Scoped`] boxes the future, erases its lifetime and hands it over; its contract is that **the
//! borrowing stack frame cannot return or unwind before the hosted future has been dropped**:
//!
//! * [`Scoped::join`] only returns once the future is gone. On a hosting thread, the thread drops
//!   the future (finished, cancelled, or unwound by a panic inside `catch_unwind`) before it sets
//!   `Completion::done` (a release store that `join` reads with acquire). For a tokio task, tokio
//!   resolves a `JoinHandle` only after the task's future has been dropped: on completion
//!   (`store_output` replaces the running future with its output), on a panic (the future is
//!   dropped before the `JoinError` is stored), on `abort` and on runtime shutdown (`cancel_task`
//!   drops it first).
//! * If anything unwinds between hand-over and the end (the stall-warning hook, a waker, a poll
//!   of the join handle), `join` has left the hosting in `Scoped`, whose `Drop` cancels the future
//!   and waits, uninterruptibly, for the same end. `Drop` itself, and the hand-over before the
//!   `Scoped` exists, abort the process rather than unwind ([`AbortOnUnwind`]).
//! * `Scoped` is private to this crate, created and consumed inside one function, and never leaked
//!   (`mem::forget` is never applied to it), so its `Drop` always runs.
//!
//! The output is written into a slot owned by the caller (`&'a mut Option<T>`), which the caller
//! reads after the end was observed: the hosting thread's `done` store, or the task's completion
//! in tokio's task state, is a release that the caller's acquire load synchronises with.
//!
//! `tests/hosted_borrow.rs` checks the contract: a borrowed future whose destructor is slow and
//! writes through its borrow must have finished that write when a timed-out call returns.

use crate::park::{CachedParker, Elapsed, Parker};
use crate::pool::{self, Completion};
use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;
use tokio::runtime::Handle;
use tokio::task::JoinHandle;

type Task<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Where a hosted future runs.
enum Hosting {
    Thread(Arc<Completion>),
    Task(JoinHandle<()>),
}

/// How a hosted future ended.
pub(crate) enum Outcome {
    /// It ran to completion: its output is in the caller's slot.
    Finished,
    /// It panicked; the payload is the original one.
    Panicked(Box<dyn Any + Send>),
    /// It was dropped before completion: cancelled after a timeout, or by a runtime shutdown.
    Cancelled,
}

/// A hosted future that may borrow from the stack frame owning this value for `'a`.
pub(crate) struct Scoped<'a> {
    hosting: Option<Hosting>,
    parker: CachedParker,
    _borrow: PhantomData<&'a mut ()>,
}

impl<'a> Scoped<'a> {
    /// Hosts `fut`: on a hosting thread, or else as a task of `runtime`. Its output lands in `out`
    /// once it has finished. The hosting side drops it once woken after `deadline`.
    pub(crate) fn host<F>(
        runtime: &Handle,
        fut: F,
        out: &'a mut Option<F::Output>,
        deadline: Option<Instant>,
    ) -> Scoped<'a>
    where
        F: Future + Send + 'a,
        F::Output: Send + 'a,
    {
        let task: Task<'a> = Box::pin(async move {
            *out = Some(fut.await);
        });
        // SAFETY: only the lifetime changes (same layout, same vtable). The erased future borrows
        // for `'a`, and the `Scoped<'a>` returned here keeps those borrows alive: it is dropped or
        // joined before `'a` ends, and neither `join` nor `Drop` returns until the hosted future
        // has been dropped (module docs).
        let task: Task<'static> = unsafe { std::mem::transmute::<Task<'a>, Task<'static>>(task) };
        let parker = Parker::take();
        // Between the hand-over and the `Scoped` that guards it, nothing may unwind (neither call
        // below is known to panic; if one ever did, the future could outlive this frame).
        let no_unwind = AbortOnUnwind;
        // In a forked child the pool is the child's own (`pool` keys it by `fork::generation`).
        let hosting = match pool::hand_off(task, parker.signal().clone(), deadline) {
            Ok(completion) => Hosting::Thread(completion),
            Err(task) => Hosting::Task(runtime.spawn(task)),
        };
        let scoped = Scoped { hosting: Some(hosting), parker, _borrow: PhantomData };
        std::mem::forget(no_unwind);
        scoped
    }

    /// Waits for the hosted future, with a deadline. On expiry the future is cancelled, and this
    /// still waits until it has been dropped; a future that finished meanwhile keeps its result.
    /// `stall` runs once if the future is still running at its instant (a warning hook).
    /// Returns how the future ended, and for a cancelled one whether its deadline had passed
    /// (a timeout, not a runtime shutdown).
    ///
    /// Anything that unwinds out of the wait (the `stall` hook, a waker, a poll of the join
    /// handle) leaves `self.hosting` in place, so `Drop` cancels the future and waits for it to be
    /// dropped before the unwind leaves this frame.
    pub(crate) fn join(
        mut self,
        deadline: Option<Instant>,
        stall: Option<(Instant, impl FnOnce())>,
    ) -> (bool, Outcome) {
        let hosting = self.hosting.as_mut().expect("joined once");
        let ended = wait(hosting, &self.parker, deadline, stall);
        // The future is gone (`wait` returned an outcome): nothing is left for `Drop` to wait for.
        self.hosting = None;
        ended
    }
}

impl Hosting {
    fn poll_end(&mut self, cx: &mut Context<'_>) -> Poll<Outcome> {
        match self {
            Hosting::Thread(completion) => {
                if !completion.is_done() {
                    return Poll::Pending;
                }
                Poll::Ready(match completion.outcome() {
                    Ok(()) => Outcome::Finished,
                    Err(Some(payload)) => Outcome::Panicked(payload),
                    Err(None) => Outcome::Cancelled,
                })
            }
            Hosting::Task(handle) => {
                // Unconstrained: a caller inside a tokio task may have spent its coop budget, and
                // a JoinHandle polled without budget returns Pending forever.
                let mut join = tokio::task::coop::unconstrained(&mut *handle);
                match Pin::new(&mut join).poll(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(Ok(())) => Poll::Ready(Outcome::Finished),
                    Poll::Ready(Err(e)) if e.is_panic() => Poll::Ready(Outcome::Panicked(e.into_panic())),
                    Poll::Ready(Err(_)) => Poll::Ready(Outcome::Cancelled),
                }
            }
        }
    }

    fn cancel(&self) {
        match self {
            Hosting::Thread(completion) => completion.cancel(),
            Hosting::Task(handle) => handle.abort(),
        }
    }
}

/// Waits on this (non-runtime) thread until the hosted future has ended. When `deadline` passes,
/// the future is cancelled and then waited for without a deadline.
fn wait(
    hosting: &mut Hosting,
    parker: &Parker,
    mut deadline: Option<Instant>,
    mut stall: Option<(Instant, impl FnOnce())>,
) -> (bool, Outcome) {
    let mut cx = Context::from_waker(parker.waker());
    let given = deadline;
    loop {
        if let Poll::Ready(outcome) = hosting.poll_end(&mut cx) {
            // Cancelled by this wait at the deadline, or by the hosting side, which also drops
            // the future once its deadline has passed.
            let expired = matches!(outcome, Outcome::Cancelled) && given.is_some_and(|d| Instant::now() >= d);
            return (expired, outcome);
        }
        let wake_at = match (&stall, deadline) {
            (Some((at, _)), Some(d)) => Some((*at).min(d)),
            (Some((at, _)), None) => Some(*at),
            (None, d) => d,
        };
        if let Err(Elapsed) = parker.wait_spinning(wake_at) {
            let now = Instant::now();
            if stall.as_ref().is_some_and(|(at, _)| now >= *at) {
                if let Some((_, warn)) = stall.take() {
                    warn();
                }
            }
            if deadline.is_some_and(|d| now >= d) {
                hosting.cancel();
                deadline = None;
            }
        }
    }
}

impl Drop for Scoped<'_> {
    fn drop(&mut self) {
        // Only reached with a live future if something unwound between hand-over and join: the
        // borrow must outlive the future, so cancel it and wait for it to be dropped.
        if let Some(hosting) = self.hosting.as_mut() {
            // A panic here would leave the future running: abort instead (it would abort anyway
            // when this runs during an unwind).
            let no_unwind = AbortOnUnwind;
            hosting.cancel();
            let _ = wait(hosting, &self.parker, None, None::<(Instant, fn())>);
            self.hosting = None;
            std::mem::forget(no_unwind);
        }
    }
}

/// Aborts the process if dropped, that is if a region it guards unwinds; `mem::forget` it at the
/// end of the region.
struct AbortOnUnwind;

impl Drop for AbortOnUnwind {
    fn drop(&mut self) {
        std::process::abort();
    }
}

/// A `'static` value that can be replaced (the facade host, which a forked child must start
/// afresh): each value is leaked, never freed, so a reference to it stays valid for the life of
/// the process, and `get` is one acquire load.
pub(crate) struct Leaked<T: Send + Sync + 'static>(AtomicPtr<T>);

impl<T: Send + Sync + 'static> Leaked<T> {
    pub(crate) const fn new() -> Self {
        Leaked(AtomicPtr::new(std::ptr::null_mut()))
    }

    /// The current value, if one was set.
    #[inline]
    pub(crate) fn get(&self) -> Option<&'static T> {
        let ptr = self.0.load(Ordering::Acquire);
        // SAFETY: every non-null pointer stored in `self.0` comes from `Box::leak` in `set` (the
        // release store there makes the value's initialisation visible to this acquire load) and
        // is never freed, written through or turned back into a `Box`: it points to a valid `T`
        // for the rest of the process, shared (read-only) across threads, which `T: Sync` allows.
        unsafe { ptr.as_ref() }
    }

    /// Replaces the value; the previous one, if any, stays allocated (and is never dropped).
    pub(crate) fn set(&self, value: T) -> &'static T {
        let leaked: &'static mut T = Box::leak(Box::new(value));
        self.0.store(leaked, Ordering::Release);
        leaked
    }
}

/// Registers `child` to run in the child process right after every `fork()` (POSIX
/// `pthread_atfork`). Returns whether it was registered. `child` must be async-signal-safe (it
/// runs in a child of a multi-threaded process): atomic operations only.
#[cfg(unix)]
pub(crate) fn on_fork_in_child(child: extern "C" fn()) -> bool {
    // SAFETY: `pthread_atfork` only records the three function pointers (the first two null); it
    // has no other precondition. `child` is a safe `extern "C" fn()` taking no arguments, as the
    // C signature requires; it cannot unwind into C (an `extern "C"` function aborts instead).
    unsafe { libc::pthread_atfork(None, None, Some(child)) == 0 }
}

#[cfg(test)]
mod tests {
    //! Small enough for Miri, which checks that no access through the erased borrows outlives the
    //! caller's frame, on both paths (a hosting thread, a runtime task):
    //! `MIRIFLAGS=-Zmiri-ignore-leaks cargo +nightly miri test -p sync-facade-runtime --lib erase`
    //! (the host's threads live as long as the process, hence `ignore-leaks`).
    use super::Scoped;
    use std::time::{Duration, Instant};

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap()
    }

    #[test]
    fn borrowed_output_and_input_survive_hosting() {
        let rt = runtime();
        let input = [1u32, 2, 3];
        let mut out = None;
        let scoped = Scoped::host(rt.handle(), async { input.iter().sum::<u32>() }, &mut out, None);
        let (timed_out, outcome) = scoped.join(None, None::<(Instant, fn())>);
        assert!(!timed_out);
        assert!(matches!(outcome, super::Outcome::Finished));
        assert_eq!(out, Some(6));
    }

    #[test]
    fn a_timed_out_borrowing_future_is_gone_before_join_returns() {
        let rt = runtime();
        let mut written = 0u32;
        let mut out = None;
        {
            let target = &mut written;
            struct WriteOnDrop<'a>(&'a mut u32);
            impl Drop for WriteOnDrop<'_> {
                fn drop(&mut self) {
                    *self.0 = 7;
                }
            }
            let fut = async move {
                let _w = WriteOnDrop(target);
                std::future::pending::<()>().await
            };
            let scoped = Scoped::host(rt.handle(), fut, &mut out, None);
            let (timed_out, outcome) =
                scoped.join(Some(Instant::now() + Duration::from_millis(20)), None::<(Instant, fn())>);
            assert!(timed_out);
            assert!(matches!(outcome, super::Outcome::Cancelled));
        }
        assert_eq!(written, 7);
        assert!(out.is_none());
    }

    #[test]
    fn hosting_thread_path_drops_before_join_returns() {
        // Starting the facade host makes `Scoped::host` use a hosting thread.
        let host = crate::host::handle().unwrap();
        let mut written = 0u32;
        let mut out = None;
        {
            let target = &mut written;
            let fut = async move {
                *target += 1;
                tokio::task::yield_now().await;
                *target += 1;
                std::future::pending::<()>().await
            };
            let scoped = Scoped::host(host, fut, &mut out, None);
            let (timed_out, outcome) =
                scoped.join(Some(Instant::now() + Duration::from_millis(20)), None::<(Instant, fn())>);
            assert!(timed_out);
            assert!(matches!(outcome, super::Outcome::Cancelled));
        }
        assert_eq!(written, 2);
        let input = [4u32, 5];
        let mut sum = None;
        let (_, outcome) =
            Scoped::host(host, async { input.iter().sum::<u32>() }, &mut sum, None).join(None, None::<(Instant, fn())>);
        assert!(matches!(outcome, super::Outcome::Finished));
        assert_eq!(sum, Some(9));
    }

    #[test]
    fn dropping_an_unjoined_scope_waits_for_the_task() {
        let rt = runtime();
        let mut flag = false;
        let mut out = None;
        {
            let target = &mut flag;
            let scoped = Scoped::host(
                rt.handle(),
                async move {
                    tokio::task::yield_now().await;
                    *target = true;
                },
                &mut out,
                None,
            );
            drop(scoped);
        }
        // Either it ran to completion or it was cancelled; both finished before the drop returned.
        let _ = flag;
    }
}
