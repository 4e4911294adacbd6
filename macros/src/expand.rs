//! Writes the blocking twins.
//!
//! Generated code reaches the runtime only through `::sync_facade::__private` and core items only
//! through `::core`, so it works whatever the user imports or shadows; generated locals use
//! `Span::mixed_site()` hygiene.

use crate::args::{self, push_error, Builder, Config, Scope};
use crate::messages;
use crate::parse::{self, Annotated};
use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::{Attribute, FnArg, ImplItem, ItemImpl, Pat, ReturnType, Signature, Type, Visibility};

/// The attribute's whole expansion, callable outside a proc-macro context (tests use it).
///
// Input:  `timeout = 30` and `pub async fn load(path: &str) -> io::Result<Table> { .. }`
// Output: the function unchanged, then `pub fn blocking_load(path: &str)
//         -> ::core::result::Result<io::Result<Table>, ::sync_facade::Error> { .. }`, then a
//         `compile_error!` per problem found (the twin is still emitted where it can be, so a
//         mistake in the options gives one error, not one more per caller)
pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let (builder, mut errors) = args::parse(attr);
    let mut out = match parse::classify(item.clone()) {
        Ok(Annotated::Scanned(f)) => {
            expand_fn(builder, item, &mut errors, |config, owner, errors| write_twin(*f, config, owner, errors))
        }
        Ok(Annotated::Fn(f)) => expand_fn(builder, item, &mut errors, |config, owner, errors| {
            twin(&f.attrs, &f.vis, &f.sig, config, owner, errors)
        }),
        Ok(Annotated::Impl(i)) => match builder.client() {
            Some(client) => crate::client::expand_client(builder, client, i, &mut errors),
            None => expand_impl(builder, i, &mut errors),
        },
        Ok(Annotated::Trait(t)) => crate::companion::expand_trait(builder, t, &mut errors),
        Err(e) => {
            push_error(&mut errors, e);
            strip_inner_attrs(item)
        }
    };
    if let Some(errors) = errors {
        out.extend(errors.to_compile_error());
    }
    out
}

