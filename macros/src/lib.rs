//! The `#[sync_facade]` attribute of [`sync-facade`](https://docs.rs/sync-facade): a blocking twin
//! next to every annotated `async fn`.
//!
//! Use it through `sync_facade::sync_facade`; the generated code calls `::sync_facade::__private`.
//!
//! Layout (as in `async-trait` and `thiserror`): `args` parses the options into one
//! config, `parse` classifies the annotated item (with `scan`, a syn-free fast path for plain
//! `async fn` heads), `expand` writes the twins, and `messages` holds every user-facing message.

mod args;
mod client;
mod companion;
mod expand;
mod messages;
mod parse;
mod scan;
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// The attribute is implemented in the `sync-facade-macros` crate; use it as
/// `sync_facade::sync_facade`.
#[proc_macro_attribute]
pub fn sync_facade(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(attr.into(), item.into()).into()
}
