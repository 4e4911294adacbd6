//! With the `tracing` feature: each call is a span, the caller's span reaches hosted futures, and
//! a hosted call that blocks a current_thread runtime too long warns of the likely deadlock.
#![cfg(feature = "tracing")]

use std::sync::{Arc, Mutex};
use std::time::Duration;
use sync_facade::Call;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

#[derive(Default, Clone)]
struct Captured(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Captured {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut f = Fields(format!("span {}", attrs.metadata().name()));
        attrs.record(&mut f);
        self.0.lock().unwrap().push(f.0.clone());
        // Keep the span's fields, with later `record`s appended, for a `closed` line.
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(f);
        }
    }

    fn on_record(&self, id: &Id, values: &tracing::span::Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            if let Some(fields) = span.extensions_mut().get_mut::<Fields>() {
                values.record(fields);
            }
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id) {
            if let Some(fields) = span.extensions().get::<Fields>() {
                self.0.lock().unwrap().push(format!("closed {}", fields.0));
            }
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let scope: Vec<String> = ctx
            .event_scope(event)
            .map(|s| s.from_root().map(|span| span.name().to_owned()).collect())
            .unwrap_or_default();
        let mut f = Fields(format!("event {} in [{}]", event.metadata().level(), scope.join(" > ")));
        event.record(&mut f);
        self.0.lock().unwrap().push(f.0);
    }
}

#[test]
fn spans_carried_context_and_stall_warning() {
    let captured = Captured::default();
    // Global: hosted futures run on the host's threads.
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(captured.clone())).unwrap();
    sync_facade::set_stall_warning(Duration::from_millis(50));

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let caller = tracing::info_span!("caller");
        let _entered = caller.enter();
        Call::new("save_artifact")
            .timeout(Duration::from_secs(5))
            .block_on(async {
                tracing::info!("inside the hosted future");
                tokio::time::sleep(Duration::from_millis(150)).await;
            })
            .unwrap();
    });

    // Inside a `LocalSet` on a multi_thread runtime the probe refuses and the call is hosted: the
    // span records where it really ran.
    let mt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    tokio::task::LocalSet::new().block_on(&mt, async {
        Call::new("in_local_set").block_on(async { 1 }).unwrap();
    });

    let log = captured.0.lock().unwrap().clone();
    let joined = log.join("\n");
    let span =
        log.iter().find(|l| l.starts_with("span sync_facade")).unwrap_or_else(|| panic!("no call span:\n{joined}"));
    assert!(span.contains("name=\"save_artifact\""), "{span}");
    assert!(span.contains("strategy=\"hosted\""), "{span}");
    assert!(span.contains("context=\"current_thread"), "{span}");
    // The last value recorded for a field wins: it is appended after the first.
    let local_set = log
        .iter()
        .find(|l| l.starts_with("closed") && l.contains("in_local_set"))
        .unwrap_or_else(|| panic!("no closed span:\n{joined}"));
    let local_set = &local_set[local_set.rfind("context=").unwrap_or(0)..];
    assert!(local_set.contains("strategy=\"hosted\""), "{local_set}");
    assert!(local_set.contains("context=\"LocalSet on a multi_thread runtime\""), "{local_set}");
    assert!(
        log.iter().any(|l| l.contains("[caller > sync_facade]") && l.contains("inside the hosted future")),
        "the hosted future does not run in the caller's span:\n{joined}"
    );
    assert!(
        log.iter().any(|l| l.starts_with("event WARN") && l.contains("likely deadlock") && l.contains("save_artifact")),
        "no stall warning:\n{joined}"
    );
}

/// A stall-warning hook that panics unwinds the waiting caller: before the unwind leaves the call,
/// the hosted future (which borrows the caller's frame) must have been cancelled and dropped by
/// the hosting side, never left running or dropped by the unwinding caller.
#[test]
fn a_panicking_stall_warning_cancels_and_drops_the_hosted_future_before_unwinding() {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::thread::ThreadId;
    use std::time::Instant;

    /// Panics on the facade's stall warning.
    struct PanicsOnWarning;
    impl<S: Subscriber> Layer<S> for PanicsOnWarning {
        fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
            if *event.metadata().level() == tracing::Level::WARN {
                panic!("the subscriber panics on the stall warning");
            }
        }
    }

    /// Records where and when it was dropped, writing through a borrow of the caller's frame.
    struct RecordsDrop<'a>(&'a Mutex<Option<(ThreadId, Instant)>>);
    impl Drop for RecordsDrop<'_> {
        fn drop(&mut self) {
            // Slow on purpose: a caller that does not wait would be gone by the end of it.
            std::thread::sleep(Duration::from_millis(100));
            *self.0.lock().unwrap() = Some((std::thread::current().id(), Instant::now()));
        }
    }

    sync_facade::set_stall_warning(Duration::from_millis(50));
    let caller = std::thread::current().id();
    let dropped: Mutex<Option<(ThreadId, Instant)>> = Mutex::new(None);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let unwound = tracing::subscriber::with_default(tracing_subscriber::registry().with(PanicsOnWarning), || {
        catch_unwind(AssertUnwindSafe(|| {
            rt.block_on(async {
                Call::new("stalls").timeout(Duration::from_secs(30)).block_on(async {
                    let _records = RecordsDrop(&dropped);
                    std::future::pending::<()>().await
                })
            })
        }))
    });
    let returned = Instant::now();
    let payload = unwound.expect_err("the warning's panic reaches the caller");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"the subscriber panics on the stall warning"));
    let (thread, at) = dropped.lock().unwrap().expect("the future was dropped before catch_unwind returned");
    assert_ne!(thread, caller, "the future was dropped by the unwinding caller, not where it ran");
    assert!(at <= returned);
}