// Input:  options and an `async fn`, scanned or parsed by syn (its original tokens are re-emitted
//         untouched), and how to write its twin
// Output: the function, then its twin
fn expand_fn(
    builder: Builder,
    original: TokenStream,
    errors: &mut Option<syn::Error>,
    write: impl FnOnce(&Config, &Owner, &mut Option<syn::Error>) -> TokenStream,
) -> TokenStream {
    let (config, e) = builder.build(Scope::Fn);
    if let Some(e) = e {
        push_error(errors, e);
    }
    let twin = write(&config, &Owner { in_impl: false, type_name: None }, errors);
    quote!(#original #twin)
}

// Input:  options and `impl<T> Type<T> { async fn a(&self) {..} #[sync_facade(skip)] async fn b() {..} fn c() {..} }`
// Output: the same block without the methods' `#[sync_facade]` attributes, with a twin appended
//         for every `async fn` that is not skipped
fn expand_impl(outer: Builder, mut item: ItemImpl, errors: &mut Option<syn::Error>) -> TokenStream {
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
        if method.sig.asyncness.is_none() {
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

/// Where the twin goes.
pub(crate) struct Owner {
    /// Inside an `impl` block the attribute can see: the twin calls `Self::name`.
    pub in_impl: bool,
    /// The `impl` block's type name, for the call's name (`Type::method`).
    pub type_name: Option<String>,
}

/// A function's head, lowered to what its twin is written from: by `lower` from syn nodes, or
/// straight from the tokens by `crate::scan` (the fast path for a free `async fn`).
#[derive(Clone)]
pub(crate) struct Lowered {
    /// The `#[doc = ..]` attributes, whole.
    pub docs: Vec<TokenStream>,
    /// The attributes a twin keeps (`is_kept`), whole.
    pub kept: Vec<TokenStream>,
    pub vis: TokenStream,
    /// `unsafe`, if the function is.
    pub unsafety: Option<TokenStream>,
    pub ident: Ident,
    /// `<'a, T: X>` as written (without the where clause), or nothing.
    pub generics: TokenStream,
    /// `::<T>`: the type and const parameters, for the call.
    pub turbofish: TokenStream,
    /// `where ..`, or nothing.
    pub where_clause: TokenStream,
    /// The twin's parameters (see `lower_inputs`).
    pub params: Vec<TokenStream>,
    /// The receiver's `self` token, if any, then the names the other parameters are bound to.
    pub receiver: Option<TokenStream>,
    pub args: Vec<Ident>,
    /// The return type as written, if any.
    pub output: Option<TokenStream>,
    /// Whether the return type looks like a `Result` (`result_type`).
    pub returns_result: bool,
    /// Whether the signature mentions `Self` (only read for a function without a receiver).
    pub mentions_self: bool,
}

// Input:  the attributes, visibility and signature of `async fn load<T: X>((a, b): (T, T)) -> R`
// Output: the same, lowered (`None`, with an error, if no twin can be written: a variadic)
pub(crate) fn lower(
    attrs: &[Attribute],
    vis: &Visibility,
    sig: &Signature,
    errors: &mut Option<syn::Error>,
) -> Option<Lowered> {
    if let Some(variadic) = &sig.variadic {
        push_error(errors, syn::Error::new_spanned(variadic, messages::variadic()));
        return None;
    }
    let inputs = lower_inputs(sig, |ty| ty.to_token_stream());
    // Only a function without a receiver is called as `Self::name`; spare the others printing
    // their signature again.
    let uses_self = inputs.receiver.is_none() && mentions_self(sig.to_token_stream());
    Some(Lowered {
        docs: attrs.iter().filter(|a| a.path().is_ident("doc")).map(ToTokens::to_token_stream).collect(),
        kept: attrs.iter().filter(|a| is_kept(a)).map(ToTokens::to_token_stream).collect(),
        vis: vis.to_token_stream(),
        unsafety: sig.unsafety.map(|u| u.to_token_stream()),
        ident: sig.ident.clone(),
        generics: sig.generics.to_token_stream(),
        turbofish: turbofish(&sig.generics),
        where_clause: sig.generics.where_clause.to_token_stream(),
        params: inputs.params,
        receiver: inputs.receiver.map(|r| r.self_token.into_token_stream()),
        args: inputs.args,
        output: match &sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => Some(ty.to_token_stream()),
        },
        returns_result: result_type(&sig.output).is_some(),
        mentions_self: uses_self,
    })
}

// Input:  the attributes, visibility and signature of `async fn load<T: X>((a, b): (T, T)) -> R`
// Output: `fn blocking_load<T: X>(__arg0: (T, T)) -> Result<R, Error> { block_on(CALL, load::<T>(__arg0)) }`
//         (empty, with an error, if no twin can be written)
fn twin(
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
    let call_args: Vec<TokenStream> =
        f.receiver.iter().cloned().chain(f.args.iter().map(|a| a.to_token_stream())).collect();

    // The output and the runtime entry point.
    let output = f.output.clone().unwrap_or_else(|| quote!(()));
    let mut flatten = config.flatten.is_some();
    if flatten && !f.returns_result {
        let e = match &f.output {
            Some(ty) => syn::Error::new_spanned(ty, messages::flatten_needs_result()),
            None => syn::Error::new(ident.span(), messages::flatten_needs_result()),
        };
        push_error(errors, e);
        flatten = false;
    }
    let twin_output =
        if flatten { output.clone() } else { quote!(::core::result::Result<#output, ::sync_facade::Error>) };
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

    let (vis, unsafety, generics, where_clause, params) =
        (&f.vis, &f.unsafety, &f.generics, &f.where_clause, &f.params);
    let body = blocking_body(future_expr, config, flatten, &call_name, ident.span());
    quote! {
        #(#docs)*
        #separator
        #[doc = #twin_doc]
        #timeout_doc
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
) -> TokenStream {
    let at_name = Span::mixed_site().located_at(span);
    let entry = entry_point(config.local, flatten, at_name);
    let timeout = config.timeout.map(|t| {
        let (secs, nanos) = (t.as_secs(), t.subsec_nanos());
        quote!(.timeout(::core::time::Duration::new(#secs, #nanos)))
    });
    let strategy = config.strategy.map(|s| {
        let variant = format_ident!("{}", s.variant());
        quote!(.strategy(::sync_facade::__private::Strategy::#variant))
    });
    let call_options = quote!(::sync_facade::__private::Call::new(#call_name) #timeout #strategy);
    // The future and the entry point are located at the function's name: an unmet bound (a
    // future that is not `Send`, an error type `flatten` cannot fold into) is reported there.
    let future = Ident::new("__sync_facade_future", at_name);
    let run = quote_spanned!(at_name=> ::sync_facade::__private::#entry(#call_options, #future));
    quote_spanned! {Span::mixed_site()=>
        {
            #[allow(deprecated)] // a deprecated original's twin is deprecated too; calling it is fine
            let #future = #future_expr;
            #run
        }
    }
}

/// Attributes a twin keeps from its original (besides the docs).
pub(crate) fn is_kept(attr: &Attribute) -> bool {
    attr.path().get_ident().is_some_and(|name| is_kept_name(&name.to_string()))
}

/// The names of the attributes a twin keeps.
pub(crate) fn is_kept_name(name: &str) -> bool {
    const KEPT: &[&str] = &["cfg", "cfg_attr", "allow", "warn", "deny", "forbid", "expect", "deprecated", "must_use"];
    KEPT.contains(&name)
}

/// The return type if it looks like a `Result` (`Result<T, E>`, `io::Result<T>`, ...).
pub(crate) fn result_type(output: &ReturnType) -> Option<&Type> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let Type::Path(path) = &**ty else { return None };
    let last = path.path.segments.last()?;
    last.ident.to_string().ends_with("Result").then_some(&**ty)
}

pub(crate) fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.unraw().to_string()),
        _ => None,
    }
}

/// The parameters of a generated function and the arguments it passes on.
pub(crate) struct Inputs {
    /// `&self`, `name: &str`, `__arg2: (u8, u8)`: the receiver without attributes (and without
    /// `mut` when taken by value), patterns bound to hygienic names.
    pub params: Vec<TokenStream>,
    /// The receiver as written, if any.
    pub receiver: Option<syn::Receiver>,
    /// The names the typed parameters are bound to, in order.
    pub args: Vec<Ident>,
}

// Input:  the inputs of `fn f(&mut self, (a, b): (u8, u8), mut n: u32, _: T)`, and how to write
//         each parameter's type
// Output: params `&mut self, __arg1: (u8, u8), n: u32, __arg3: T`; args `__arg1, n, __arg3`
//         (`mut n` keeps its name: the generated function does not mutate it)
pub(crate) fn lower_inputs(sig: &Signature, write_ty: impl Fn(&Type) -> TokenStream) -> Inputs {
    let mut inputs = Inputs { params: Vec::new(), receiver: None, args: Vec::new() };
    for (i, input) in sig.inputs.iter().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                inputs.receiver = Some(receiver.clone());
                let mut receiver = receiver.clone();
                receiver.attrs.clear();
                if receiver.reference.is_none() {
                    receiver.mutability = None;
                }
                inputs.params.push(receiver.into_token_stream());
            }
            FnArg::Typed(typed) => {
                let name = match &*typed.pat {
                    Pat::Ident(p) if p.subpat.is_none() && p.ident != sig.ident => p.ident.clone(),
                    _ => format_ident!("__arg{}", i, span = Span::mixed_site()),
                };
                let ty = write_ty(&typed.ty);
                inputs.params.push(quote!(#name: #ty));
                inputs.args.push(name);
            }
        }
    }
    inputs
}

/// Whether `tokens` use `Self` anywhere.
pub(crate) fn mentions_self(tokens: impl IntoIterator<Item = TokenTree>) -> bool {
    tokens.into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == "Self",
        TokenTree::Group(g) => mentions_self(g.stream()),
        _ => false,
    })
}

// Input:  the generics of `fn load<'a, T: X, const N: usize>`
// Output: `::<T, N>` (lifetimes are left to inference), or nothing without type or const params
pub(crate) fn turbofish(generics: &syn::Generics) -> TokenStream {
    let args: Vec<&Ident> = generics
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => Some(&t.ident),
            syn::GenericParam::Const(c) => Some(&c.ident),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    if args.is_empty() {
        TokenStream::new()
    } else {
        quote!(::<#(#args),*>)
    }
}

fn is_sync_facade_attr(attr: &Attribute) -> bool {
    attr.path().segments.last().is_some_and(|s| s.ident == "sync_facade")
}

// Input:  a method's attributes, e.g. `#[doc = ".."] #[sync_facade(timeout = 5)]`
// Output: the attributes without `#[sync_facade(..)]`, the options those carried, and the span of
//         the first one (if any)
pub(crate) fn take_inner_attrs(attrs: &mut Vec<Attribute>, errors: &mut Option<syn::Error>) -> (Builder, Option<Span>) {
    let mut builder = Builder::default();
    let mut first = None;
    let mut kept = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        if !is_sync_facade_attr(&attr) {
            kept.push(attr);
            continue;
        }
        first.get_or_insert_with(|| attr.path().segments.last().map_or_else(Span::call_site, |s| s.ident.span()));
        let tokens = match &attr.meta {
            syn::Meta::Path(_) => TokenStream::new(),
            syn::Meta::List(list) => list.tokens.clone(),
            syn::Meta::NameValue(nv) => {
                push_error(errors, syn::Error::new_spanned(nv, messages::expected_option()));
                TokenStream::new()
            }
        };
        let (inner, e) = args::parse(tokens);
        if let Some(e) = e {
            push_error(errors, e);
        }
        builder = inner.merged_over(&builder);
    }
    *attrs = kept;
    (builder, first)
}

// Input:  an item the attribute does not support
// Output: the item, without the `#[sync_facade]` attributes of its methods (they would add one
//         more error each) when it parses as an `impl` block
fn strip_inner_attrs(item: TokenStream) -> TokenStream {
    match syn::parse2::<ItemImpl>(item.clone()) {
        Ok(mut i) => {
            for impl_item in &mut i.items {
                if let ImplItem::Fn(method) = impl_item {
                    method.attrs.retain(|a| !is_sync_facade_attr(a));
                }
            }
            i.into_token_stream()
        }
        Err(_) => item,
    }
}
