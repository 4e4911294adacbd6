//! Blocking clients with the signature shapes of issue 11: `Self` in bounds and where clauses
//! (read as the async type, like a parameter typed `Self`), `Self::N` in an array length (not a
//! constructor), `self: &Self` receivers, `name = ...` on a method, `#[cfg]` on parameters.
#![allow(clippy::non_minimal_cfg, clippy::needless_arbitrary_self_type)]

use std::future::Future;
use sync_facade::sync_facade;

#[derive(Debug, Clone, PartialEq)]
pub struct Buffer {
    bytes: Vec<u8>,
}

#[sync_facade(client = BlockingBuffer)]
impl Buffer {
    pub const N: usize = 4;

    pub async fn new() -> Self {
        Buffer { bytes: vec![1, 2, 3, 4, 5] }
    }

    /// `Self::N` in the output is a const of the async type; the output is not the client.
    pub async fn head(&self) -> [u8; Self::N] {
        let mut out = [0; Self::N];
        out.copy_from_slice(&self.bytes[..Self::N]);
        out
    }

    /// `Self` in a bound is the async type, as in the parameter `other: Self`.
    pub async fn with<F, Fut, T: Send>(&self, f: F) -> T
    where
        F: FnOnce(&Self) -> Fut + Send,
        Fut: Future<Output = T> + Send,
    {
        f(self).await
    }

    pub async fn append(&mut self, other: Self) -> usize {
        self.bytes.extend(other.bytes);
        self.bytes.len()
    }

    /// `self: &Self` is `&self`.
    pub async fn len(self: &Self) -> usize {
        self.bytes.len()
    }

    /// Renamed on the client.
    #[sync_facade(name = first_byte)]
    pub async fn first(&self) -> Option<u8> {
        self.bytes.first().copied()
    }

    pub async fn sum(&self, #[cfg(any())] skipped: u8, #[cfg(all())] offset: u64) -> u64 {
        self.bytes.iter().map(|&b| u64::from(b)).sum::<u64>() + offset
    }
}

#[test]
fn shapes() {
    let mut buffer = BlockingBuffer::new().unwrap();
    assert_eq!(buffer.head().unwrap(), [1, 2, 3, 4]);
    assert_eq!(buffer.with(|b: &Buffer| std::future::ready(b.bytes.len() * 2)).unwrap(), 10);
    assert_eq!(buffer.append(Buffer { bytes: vec![6] }).unwrap(), 6);
    assert_eq!(buffer.len().unwrap(), 6);
    assert_eq!(buffer.first_byte().unwrap(), Some(1));
    assert_eq!(buffer.sum(1).unwrap(), 22);
    assert_eq!(buffer.as_async().bytes.len(), 6);
}
