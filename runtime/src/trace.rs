//! Observability: with the `tracing` feature, each call is a span and stalled hosted calls warn.
//! Without it every function here compiles to nothing.

use crate::{Call, ContextKind, Strategy};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

static STALL_WARNING_MS: AtomicU64 = AtomicU64::new(1_000);

/// Sets how long a hosted call may block a thread that drives a current_thread runtime (or a
/// `LocalSet`) before a warning is logged (with the `tracing` feature). Default: one second.
///
/// Such a call can only finish if its future needs nothing from the blocked runtime: a future that
/// waits on that runtime's own sockets or timers cannot make progress until the timeout.
pub fn set_stall_warning(after: Duration) {
    STALL_WARNING_MS.store(after.as_millis().min(u64::MAX as u128) as u64, Ordering::Relaxed);
}

fn stall_warning() -> Duration {
    Duration::from_millis(STALL_WARNING_MS.load(Ordering::Relaxed))
}

/// The span of one call, entered for its duration; records the time spent waiting when dropped.
#[cfg(feature = "tracing")]
pub(crate) struct CallSpan {
    span: tracing::span::EnteredSpan,
    started: Instant,
}

impl CallSpan {
    /// Records where the call really ran, once `block_in_place` has refused (a `LocalSet`).
    #[cfg(feature = "tracing")]
    pub(crate) fn refined(&self, kind: ContextKind, strategy: Strategy) {
        self.span.record("context", kind.describe());
        self.span.record("strategy", strategy.as_str());
    }

    /// Without the `tracing` feature there is nothing to record.
    #[cfg(not(feature = "tracing"))]
    #[inline(always)]
    pub(crate) fn refined(&self, _: ContextKind, _: Strategy) {}
}

#[cfg(feature = "tracing")]
impl Drop for CallSpan {
    fn drop(&mut self) {
        self.span.record("wait_us", self.started.elapsed().as_micros() as u64);
    }
}

#[cfg(feature = "tracing")]
pub(crate) fn call_span(call: &Call, kind: ContextKind, strategy: Strategy) -> CallSpan {
    let span = tracing::debug_span!(
        "sync_facade",
        name = call.name(),
        context = kind.describe(),
        strategy = strategy.as_str(),
        timeout_ms = call.timeout_duration().map(|t| t.as_millis() as u64),
        wait_us = tracing::field::Empty,
    );
    CallSpan { span: span.entered(), started: Instant::now() }
}

/// Without the `tracing` feature a call has no span.
#[cfg(not(feature = "tracing"))]
pub(crate) struct CallSpan;

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn call_span(_: &Call, _: ContextKind, _: Strategy) -> CallSpan {
    CallSpan
}

/// A hosted future runs inside the caller's current span (the call's span).
#[cfg(feature = "tracing")]
pub(crate) fn carry_span<F: std::future::Future>(fut: F) -> tracing::instrument::Instrumented<F> {
    tracing::Instrument::instrument(fut, tracing::Span::current())
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn carry_span<F>(fut: F) -> F {
    fut
}

/// When a hosted call blocks a thread that drives a runtime, a warning after the threshold.
pub(crate) fn stall_watch(call: &Call, kind: ContextKind) -> Option<(Instant, impl FnOnce())> {
    let blocks_a_runtime = matches!(
        kind,
        ContextKind::CurrentThreadDriver | ContextKind::CurrentThreadWaiter | ContextKind::MultiThreadLocalSet
    );
    if !cfg!(feature = "tracing") || !blocks_a_runtime {
        return None;
    }
    let after = stall_warning();
    let name = call.name();
    let at = Instant::now().checked_add(after)?;
    Some((at, move || warn_stalled(name, kind, after)))
}

#[cfg(feature = "tracing")]
fn warn_stalled(name: &'static str, kind: ContextKind, after: Duration) {
    tracing::warn!(
        name,
        context = kind.describe(),
        waited_ms = after.as_millis() as u64,
        "`{name}` has blocked a thread that drives a runtime ({kind}) for {after:?}. If its future waits on \
         that runtime's own sockets, timers or tasks, it cannot finish until its timeout (likely deadlock): \
         create those resources inside the future, or call from spawn_blocking"
    );
}

#[cfg(not(feature = "tracing"))]
fn warn_stalled(_: &'static str, _: ContextKind, _: Duration) {}
