//! A library whose twins are only ever called from another crate (`tests/cross_crate.rs`).
//!
//! Twins are `#[inline]`: this crate compiles none of them to machine code, so the crate that
//! calls them instantiates the twin, the future's state machine (a non-generic `async fn` of this
//! crate) and its drop glue. This fixture proves that works.

use std::time::Duration;
use sync_facade::sync_facade;

/// A non-generic `async fn` that awaits a timer of the runtime it runs on.
#[sync_facade(timeout = 5)]
pub async fn add_later(a: u32, b: u32) -> u32 {
    tokio::time::sleep(Duration::from_millis(1)).await;
    a + b
}

/// Borrows its input and flattens its error.
#[sync_facade(flatten)]
pub async fn first_word(text: &str) -> std::io::Result<&str> {
    tokio::task::yield_now().await;
    text.split_whitespace().next().ok_or_else(|| std::io::Error::other("no words"))
}

/// A type with an annotated `impl` block.
pub struct Counter(pub u32);

#[sync_facade]
impl Counter {
    /// Adds one after a yield.
    pub async fn bump(&mut self) -> u32 {
        tokio::task::yield_now().await;
        self.0 += 1;
        self.0
    }
}
