//! Type erasure of the future a call runs, so that the runtime is compiled once, not once per
//! future type.
//!
//! [`Call::block_on`](crate::Call::block_on) wraps its future in one small `async` block that
//! writes the output to a slot on the caller's stack, pins that block inside an `Option`, and runs
//! a [`SendJob`]: a `Future<Output = ()>` of one concrete type, so every strategy (the park loop,
//! `block_in_place`, hosting) is instantiated for that type alone. Per future type, only the
//! `async` block and the `Job` vtable are compiled.
//!
//! Dropping a job drops the future in place (`Pin::set(None)`): wherever the runtime drops what it
//! runs, on a hosting thread or inside the entered host runtime, the caller's future is dropped
//! right there, as if the runtime owned it. A timed-out future's destructor therefore still runs in
//! the runtime that polled it, not later on the caller's stack outside any runtime.
//!
//! All of it is safe code: `Option::as_pin_mut` and `Pin::set` are the pin projections needed.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A pinned future that can be polled and dropped in place through a `dyn` pointer.
pub(crate) trait Job {
    fn poll_job(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()>;
    fn drop_future(self: Pin<&mut Self>);
}

impl<G: Future<Output = ()>> Job for Option<G> {
    fn poll_job(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.as_pin_mut() {
            Some(fut) => fut.poll(cx),
            None => Poll::Ready(()),
        }
    }

    fn drop_future(mut self: Pin<&mut Self>) {
        self.set(None);
    }
}

/// A `Send` job: what [`Call::block_on`](crate::Call::block_on) runs. `done` records that the
/// future finished (and was dropped by its `async` block), so there is nothing left to drop.
pub(crate) struct SendJob<'a> {
    job: Pin<&'a mut (dyn Job + Send + 'a)>,
    done: bool,
}

/// A job that need not be `Send`: what [`Call::block_on_local`](crate::Call::block_on_local) runs.
pub(crate) struct LocalJob<'a> {
    job: Pin<&'a mut (dyn Job + 'a)>,
    done: bool,
}

// The two job types differ only in their `dyn` type (an auto trait cannot be a parameter).
macro_rules! job_future {
    ($job:ident, $dyn:ty) => {
        impl<'a> $job<'a> {
            pub(crate) fn new(job: Pin<&'a mut $dyn>) -> Self {
                $job { job, done: false }
            }
        }

        impl Future for $job<'_> {
            type Output = ();
            fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
                let poll = self.job.as_mut().poll_job(cx);
                self.done = poll.is_ready();
                poll
            }
        }

        impl Drop for $job<'_> {
            fn drop(&mut self) {
                if !self.done {
                    self.job.as_mut().drop_future();
                }
            }
        }
    };
}
job_future!(SendJob, dyn Job + Send + 'a);
job_future!(LocalJob, dyn Job + 'a);

/// The output a finished job wrote: a call that returns `Ok` has run its future to completion.
pub(crate) fn finished<T>(out: Option<T>) -> T {
    match out {
        Some(out) => out,
        None => unreachable!("sync-facade: a call returned Ok without running its future to completion"),
    }
}
