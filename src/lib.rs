//! # sync-facade
//!
//! Blocking twins for async Rust functions that work in every calling context.
//!
//! This crate re-exports the runtime API of [`sync_facade_runtime`]: [`block_on`], [`Call`],
//! [`Context`], [`Strategy`] and [`Error`].
#![warn(missing_docs)]

pub use sync_facade_runtime::{
    block_on, block_on_local, host, set_stall_warning, Call, Context, ContextKind, Error, ErrorKind, Strategy,
};
