//! `#[sync_facade]` on an inherent `impl` block: a twin for every `async fn` in it.

use crate::args::{push_error, take_inner_attrs, Builder, Scope};
use crate::messages;
use crate::twin::bridge;
use crate::twin::lower::{result_type, type_name};
use crate::twin::write::twin;
use crate::twin::Owner;
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{ImplItem, ItemImpl};

// Input:  options and `impl<T> Type<T> { async fn a(&self) {..} #[sync_facade(skip)] async fn b() {..} fn c() {..} }`
// Output: the same block without the methods' `#[sync_facade]` attributes, with a twin appended
//         for every `async fn` that is not skipped
pub fn expand_impl(outer: Builder, mut item: ItemImpl, errors: &mut Option<syn::Error>) -> TokenStream {
    if let (_, Some(e)) = outer.clone().build(Scope::Impl) {
        push_error(errors, e);
    }
    let outer = outer.for_methods();
    let owner = Owner { in_impl: true, type_name: type_name(&item.self_ty) };
    let mut twins = Vec::new();
    for impl_item in &mut item.items {
        let ImplItem::Fn(method) = impl_item else {
            continue;
        };
        let (inner, had_inner) = take_inner_attrs(&mut method.attrs, errors);
        // A sync `fn` gets a twin only if it returns a stream, reader or writer.
        if !bridge::gets_twin(&method.sig) {
            if let Some(span) = had_inner {
                push_error(errors, syn::Error::new(span, messages::inner_on_sync_fn()));
            }
            continue;
        }
        if let (_, Some(e)) = inner.clone().build(Scope::Method) {
            push_error(errors, e);
        }
        let own_flatten = inner.flatten_span().is_some();
        let merged = inner.merged_over(&outer);
        if merged.is_skip() {
            continue;
        }
        let (mut config, _) = merged.build(Scope::Method);
        if !own_flatten && result_type(&method.sig.output).is_none() {
            // `flatten` on the block applies to the methods that return a `Result`.
            config.flatten = None;
        }
        twins.push(twin(&method.attrs, &method.vis, &method.sig, &config, &owner, errors));
    }
    item.items.extend(twins.into_iter().filter(|t| !t.is_empty()).map(ImplItem::Verbatim));
    item.into_token_stream()
}
