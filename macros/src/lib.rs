//! The `#[sync_facade]` attribute of [`sync-facade`](https://docs.rs/sync-facade): a blocking twin
//! next to every annotated `async fn`.
//!
//! Use it through `sync_facade::sync_facade`; the generated code calls `::sync_facade::__private`.
//!
//! Layout: the modules depend one way, each only on the ones below it (`tests::layers` checks it).
//!
//! | module | what it does |
//! |---|---|
//! | `entry` | the entry point: reads the options, classifies the annotated item, picks its expander |
//! | `expand::{fn_item, impl_block, client, trait_item}` | one expander per kind of item |
//! | `twin::{lower, scan, write}` | the shared layer: a signature lowered (by syn, or by a syn-free scanner for plain heads), then written as a blocking twin |
//! | `args`, `placement` | the options, parsed and checked; where a lone `async fn` stands (module, inherent `impl`, trait impl), read from its source file |
//! | `messages` | every message users see |

mod args;
mod entry;
mod expand;
mod messages;
mod placement;
#[cfg(test)]
mod tests;
mod twin;

use proc_macro::TokenStream;

/// The attribute is implemented in the `sync-facade-macros` crate; use it as
/// `sync_facade::sync_facade`.
#[proc_macro_attribute]
pub fn sync_facade(attr: TokenStream, item: TokenStream) -> TokenStream {
    entry::expand(attr.into(), item.into()).into()
}
