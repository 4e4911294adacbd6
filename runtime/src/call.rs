//! One blocking call: its options and the code that runs it.

use crate::context;
use crate::erase::{Outcome, Scoped};
use crate::job::{self, LocalJob, SendJob};
use crate::park::{self, Elapsed};
use crate::probe::{self, Probe};
use crate::{host, ContextKind, Error, ErrorKind, Strategy};
use std::future::Future;
use std::pin::pin;
use std::time::{Duration, Instant};

/// Options for one blocking call: a name for messages, a timeout, a forced strategy.
///
/// `Call` is `Copy` and built in `const` context, so a generated twin keeps its options in a
/// constant.
///
/// ```
/// use std::time::Duration;
/// use sync_facade_runtime::{Call, Strategy};
///
/// const HEAD: Call = Call::new("head").timeout(Duration::from_secs(30));
/// let rows = HEAD.block_on(async { vec![1, 2, 3] }).unwrap();
/// assert_eq!(rows, [1, 2, 3]);
///
/// // Every strategy can be forced where the context allows it.
/// let hosted = Call::new("hosted").strategy(Strategy::Hosted).block_on(async { 7 }).unwrap();
/// assert_eq!(hosted, 7);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Call {
    name: &'static str,
    timeout: Option<Duration>,
    strategy: Option<Strategy>,
}

impl Default for Call {
    fn default() -> Self {
        Call::new("block_on")
    }
}

impl Call {
    /// A call named `name` (used in errors and spans), with no timeout and an automatic strategy.
    pub const fn new(name: &'static str) -> Call {
        Call { name, timeout: None, strategy: None }
    }

    /// Cancels the future and fails with [`ErrorKind::Timeout`] once `timeout` has passed.
    ///
    /// The deadline is kept by the waiting thread itself (`park_timeout`), so it works on runtimes
    /// built without the time driver. The future is dropped before the error is returned.
    pub const fn timeout(mut self, timeout: Duration) -> Call {
        self.timeout = Some(timeout);
        self
    }

    /// Forces a strategy instead of choosing one from the context. A strategy the context cannot
    /// support fails with [`ErrorKind::StrategyUnavailable`] instead of panicking or hanging:
    /// `Direct` on a thread that drives a runtime's tasks, `InPlace` outside a multi_thread runtime
    /// or inside a `LocalSet`, `Hosted` for a future that is not `Send`.
    pub const fn strategy(mut self, strategy: Strategy) -> Call {
        self.strategy = Some(strategy);
        self
    }

    /// The call's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The call's timeout, if any.
    pub const fn timeout_duration(&self) -> Option<Duration> {
        self.timeout
    }

    /// The forced strategy, if any.
    pub const fn forced_strategy(&self) -> Option<Strategy> {
        self.strategy
    }

    /// Runs `fut` to completion from sync code, in any context; see [`crate::block_on`].
    ///
    /// Without a timeout, a hosted call whose future waits on a resource of the runtime its
    /// caller's thread drives (and is blocking) never returns; see [`crate::block_on`].
    pub fn block_on<F>(&self, fut: F) -> Result<F::Output, Error>
    where
        F: Future + Send,
        F::Output: Send,
    {
        // Type erasure (see `job`): the runtime below is compiled once, for `SendJob`.
        let mut out = None;
        let slot = &mut out;
        self.run_send(SendJob::new(pin!(Some(async move { *slot = Some(fut.await) }))))?;
        Ok(job::finished(out))
    }

    /// Runs a future that is not `Send` to completion from sync code.
    ///
    /// Works wherever the future can stay on the caller's thread (`Direct` and `InPlace`). Where
    /// only hosting would work (a thread driving a current_thread runtime or a `LocalSet`), fails
    /// with [`ErrorKind::NotSend`]: it never hangs and never panics.
    pub fn block_on_local<F: Future>(&self, fut: F) -> Result<F::Output, Error> {
        let mut out = None;
        let slot = &mut out;
        self.run_local(LocalJob::new(pin!(Some(async move { *slot = Some(fut.await) }))))?;
        Ok(job::finished(out))
    }

