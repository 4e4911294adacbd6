//! `#[sync_facade]` on an `async fn`: the function as written, then its blocking twin.

use crate::args::{push_error, Builder, Scope};
use crate::messages;
use crate::placement::{self, Placement};
use crate::twin::lower::FnShell;
use crate::twin::write::{twin, write_twin};
use crate::twin::{Lowered, Owner};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::ext::IdentExt;

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
    let (ident, has_receiver) = match &head {
        FnHead::Scanned(lowered) => (&lowered.ident, lowered.receiver.is_some()),
        FnHead::Parsed(f) => (&f.sig.ident, f.sig.receiver().is_some()),
    };
    // The same tokens at module level, in an inherent `impl` and in a trait impl: where the
    // function stands decides whether its twin calls `name(..)` or `Self::name(..)`, or cannot
    // exist at all.
    let in_impl = match placement::of(ident) {
        Placement::TraitImpl { trait_path, self_ty } => {
            let message = messages::fn_in_trait_impl(&ident.unraw().to_string(), has_receiver, &trait_path, &self_ty);
            push_error(errors, syn::Error::new(Span::call_site(), message));
            return original;
        }
        Placement::InherentImpl => true,
        Placement::Module | Placement::Unknown => false,
    };
    let owner = Owner { in_impl, type_name: None };
    let twin = match head {
        FnHead::Scanned(lowered) => write_twin(lowered, &config, &owner, errors),
        FnHead::Parsed(f) => twin(&f.attrs, &f.vis, &f.sig, &config, &owner, errors),
    };
    quote!(#original #twin)
}
