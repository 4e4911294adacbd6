//! The one `unsafe` module: hosting a future that borrows from the caller's stack.
//!
//! A hosted call spawns the caller's future onto the host runtime and parks the caller until the
//! future is gone. tokio's `spawn` wants `'static` futures, but a twin's future borrows its
//! arguments (`&self`, `&str`, ...). [`Scoped`] boxes the future, erases its lifetime and spawns
//! it; its contract is that **the borrowing stack frame cannot return or unwind before the
//! spawned future has been dropped**:
//!
//! * [`Scoped::join`] only returns once the task's `JoinHandle` has resolved. tokio resolves a
//!   `JoinHandle` only after the task's future has been dropped: on completion (`store_output`
//!   replaces the running future with its output), on a panic (the future is dropped before the
//!   `JoinError` is stored), on `abort` and on runtime shutdown (`cancel_task` drops it first).
//! * If anything unwinds between spawn and resolution, `Scoped`'s `Drop` aborts the task and waits,
//!   uninterruptibly, for the same resolution.
//! * `Scoped` is private to this crate, created and consumed inside one function, and never leaked
//!   (`mem::forget` is never applied to it), so its `Drop` always runs.
//!
//! The output is written into a slot owned by the caller (`&'a mut Option<T>`), which the caller
//! reads after the `JoinHandle` resolved: the task's completion (a release store in tokio's task
//! state) happens before the `JoinHandle` observes it (an acquire load).
//!
//! `tests/hosted_borrow.rs` checks the contract: a borrowed future whose destructor is slow and
//! writes through its borrow must have finished that write when a timed-out call returns.

use crate::park::{Elapsed, Parker};
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;
use tokio::runtime::Handle;
use tokio::task::{JoinError, JoinHandle};

type Task<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// A future spawned onto a runtime that may borrow from the stack frame owning this value for `'a`.
pub(crate) struct Scoped<'a> {
    handle: Option<JoinHandle<()>>,
    _borrow: PhantomData<&'a mut ()>,
}

impl<'a> Scoped<'a> {
    /// Spawns `fut` onto `runtime`; its output lands in `out` once the join resolves with `Ok`.
    pub(crate) fn spawn<F>(runtime: &Handle, fut: F, out: &'a mut Option<F::Output>) -> Scoped<'a>
    where
        F: Future + Send + 'a,
        F::Output: Send + 'a,
    {
        let task: Task<'a> = Box::pin(async move {
            *out = Some(fut.await);
        });
        // SAFETY: only the lifetime changes (same layout, same vtable). The erased future borrows
        // for `'a`, and the `Scoped<'a>` returned here keeps those borrows alive: it is dropped or
        // joined before `'a` ends, and neither `join` nor `Drop` returns until the `JoinHandle` has
        // resolved, which tokio does only after the future has been dropped (module docs).
        let task: Task<'static> = unsafe { std::mem::transmute::<Task<'a>, Task<'static>>(task) };
        Scoped { handle: Some(runtime.spawn(task)), _borrow: PhantomData }
    }

    /// Waits for the task, with a deadline. On expiry the task is aborted, and this still waits
    /// until its future has been dropped; a task that finished meanwhile keeps its result.
    /// `stall` runs once if the task is still running at its instant (a warning hook).
    /// Returns whether the deadline expired, and how the task ended.
    pub(crate) fn join(
        mut self,
        deadline: Option<Instant>,
        stall: Option<(Instant, impl FnOnce())>,
    ) -> (bool, Result<(), JoinError>) {
        let handle = self.handle.as_mut().expect("joined once");
        let outcome = wait(handle, deadline, stall);
        self.handle = None;
        outcome
    }
}

/// Polls the join handle from this (non-runtime) thread until it resolves. When `deadline`
/// passes, the task is aborted and then waited for without a deadline.
fn wait(
    handle: &mut JoinHandle<()>,
    mut deadline: Option<Instant>,
    mut stall: Option<(Instant, impl FnOnce())>,
) -> (bool, Result<(), JoinError>) {
    let parker = Parker::take();
    let mut cx = Context::from_waker(parker.waker());
    let mut timed_out = false;
    loop {
        // Unconstrained: a caller inside a tokio task may have spent its coop budget, and a
        // JoinHandle polled without budget returns Pending forever.
        let mut join = tokio::task::coop::unconstrained(&mut *handle);
        if let Poll::Ready(result) = Pin::new(&mut join).poll(&mut cx) {
            return (timed_out, result);
        }
        let wake_at = match (&stall, deadline) {
            (Some((at, _)), Some(d)) => Some((*at).min(d)),
            (Some((at, _)), None) => Some(*at),
            (None, d) => d,
        };
        if let Err(Elapsed) = parker.wait(wake_at) {
            let now = Instant::now();
            if stall.as_ref().is_some_and(|(at, _)| now >= *at) {
                if let Some((_, warn)) = stall.take() {
                    warn();
                }
            }
            if deadline.is_some_and(|d| now >= d) {
                timed_out = true;
                handle.abort();
                deadline = None;
            }
        }
    }
}

impl Drop for Scoped<'_> {
    fn drop(&mut self) {
        // Only reached with a live handle if something unwound between spawn and join: the borrow
        // must outlive the task, so cancel it and wait for its future to be dropped.
        if let Some(mut handle) = self.handle.take() {
            handle.abort();
            let _ = wait(&mut handle, None, None::<(Instant, fn())>);
        }
    }
}

#[cfg(test)]
mod tests {
    //! Small enough for Miri (`cargo +nightly miri test -p sync-facade-runtime erase`), which
    //! checks that no access through the erased borrows outlives the caller's frame.
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
        let scoped = Scoped::spawn(rt.handle(), async { input.iter().sum::<u32>() }, &mut out);
        let (timed_out, joined) = scoped.join(None, None::<(Instant, fn())>);
        assert!(!timed_out);
        joined.unwrap();
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
            let scoped = Scoped::spawn(rt.handle(), fut, &mut out);
            let (timed_out, joined) =
                scoped.join(Some(Instant::now() + Duration::from_millis(20)), None::<(Instant, fn())>);
            assert!(timed_out);
            assert!(joined.unwrap_err().is_cancelled());
        }
        assert_eq!(written, 7);
        assert!(out.is_none());
    }

    #[test]
    fn dropping_an_unjoined_scope_waits_for_the_task() {
        let rt = runtime();
        let mut flag = false;
        let mut out = None;
        {
            let target = &mut flag;
            let scoped = Scoped::spawn(
                rt.handle(),
                async move {
                    tokio::task::yield_now().await;
                    *target = true;
                },
                &mut out,
            );
            drop(scoped);
        }
        // Either it ran to completion or it was cancelled; both finished before the drop returned.
        let _ = flag;
    }
}