    fn run_send(&self, job: SendJob<'_>) -> Result<(), Error> {
        self.run(job, true, |call, job, kind, deadline| call.host(job, kind, deadline))
    }

    fn run_local(&self, job: LocalJob<'_>) -> Result<(), Error> {
        // A non-`Send` future fails where the probe refuses: ask tokio every time (see `probe`).
        self.run(job, false, |call, job, kind, _| {
            drop(job);
            Err(Error::new(ErrorKind::NotSend, call.name, kind, Some(Strategy::Hosted)))
        })
    }

    fn error(&self, kind: ErrorKind, context: ContextKind, strategy: Strategy) -> Error {
        Error::new(kind, self.name, context, Some(strategy)).with_timeout(self.timeout)
    }

    fn run<F, H>(&self, fut: F, remembered: bool, host: H) -> Result<F::Output, Error>
    where
        F: Future,
        H: FnOnce(&Call, F, ContextKind, Option<Instant>) -> Result<F::Output, Error>,
    {
        let deadline = self.timeout.and_then(|t| Instant::now().checked_add(t));
        let kind = context::planned();
        let strategy = self.strategy.unwrap_or(kind.strategy());
        let span = crate::trace::call_span(self, kind, strategy);
        match strategy {
            Strategy::Hosted => return host(self, fut, kind, deadline),
            Strategy::Direct
                if matches!(
                    kind,
                    ContextKind::MultiThreadWorker | ContextKind::CurrentThreadDriver | ContextKind::ThreadExiting
                ) =>
            {
                return Err(self.error(ErrorKind::StrategyUnavailable, kind, strategy))
            }
            Strategy::InPlace
                if kind.drives_on_host()
                    || matches!(kind, ContextKind::CurrentThreadDriver | ContextKind::ThreadExiting) =>
            {
                return Err(self.error(ErrorKind::StrategyUnavailable, kind, strategy))
            }
            _ => {}
        }

        // Direct or InPlace: poll the future on this thread. Where no usable multi_thread runtime
        // is entered, enter the host's (this thread's shard of it), so the future's timers,
        // sockets and spawns have a driven runtime.
        let mut fut = Some(fut);
        let mut drive = || -> Result<Result<F::Output, Elapsed>, Error> {
            let fut = fut.take().expect("driven once");
            if kind.drives_on_host() {
                let host = self.host_of(kind, strategy)?;
                if host.is_app_runtime() {
                    let _enter = host.handle().enter();
                    return self.drive_on_app_runtime(host.handle(), fut, kind, strategy, deadline);
                }
                // This thread's shard of the host (see `host`): threads calling at once do not
                // share the reference count that entering a handle clones and drops.
                let _enter = host.direct_handle().enter();
                return Ok(park::drive(fut, deadline));
            }
            let _in_place = (kind == ContextKind::MultiThreadWorker).then(probe::InPlaceDrive::enter);
            Ok(park::drive(fut, deadline))
        };
        let driven = if kind == ContextKind::NoRuntime {
            drive()
        } else {
            // `block_in_place` hands off a multi_thread worker's core, is a no-op where blocking is
            // already fine, and refuses (without running `drive`) where blocking is forbidden.
            match probe::block_in_place(remembered, drive) {
                Probe::Ran(driven) => driven,
                Probe::Refused => {
                    let kind = kind.refused();
                    let fut = fut.take().expect("not driven");
                    if self.strategy.is_some() {
                        return Err(self.error(ErrorKind::StrategyUnavailable, kind, strategy));
                    }
                    span.refined(kind, Strategy::Hosted);
                    return host(self, fut, kind, deadline);
                }
            }
        };
        match driven? {
            Ok(out) => Ok(out),
            Err(Elapsed) => Err(self.error(ErrorKind::Timeout, kind, strategy)),
        }
    }

