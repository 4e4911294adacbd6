//! Writes a blocking twin from a lowered head and the options.
//!
//! Generated code reaches the runtime only through `::sync_facade::__private` and core items only
//! through `::core`, so it works whatever the user imports or shadows; generated locals use
//! `Span::mixed_site()` hygiene.

use super::bridge::{self, Bridged};
use super::lower::lower;
use super::{Lowered, Owner};
use crate::args::{push_error, Config};
use crate::messages;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::{Attribute, Signature, Visibility};

// Input:  the attributes, visibility and signature of `async fn load<T: X>((a, b): (T, T)) -> R`
// Output: `fn blocking_load<T: X>(__arg0: (T, T)) -> Result<R, Error> { block_on(CALL, load::<T>(__arg0)) }`
//         (empty, with an error, if no twin can be written)
pub(crate) fn twin(
    attrs: &[Attribute],
    vis: &Visibility,
    sig: &Signature,
    config: &Config,
    owner: &Owner,
    errors: &mut Option<syn::Error>,
) -> TokenStream {
    match lower(attrs, vis, sig, errors) {
        Some(lowered) => write_twin(lowered, config, owner, errors),
        None => TokenStream::new(),
    }
}

// Input:  a lowered `async fn load<T: X>(__arg0: (T, T)) -> R` and the options
// Output: `fn blocking_load<T: X>(__arg0: (T, T)) -> Result<R, Error> { block_on(CALL, load::<T>(__arg0)) }`
pub(crate) fn write_twin(f: Lowered, config: &Config, owner: &Owner, errors: &mut Option<syn::Error>) -> TokenStream {
    let ident = &f.ident;
    let plain_name = ident.unraw().to_string();
    let twin_ident = match &config.name {
        Some(name) => name.clone(),
        None => format_ident!("blocking_{}", plain_name, span = ident.span()),
    };
    let has_receiver = f.receiver.is_some();
    let call_args: Vec<TokenStream> = f.receiver.iter().cloned().chain(f.args.iter().cloned()).collect();

    // The output and the runtime entry point. A stream, reader or writer is handed out as its
    // blocking side (`bridge`).
    let bridged = bridge::recognize(f.output.as_ref());
    let output = f.output.clone().unwrap_or_else(|| quote!(()));
    let output = match &bridged {
        Some(b) => b.blocking_type(&output, config.local),
        None => output,
    };
    let mut flatten = config.flatten.is_some();
    if flatten && !f.returns_result {
        let e = match &f.output {
            Some(ty) => syn::Error::new_spanned(ty, messages::flatten_needs_result()),
            None => syn::Error::new(ident.span(), messages::flatten_needs_result()),
        };
        push_error(errors, e);
        flatten = false;
    }
    // A sync `fn` (bridged) makes its value on the caller's thread: there is no call to fail.
    let twin_output = if flatten || !f.is_async {
        output.clone()
    } else {
        quote!(::core::result::Result<#output, ::sync_facade::Error>)
    };
    // The call of the original function.
    let turbofish = &f.turbofish;
    // In an annotated `impl` block: `Self::name(self, ..)`. On a lone method with a receiver, a
    // method call (`self.name(..)`, which resolves to the same inherent method: its receiver type
    // matches at the first autoderef step): if the attribute was put on a free function with a
    // `self` parameter, rustc's own error about that parameter then stays the only one.
    let call = match call_args.split_first() {
        _ if owner.in_impl => quote!(Self::#ident #turbofish(#(#call_args),*)),
        Some((receiver, rest)) if has_receiver => quote!(#receiver.#ident #turbofish(#(#rest),*)),
        _ if f.mentions_self => quote!(Self::#ident #turbofish(#(#call_args),*)),
        _ => quote!(#ident #turbofish(#(#call_args),*)),
    };
    let future_expr = if f.unsafety.is_some() { quote!(unsafe { #call }) } else { call };
    let call_name = match &owner.type_name {
        Some(ty) => format!("{ty}::{plain_name}"),
        None => plain_name.clone(),
    };

    // Attributes: the docs, then a line linking back; `cfg`s and lint levels are kept.
    let docs = &f.docs;
    let kept = &f.kept;
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    let twin_doc = messages::twin_doc(&plain_name, owner.in_impl || has_receiver, ident.to_string().starts_with("r#"));
    let timeout_doc = config.timeout.map(|t| {
        let line = messages::twin_doc_timeout(&format!("{t:?}"));
        quote!(#[doc = #line])
    });
    let bridge_doc = bridged.map(|b| {
        let line = b.doc();
        quote!(#[doc = #line])
    });

    let (vis, unsafety, generics, where_clause, params) =
        (&f.vis, &f.unsafety, &f.generics, &f.where_clause, &f.params);
    let body = match bridged {
        Some(b) if !f.is_async => sync_bridge_body(future_expr, config, b, &call_name, ident.span()),
        _ => blocking_body(future_expr, config, flatten, &call_name, ident.span(), bridged),
    };
    quote! {
        #(#docs)*
        #separator
        #[doc = #twin_doc]
        #timeout_doc
        #bridge_doc
        #(#kept)*
        #[inline] // compiled to machine code only where it is called (see `src/private.rs`)
        #vis #unsafety fn #twin_ident #generics (#(#params),*) -> #twin_output #where_clause #body
    }
}

/// The `__private` function a twin with these options calls.
fn entry_point(local: bool, flatten: bool, span: Span) -> Ident {
    Ident::new(
        match (local, flatten) {
            (false, false) => "block_on",
            (true, false) => "block_on_local",
            (false, true) => "block_on_flatten",
            (true, true) => "block_on_local_flatten",
        },
        span,
    )
}

/// The options of a call as a constant expression: `Call::new("load").timeout(..)`.
fn call_options(config: &Config, call_name: &str) -> TokenStream {
    let timeout = config.timeout.map(|t| {
        let (secs, nanos) = (t.as_secs(), t.subsec_nanos());
        quote!(.timeout(::core::time::Duration::new(#secs, #nanos)))
    });
    let strategy = config.strategy.map(|s| {
        let variant = format_ident!("{}", s.variant());
        quote!(.strategy(::sync_facade::__private::Strategy::#variant))
    });
    quote!(::sync_facade::__private::Call::new(#call_name) #timeout #strategy)
}

// Input:  the call of a sync `fn` returning a stream, reader or writer (`rows(path)`), the options
// Output: `{ ::sync_facade::__private::wrap_stream(CALL, rows(path)) }`, or for a `Result`,
//         `{ ::core::result::Result::map(open(path), |__sync_facade_value| wrap_read(CALL, __sync_facade_value)) }`
//         The value is made on the caller's thread, as a sync caller would make it; every item,
//         read or write afterwards is a call with the options.
pub(crate) fn sync_bridge_body(
    value_expr: TokenStream,
    config: &Config,
    bridged: Bridged,
    call_name: &str,
    span: Span,
) -> TokenStream {
    let at_name = Span::mixed_site().located_at(span);
    let wrap = bridged.wrap_fn(config.local, at_name);
    let call_options = call_options(config, call_name);
    let value = Ident::new("__sync_facade_value", at_name);
    let run = if bridged.in_result {
        quote_spanned!(at_name=> ::core::result::Result::map(#value, |#value| #wrap(#call_options, #value)))
    } else {
        quote_spanned!(at_name=> #wrap(#call_options, #value))
    };
    quote_spanned! {Span::mixed_site()=>
        {
            #[allow(deprecated)]
            let #value = #value_expr;
            #run
        }
    }
}

// Input:  the expression that makes the future (`load::<T>(path)`), the options, the call's name
// Output: `{ let __sync_facade_future = load::<T>(path);
//            ::sync_facade::__private::block_on(::sync_facade::__private::Call::new("load").timeout(..), __sync_facade_future) }`
//         The options are a constant expression; the local is hygienic (`Span::mixed_site`), so
//         it can shadow nothing of the user's. The future goes to the runtime by value: pinning
//         it here and coercing it to a `dyn` future would cost more to type-check per twin (see
//         the comment on the entry points in `src/private.rs`).
pub(crate) fn blocking_body(
    future_expr: TokenStream,
    config: &Config,
    flatten: bool,
    call_name: &str,
    span: Span,
    bridged: Option<Bridged>,
) -> TokenStream {
    let at_name = Span::mixed_site().located_at(span);
    let entry = entry_point(config.local, flatten, at_name);
    // `flatten = convert`: the `_with` entry point, which takes the conversion.
    let (entry, convert) = match (config.flatten.as_ref().and_then(|f| f.with.as_ref()), flatten) {
        (Some(convert), true) => (format_ident!("{}_with", entry, span = at_name), Some(quote!(, #convert))),
        _ => (entry, None),
    };
    // A bridged twin names the conversion to its blocking side:
    // `block_on_into::<AsStream, _>(..)`, `block_on_flatten_with_into::<AsRead, _, _, _, _>(..)`.
    let entry = match bridged {
        Some(b) => {
            let marker = b.marker(config.local, flatten);
            let entry = format_ident!("{}_into", entry, span = at_name);
            match (flatten, convert.is_some()) {
                (true, true) => quote!(#entry::<#marker, _, _, _, _>),
                (true, false) => quote!(#entry::<#marker, _, _, _>),
                _ => quote!(#entry::<#marker, _>),
            }
        }
        None => quote!(#entry),
    };
    let call_options = call_options(config, call_name);
    // The future and the entry point are located at the function's name: an unmet bound (a
    // future that is not `Send`, an error type `flatten` cannot fold into) is reported there.
    let future = Ident::new("__sync_facade_future", at_name);
    let run = quote_spanned!(at_name=> ::sync_facade::__private::#entry(#call_options, #future #convert));
    quote_spanned! {Span::mixed_site()=>
        {
            #[allow(deprecated)] // a deprecated original's twin is deprecated too; calling it is fine
            let #future = #future_expr;
            #run
        }
    }
}
