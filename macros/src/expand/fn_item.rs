//! `#[sync_facade]` on an `async fn`: the function as written, then its blocking twin.

use crate::args::{push_error, Builder, Scope};
use crate::twin::lower::FnShell;
use crate::twin::write::{twin, write_twin};
use crate::twin::{Lowered, Owner};
use proc_macro2::TokenStream;
use quote::quote;

/// The head of an annotated `async fn`, as the entry point read it.
pub enum FnHead {
    /// A plain signature, read by the scanner (`crate::twin::scan`) without syn.
    Scanned(Lowered),
    /// Any other signature, parsed by syn (the body left out).
    Parsed(FnShell),
}

// Input:  options, the `async fn`'s original tokens (re-emitted untouched) and its head
// Output: the function, then its twin
pub fn expand_fn(
    builder: Builder,
    original: TokenStream,
    head: FnHead,
    errors: &mut Option<syn::Error>,
) -> TokenStream {
    let (config, e) = builder.build(Scope::Fn);
    if let Some(e) = e {
        push_error(errors, e);
    }
    let owner = Owner { in_impl: false, type_name: None };
    let twin = match head {
        FnHead::Scanned(lowered) => write_twin(lowered, &config, &owner, errors),
        FnHead::Parsed(f) => twin(&f.attrs, &f.vis, &f.sig, &config, &owner, errors),
    };
    quote!(#original #twin)
}