    /// `Direct` on an application's runtime given to `host::use_handle`: once that runtime has shut
    /// down, its timers, IO and spawns fail inside tokio (with panics); the call fails with
    /// `HostShutdown` instead.
    #[cold]
    fn drive_on_app_runtime<F: Future>(
        &self,
        handle: &tokio::runtime::Handle,
        fut: F,
        kind: ContextKind,
        strategy: Strategy,
        deadline: Option<Instant>,
    ) -> Result<Result<F::Output, Elapsed>, Error> {
        // The runtime drops a sentinel task when it shuts down (see `host::use_handle`).
        if host::app_runtime_down() {
            drop(fut);
            return Err(self.error(ErrorKind::HostShutdown, kind, strategy));
        }
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| park::drive(fut, deadline))) {
            Ok(driven) => Ok(driven),
            // A shutdown that began during the call (the sentinel may not be dropped yet, but the
            // runtime is closed already).
            Err(_) if host::app_runtime_down() || probe::is_closed(handle) => {
                Err(self.error(ErrorKind::HostShutdown, kind, strategy))
            }
            Err(payload) => std::panic::resume_unwind(payload),
        }
    }

    /// The facade host, started on first use; `HostUnavailable` if it cannot start.
    fn host_of(&self, kind: ContextKind, strategy: Strategy) -> Result<&'static host::Host, Error> {
        host::get().map_err(|e| self.error(ErrorKind::HostUnavailable, kind, strategy).with_source(e))
    }

    /// Hosted: hand the future to the host (a hosting thread, or a host task) and wait until it
    /// is gone.
    fn host<F>(&self, fut: F, kind: ContextKind, deadline: Option<Instant>) -> Result<F::Output, Error>
    where
        F: Future + Send,
        F::Output: Send,
    {
        let host = self.host_of(kind, Strategy::Hosted)?;
        let handle = host.handle();
        // A worker of the host runtime itself (a forced `Hosted`, or an application runtime given
        // to `host::use_handle`) would put the task in its own LIFO slot, which no other worker may
        // steal, and then park: a deadlock. Handing the worker's core off first (`block_in_place`)
        // makes the spawn go through the shared queue and lets the core run on. The same for a
        // worker of a shard of `Direct` calls (a task spawned in one): parked, it would stop
        // driving the tasks, timers and sockets of its shard, which the hosted future may wait on.
        // Only a multi_thread worker can be one (checked first: the common hosted caller drives a
        // current_thread runtime, and `Handle::try_current` clones a shared `Arc`).
        let on_host_worker = matches!(kind, ContextKind::MultiThreadWorker | ContextKind::MultiThreadLocalSet)
            && tokio::runtime::Handle::try_current().is_ok_and(|h| host.runs(&h));
        if on_host_worker {
            let mut fut = Some(fut);
            if let Probe::Ran(out) = probe::block_in_place(true, || {
                self.hand_over_and_join(handle, fut.take().expect("once"), kind, deadline)
            }) {
                return out;
            }
            // A LocalSet on a host worker: nothing better is possible than a plain spawn.
            return self.hand_over_and_join(handle, fut.take().expect("not run"), kind, deadline);
        }
        self.hand_over_and_join(handle, fut, kind, deadline)
    }

    fn hand_over_and_join<F>(
        &self,
        handle: &tokio::runtime::Handle,
        fut: F,
        kind: ContextKind,
        deadline: Option<Instant>,
    ) -> Result<F::Output, Error>
    where
        F: Future + Send,
        F::Output: Send,
    {
        let mut out = None;
        let fut = crate::trace::carry_span(fut);
        let scoped = Scoped::host(handle, fut, &mut out, deadline);
        let stall = crate::trace::stall_watch(self, kind);
        match scoped.join(deadline, stall) {
            (_, Outcome::Finished) => Ok(out.take().expect("a finished future has written its output")),
            (_, Outcome::Panicked(payload)) => std::panic::resume_unwind(payload),
            (true, Outcome::Cancelled) => Err(self.error(ErrorKind::Timeout, kind, Strategy::Hosted)),
            (false, Outcome::Cancelled) => Err(self.error(ErrorKind::HostShutdown, kind, Strategy::Hosted)),
        }
    }
}
