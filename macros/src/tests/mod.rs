//! Tests of the expansion function itself (no compiler involved): snapshots of representative
//! expansions, the fast-path scanner against syn, and a fuzz test that it never panics.

mod bridge;
mod fuzz;
mod layers;
mod placement;
mod scan;
mod snapshots;

use proc_macro2::TokenStream;
use quote::ToTokens;

/// The root of the workspace (the `tests/` folder there holds the snapshots).
fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Splits a file of annotated items into `(attribute arguments, item)` pairs, as the compiler
/// would hand them to the attribute; items without `#[sync_facade]` come back with `None`.
fn annotated_items(source: &str) -> Vec<(Option<TokenStream>, TokenStream)> {
    let file: syn::File = syn::parse_str(source).expect("snapshot inputs are valid Rust");
    file.items
        .into_iter()
        .map(|mut item| {
            let attrs = match &mut item {
                syn::Item::Fn(f) => &mut f.attrs,
                syn::Item::Impl(i) => &mut i.attrs,
                syn::Item::Trait(t) => &mut t.attrs,
                _ => return (None, item.into_token_stream()),
            };
            let position = attrs.iter().position(|a| a.path().is_ident("sync_facade"));
            let args = position.map(|p| {
                let attr = attrs.remove(p);
                match attr.meta {
                    syn::Meta::List(list) => list.tokens,
                    _ => TokenStream::new(),
                }
            });
            (args, item.into_token_stream())
        })
        .collect()
}
