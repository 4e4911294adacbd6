//! The safety contract of hosting a borrowed future (runtime/src/erase.rs): the caller cannot
//! return before the hosted future has been dropped, on completion, timeout or panic. Were the
//! contract broken, these tests would read the stack after the call returned and see the drop
//! still pending (or, worse, have it write into a dead frame).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use sync_facade::{Call, Strategy};

/// Borrows the caller's counter; its destructor is slow and writes through the borrow.
struct SlowDrop<'a>(&'a AtomicUsize);

impl Drop for SlowDrop<'_> {
    fn drop(&mut self) {
        std::thread::sleep(Duration::from_millis(50));
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn hosted() -> Call {
    Call::new("borrow").strategy(Strategy::Hosted)
}

#[test]
fn timed_out_hosted_future_is_dropped_before_the_call_returns() {
    let drops = AtomicUsize::new(0);
    let err = hosted()
        .timeout(Duration::from_millis(20))
        .block_on(async {
            let _guard = SlowDrop(&drops);
            std::future::pending::<()>().await
        })
        .unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(drops.load(Ordering::SeqCst), 1, "returned before the hosted future was dropped");
}

#[test]
fn completed_hosted_future_is_dropped_before_the_call_returns() {
    let drops = AtomicUsize::new(0);
    let mut text = String::from("caller's");
    hosted()
        .block_on(async {
            let _guard = SlowDrop(&drops);
            tokio::task::yield_now().await;
            text.push_str(" stack");
        })
        .unwrap();
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(text, "caller's stack");
}

#[test]
fn panicking_hosted_future_is_dropped_before_the_panic_reaches_the_caller() {
    let drops = AtomicUsize::new(0);
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        hosted().block_on(async {
            let _guard = SlowDrop(&drops);
            tokio::task::yield_now().await;
            panic!("hosted panic");
        })
    }));
    assert!(caught.is_err());
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn many_short_lived_borrows_in_a_row() {
    for i in 0..2_000u32 {
        let local = [i; 8];
        let sum: u32 = hosted().block_on(async { local.iter().sum() }).unwrap();
        assert_eq!(sum, i * 8);
    }
}
