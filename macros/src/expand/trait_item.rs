//! `#[sync_facade]` on a trait: a blocking companion trait, implemented for every implementor.
//!
//! The companion is a subtrait of the trait (`trait BlockingService: Service`), so `Self::Assoc`,
//! `<Self as Service>::Assoc` and the trait's consts mean in its methods what they mean in the
//! trait's; it is implemented for every implementor, sized or not
//! (`impl<T: Service + ?Sized> BlockingService for T`). Bounds the twins need are added to each
//! twin, never to the trait:
//!
//! | the method | the twin gets |
//! |---|---|
//! | takes `self` by value, or `Self` (not behind a reference) in a parameter or the output | `where Self: Sized` |
//! | output mentions `Self`, `Self::Assoc` or a type parameter `T` (without `local`) | `where Self: Send`, `Self::Assoc: Send`, `T: Send` (the output crosses threads) |
//! | a default method whose body uses `self` (without `local`) | as in the trait, below |
//!
//! A default method's body becomes an `async move` block that must be `Send`; as in async-trait,
//! the trait method then gets `where Self: Sync` for `&self` (and `self: &Self`), `Self: Send + Sync`
//! for `self: Arc<Self>`, `Self: Send` for any other receiver or for a body that names `Self`,
//! unless the trait's supertraits already say so.

use crate::args::{push_error, take_inner_attrs, Builder, Config, Scope};
use crate::messages;
use crate::twin::bridge;
use crate::twin::lower::{
    is_arrow_tip, is_kept, is_self, is_unsafe, lower_inputs, mentions_self, result_type, turbofish,
};
use crate::twin::write::{blocking_body, sync_bridge_body};
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::{FnArg, ItemTrait, ReceiverKind, ReturnType, TraitItem, TraitItemFn, Type, TypeParamBound};

// Input:  options and `pub trait ArtifactService { async fn save(&self, name: &str) -> io::Result<u64>; fn root(&self) -> &Path; }`
// Output: the trait with each `async fn` written as `fn save(&self, name: &str)
//         -> impl Future<Output = io::Result<u64>> + Send` (implementors still write `async fn`;
//         with `local` the `async fn`s stay as they are), then
//         `pub trait BlockingArtifactService: ArtifactService { fn blocking_save(&self, name: &str) -> Result<io::Result<u64>, Error>; }`
//         and `impl<__T: ArtifactService + ?Sized> BlockingArtifactService for __T { .. }`
pub fn expand_trait(builder: Builder, mut item: ItemTrait, errors: &mut Option<syn::Error>) -> TokenStream {
    let (config, e) = builder.clone().build(Scope::Trait);
    if let Some(e) = e {
        push_error(errors, e);
    }
    let outer = builder.for_methods();
    let trait_ident = &item.ident;
    let companion = config.name.clone().unwrap_or_else(|| format_ident!("Blocking{}", trait_ident.unraw()));
    let implementor = format_ident!("__SyncFacadeT", span = Span::mixed_site());
    let (_, ty_generics, where_clause) = item.generics.split_for_impl();
    let trait_path = quote!(#trait_ident #ty_generics);
    let trait_label = trait_ident.unraw().to_string();
    let trait_type_params: Vec<String> = item.generics.type_params().map(|p| p.ident.to_string()).collect();
    let implied = implied_self_bounds(&item);

    let mut declarations = Vec::new();
    let mut definitions = Vec::new();
    for trait_item in &mut item.items {
        let TraitItem::Fn(method) = trait_item else { continue };
        let (inner, _) = take_inner_attrs(&mut method.attrs, errors);
        if let (_, Some(e)) = inner.clone().build(Scope::Method) {
            push_error(errors, e);
        }
        let merged = inner.merged_over(&outer);
        let (method_config, _) = merged.clone().build(Scope::Method);
        // What the future yields: an `async fn`'s output, or `T` in `-> impl Future<Output = T>`;
        // and whether the method is a sync one whose value the twin converts instead.
        let future_output = if method.sig.asyncness.is_some() {
            Some((
                match &method.sig.output {
                    ReturnType::Default => quote!(()),
                    ReturnType::Type(_, ty) => ty.to_token_stream(),
                },
                false,
            ))
        } else {
            match returned_future(&method.sig.output) {
                Some((output, is_send)) => {
                    if !is_send && !method_config.local && !merged.is_skip() {
                        push_error(
                            errors,
                            syn::Error::new_spanned(
                                &method.sig.output,
                                messages::trait_future_not_send(&output.to_string()),
                            ),
                        );
                        continue;
                    }
                    Some((output, false))
                }
                // A sync method returning a stream, reader or writer: its blocking side.
                None if bridge::returns_bridged(&method.sig) => match &method.sig.output {
                    ReturnType::Type(_, ty) => Some((ty.to_token_stream(), true)),
                    ReturnType::Default => None,
                },
                None => None,
            }
        };
        let Some((output, sync_value)) = future_output else { continue };
        // The trait's own method: `async fn` becomes `fn .. -> impl Future + Send`, so that every
        // implementor's future is known to be `Send` and the companion can host it anywhere
        // (skipped methods too: the trait's futures are `Send` all the same).
        let default_bound = if method_config.local { None } else { default_method_bound(method, &implied) };
        if method.sig.asyncness.is_some() && method.default.is_none() {
            plain_patterns(&mut method.sig);
        }
        if method.sig.asyncness.is_some() && !method_config.local {
            desugar_send(method, default_bound.as_ref());
        }
        if merged.is_skip() {
            continue;
        }
        let twin = CompanionTwin {
            sync_value,
            method,
            output: &output,
            config: &method_config,
            default_bound: default_bound.as_ref(),
            trait_type_params: &trait_type_params,
        };
        if let Some((declaration, definition)) = twin.write(&implementor, &trait_path, &trait_label, errors) {
            declarations.push(declaration);
            definitions.push(definition);
        }
    }

    let vis = &item.vis;
    let doc = messages::companion_doc(&trait_label);
    let mut impl_generics = item.generics.clone();
    impl_generics.params.push(syn::parse_quote!(#implementor: #trait_path + ?::core::marker::Sized));
    let (impl_generics, _, _) = impl_generics.split_for_impl();
    let trait_generics = &item.generics;
    quote! {
        #item

        #[doc = #doc]
        #vis trait #companion #trait_generics: #trait_path #where_clause {
            #(#declarations)*
        }

        impl #impl_generics #companion #ty_generics for #implementor #where_clause {
            #(#definitions)*
        }
    }
}

/// One method of the trait, and what its twin in the companion needs.
struct CompanionTwin<'a> {
    /// A sync method returning a stream, reader or writer (no future: its value is wrapped).
    sync_value: bool,
    method: &'a TraitItemFn,
    /// What the method's future yields.
    output: &'a TokenStream,
    config: &'a Config,
    /// The bound added to the trait method for its default body, if any.
    default_bound: Option<&'a TokenStream>,
    trait_type_params: &'a [String],
}

impl CompanionTwin<'_> {
    // Input:  `async fn save(&self, name: &str) -> io::Result<u64>` (its attributes, after the
    //         trait's method was desugared: the signature is read from the original output)
    // Output: the twin's declaration in the companion and its definition in the blanket impl
    fn write(
        &self,
        implementor: &syn::Ident,
        trait_path: &TokenStream,
        trait_label: &str,
        errors: &mut Option<syn::Error>,
    ) -> Option<(TokenStream, TokenStream)> {
        let (method, output, config) = (self.method, self.output, self.config);
        let sig = &method.sig;
        let ident = &sig.ident;
        let returns_result = match syn::parse2::<Type>(output.clone()) {
            Ok(ty) => result_type(&ReturnType::Type(Default::default(), Box::new(ty))).is_some(),
            Err(_) => false,
        };
        let flatten = config.flatten.is_some() && returns_result;
        if config.flatten.is_some() && !flatten {
            push_error(errors, syn::Error::new(ident.span(), messages::flatten_needs_result()));
        }
        let twin_ident = config.name.clone().unwrap_or_else(|| format_ident!("blocking_{}", ident.unraw()));
        let inputs = lower_inputs(sig, |ty| ty.to_token_stream());
        let params = inputs.params;
        let by_value_self = inputs.receiver.as_ref().is_some_and(|r| match &r.kind {
            ReceiverKind::Value => true,
            ReceiverKind::Typed(_, ty) => is_self(ty),
            _ => false,
        });
        let args: Vec<TokenStream> =
            inputs.receiver.map(|_| quote!(self)).into_iter().chain(inputs.args.iter().cloned()).collect();
        let turbofish = turbofish(&sig.generics);
        // A stream, reader or writer is handed out as its blocking side.
        let bridged = bridge::recognize(Some(output));
        let blocking = match bridged {
            Some(b) => b.blocking_type(output, config.local),
            None => output.clone(),
        };
        let ret = if flatten || self.sync_value {
            blocking.clone()
        } else {
            quote!(::core::result::Result<#blocking, ::sync_facade::Error>)
        };
        let call = quote!(<#implementor as #trait_path>::#ident #turbofish(#(#args),*));
        let call = if is_unsafe(sig) { quote!(unsafe { #call }) } else { call };
        let call_name = format!("{trait_label}::{}", ident.unraw());
        let body = match bridged {
            Some(b) if self.sync_value => sync_bridge_body(call, config, b, &call_name, ident.span()),
            _ => blocking_body(call, config, flatten, &call_name, ident.span(), bridged),
        };

        // The twin's where clause: the method's own, then what the twin needs.
        let mut predicates: Vec<TokenStream> = Vec::new();
        if let Some(clause) = &sig.generics.where_clause {
            predicates.extend(clause.predicates.iter().map(ToTokens::to_token_stream));
        }
        predicates.extend(self.default_bound.cloned());
        let typed_inputs = sig.inputs.iter().filter_map(|input| match input {
            FnArg::Typed(t) => Some(t.ty.to_token_stream()),
            FnArg::Receiver(_) => None,
        });
        let unsized_use = typed_inputs.chain([output.clone()]).any(|tokens| has_sized_self(&tokens));
        if by_value_self || unsized_use {
            predicates.push(quote!(Self: ::core::marker::Sized));
        }
        if !config.local {
            let mut params: Vec<String> = self.trait_type_params.to_vec();
            params.extend(sig.generics.type_params().map(|p| p.ident.to_string()));
            predicates.extend(send_bounds(output, &params));
        }
        let mut seen = std::collections::HashSet::new();
        predicates.retain(|p| seen.insert(p.to_string()));
        let method_where = if predicates.is_empty() { None } else { Some(quote!(where #(#predicates),*)) };

        let generics = &sig.generics;
        let unsafety = &sig.safety;
        let docs: Vec<_> = method.attrs.iter().filter(|a| a.path().is_ident("doc")).collect();
        let kept: Vec<_> = method.attrs.iter().filter(|a| is_kept(a)).collect();
        let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
        let link = messages::companion_method_doc(trait_label, &ident.unraw().to_string());
        let declaration = quote! {
            #(#docs)*
            #separator
            #[doc = #link]
            #(#kept)*
            #unsafety fn #twin_ident #generics (#(#params),*) -> #ret #method_where;
        };
        let definition = quote! {
            #(#kept)*
            #[inline]
            #unsafety fn #twin_ident #generics (#(#params),*) -> #ret #method_where #body
        };
        Some((declaration, definition))
    }
}

// Input:  `-> impl Future<Output = T> + Send` or `-> Pin<Box<dyn Future<Output = T> + Send + '_>>`
//         (any path ending in `Future`)
// Output: `T` and whether `Send` is among the bounds; `None` for any other return type
fn returned_future(output: &ReturnType) -> Option<(TokenStream, bool)> {
    let ReturnType::Type(_, ty) = output else { return None };
    let bounds = match &**ty {
        Type::ImplTrait(impl_trait) => &impl_trait.bounds,
        Type::Path(pin) => pinned_box_dyn(pin)?,
        _ => return None,
    };
    let mut future_output = None;
    let mut is_send = false;
    for bound in bounds {
        let TypeParamBound::Trait(t) = bound else { continue };
        let Some(last) = t.path.segments.last() else { continue };
        if last.ident == "Send" {
            is_send = true;
        }
        if last.ident == "Future" {
            if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                for arg in &args.args {
                    if let syn::GenericArgument::AssocType(assoc) = arg {
                        if assoc.ident == "Output" {
                            future_output = Some(assoc.ty.to_token_stream());
                        }
                    }
                }
            }
        }
    }
    future_output.map(|o| (o, is_send))
}

/// The bounds of `dyn ..` in `Pin<Box<dyn ..>>`.
fn pinned_box_dyn(pin: &syn::TypePath) -> Option<&syn::punctuated::Punctuated<TypeParamBound, syn::Token![+]>> {
    let boxed = only_type_arg(pin.path.segments.last()?, "Pin")?;
    let Type::Path(boxed) = boxed else { return None };
    match only_type_arg(boxed.path.segments.last()?, "Box")? {
        Type::TraitObject(object) => Some(&object.bounds),
        _ => None,
    }
}

/// `T` in `Name<T>`, if the segment is that.
fn only_type_arg<'a>(segment: &'a syn::PathSegment, name: &str) -> Option<&'a Type> {
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else { return None };
    match (segment.ident == name, args.args.len(), args.args.first()) {
        (true, 1, Some(syn::GenericArgument::Type(ty))) => Some(ty),
        _ => None,
    }
}

/// The `Self` bounds the trait already implies: its supertraits and its `where Self: ..` clauses
/// (`Send`, `Sync`, by name).
fn implied_self_bounds(item: &ItemTrait) -> Vec<String> {
    let mut names = Vec::new();
    let mut add = |bounds: &syn::punctuated::Punctuated<TypeParamBound, syn::Token![+]>| {
        for bound in bounds {
            if let TypeParamBound::Trait(t) = bound {
                if let Some(last) = t.path.segments.last() {
                    names.push(last.ident.to_string());
                }
            }
        }
    };
    add(&item.supertraits);
    if let Some(clause) = &item.generics.where_clause {
        for predicate in &clause.predicates {
            if let syn::WherePredicate::Type(p) = predicate {
                if is_self(&p.bounded_ty) {
                    add(&p.bounds);
                }
            }
        }
    }
    names
}

// Input:  a trait method with a default body, e.g. `async fn count(&self) -> usize { self.n }`
// Output: the bound its body's future needs to be `Send` (`Self: Sync` here), unless the trait
//         already implies it; `None` for a method without a body, or a body that cannot capture a
//         `Self` value
fn default_method_bound(method: &TraitItemFn, implied: &[String]) -> Option<TokenStream> {
    let body = method.default.as_ref()?;
    let receiver = method.sig.receiver();
    if receiver.is_none() && !mentions_self(body.to_token_stream()) && !mentions_self(method.sig.to_token_stream()) {
        return None;
    }
    let needed: &[&str] = match receiver.map(|r| &r.kind) {
        Some(ReceiverKind::Reference(_, _, None)) => &["Sync"],
        Some(ReceiverKind::Typed(_, ty)) => match &**ty {
            Type::Reference(r) if r.mutability.is_none() => &["Sync"],
            Type::Path(p) if is_arc_self(&p.path) => &["Send", "Sync"],
            _ => &["Send"],
        },
        _ => &["Send"],
    };
    // Located at the receiver: an implementor without the bound is told where it comes from.
    let span = receiver.map_or_else(|| method.sig.ident.span(), |r| r.self_token.span);
    let missing: Vec<TokenStream> = needed
        .iter()
        .filter(|n| !implied.iter().any(|i| i == *n))
        .map(|n| {
            let n = syn::Ident::new(n, span);
            quote_spanned!(span=> ::core::marker::#n)
        })
        .collect();
    (!missing.is_empty()).then(|| quote_spanned!(span=> Self: #(#missing)+*))
}

fn is_arc_self(path: &syn::Path) -> bool {
    let Some(last) = path.segments.last() else { return false };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return false };
    last.ident == "Arc"
        && args.args.len() == 1
        && matches!(&args.args[0], syn::GenericArgument::Type(ty) if is_self(ty))
}

/// Whether `tokens` use `Self` as a value type (not behind `&` or a pointer, and not as the start
/// of a path such as `Self::Assoc` or `<Self as Trait>::Assoc`): a twin taking or returning it
/// needs `Self: Sized`.
fn has_sized_self(tokens: &TokenStream) -> bool {
    let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
    tokens.iter().enumerate().any(|(i, t)| match t {
        TokenTree::Group(g) => has_sized_self(&g.stream()),
        TokenTree::Ident(id) if id == "Self" => {
            let path_follows = matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':');
            let as_follows = matches!(tokens.get(i + 1), Some(TokenTree::Ident(a)) if a == "as");
            !path_follows && !as_follows && pointer_before(&tokens, i).is_none()
        }
        _ => false,
    })
}

/// What `tokens[i]` is behind: `Some('&')` for `&T` or `&'a T`, `Some('m')` for `&mut T`,
/// `Some('*')` for a raw pointer, `None` for nothing.
fn pointer_before(tokens: &[TokenTree], i: usize) -> Option<char> {
    let mut j = i;
    let mut is_mut = false;
    while j > 0 {
        j -= 1;
        match &tokens[j] {
            TokenTree::Ident(w) if w == "mut" => is_mut = true,
            TokenTree::Ident(w) if w == "const" => {}
            // a lifetime: `'` then its name
            TokenTree::Ident(_) if j > 0 && matches!(&tokens[j - 1], TokenTree::Punct(p) if p.as_char() == '\'') => {
                j -= 1;
            }
            TokenTree::Punct(p) if p.as_char() == '*' => return Some('*'),
            TokenTree::Punct(p) if p.as_char() == '&' => return Some(if is_mut { 'm' } else { '&' }),
            _ => return None,
        }
    }
    None
}

// Input:  the output type of a method, e.g. `Result<(Self, Self::Conn), T::Error>`, and the type
//         parameters in scope
// Output: what must be `Send` for the output to be: `Self: Send`, `Self::Conn: Send`,
//         `T::Error: Send` (`Sync` for a type behind `&`; repeats are removed with the other
//         predicates' where they are written)
fn send_bounds(output: &TokenStream, type_params: &[String]) -> Vec<TokenStream> {
    let mut out: Vec<TokenStream> = Vec::new();
    collect_send_bounds(output, type_params, &mut out);
    out
}

// Input:  tokens and the index of a `<`
// Output: if it opens a qualified path `<X as Trait>::Name`, the index of `Name`
fn qualified_projection(tokens: &[TokenTree], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut has_as = false;
    for (j, t) in tokens.iter().enumerate().skip(start) {
        match t {
            TokenTree::Punct(p) if p.as_char() == '<' => depth += 1,
            TokenTree::Punct(p) if p.as_char() == '>' && !is_arrow_tip(tokens, j) => {
                depth -= 1;
                if depth == 0 {
                    let colon2 = matches!((tokens.get(j + 1), tokens.get(j + 2)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':');
                    let name = matches!(tokens.get(j + 3), Some(TokenTree::Ident(_)));
                    return (has_as && colon2 && name).then_some(j + 3);
                }
            }
            TokenTree::Ident(a) if a == "as" && depth == 1 => has_as = true,
            _ => {}
        }
    }
    None
}

/// Whether `tokens` name `Self` or one of `type_params`.
fn mentions_any(tokens: &TokenStream, type_params: &[String]) -> bool {
    tokens.clone().into_iter().any(|t| match t {
        TokenTree::Ident(id) => id == "Self" || type_params.iter().any(|p| id == p),
        TokenTree::Group(g) => mentions_any(&g.stream(), type_params),
        _ => false,
    })
}

/// `T: Send`, or `T: Sync` for a `T` behind `&` (`&T` is `Send` when `T` is `Sync`).
/// Located at the type in the output: a caller whose type is not `Send` is pointed there.
fn send_or_sync(ty: TokenStream, pointer: Option<char>) -> TokenStream {
    let span = ty.clone().into_iter().next().map_or_else(Span::call_site, |t| t.span());
    match pointer {
        Some('&') => quote_spanned!(span=> #ty: ::core::marker::Sync),
        _ => quote_spanned!(span=> #ty: ::core::marker::Send),
    }
}

fn collect_send_bounds(tokens: &TokenStream, type_params: &[String], out: &mut Vec<TokenStream>) {
    let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let is_colon2 = |i: usize| matches!((tokens.get(i), tokens.get(i + 1)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':');
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Group(g) => collect_send_bounds(&g.stream(), type_params, out),
            // `<Self as Trait>::Assoc`, `<Self::Output as Future>::Output`: the whole projection.
            TokenTree::Punct(lt) if lt.as_char() == '<' => {
                if let Some(end) = qualified_projection(&tokens, i) {
                    let inner: TokenStream = tokens[i + 1..end - 3].iter().cloned().collect();
                    if mentions_any(&inner, type_params) {
                        let path: TokenStream = tokens[i..=end].iter().cloned().collect();
                        out.push(send_or_sync(path, pointer_before(&tokens, i)));
                        i = end + 1;
                        continue;
                    }
                }
            }
            TokenTree::Ident(id) if id == "Self" || type_params.iter().any(|p| id == p) => {
                let after_path = i >= 2 && is_colon2(i - 2);
                if !after_path {
                    // `Self`, or `Self::A::B`: the path up to its last plain segment.
                    let mut end = i;
                    while is_colon2(end + 1) && matches!(tokens.get(end + 3), Some(TokenTree::Ident(_))) {
                        end += 3;
                    }
                    let path: TokenStream = tokens[i..=end].iter().cloned().collect();
                    out.push(send_or_sync(path, pointer_before(&tokens, i)));
                    i = end + 1;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

// Input:  the signature of a trait method without a body, e.g. `async fn f(&self, (a, b): (u8, u8), mut n: u8)`
// Output: its patterns made plain (`_: (u8, u8), n: u8`): Rust allows only names in a method without
//         a body (async-trait accepts patterns there too, and implementors may use any)
fn plain_patterns(sig: &mut syn::Signature) {
    for input in &mut sig.inputs {
        let FnArg::Typed(typed) = input else { continue };
        match &mut *typed.pat {
            syn::Pat::Ident(p) if p.subpat.is_none() => {
                p.by_ref = None;
                p.mutability = None;
            }
            syn::Pat::Wild(_) => {}
            other => *other = syn::Pat::Wild(syn::PatWild { attrs: Vec::new(), underscore_token: Default::default() }),
        }
    }
}

// Input:  `async fn save(&self, name: &str) -> R;` or `async fn save(&self) -> R { body }`, and the
//         bound a default body needs (`Self: Sync`)
// Output: `fn save(&self, name: &str) -> impl Future<Output = R> + Send;` or
//         `fn save(&self) -> impl Future<Output = R> + Send where Self: Sync { async move { body } }`
fn desugar_send(method: &mut TraitItemFn, default_bound: Option<&TokenStream>) {
    let sig = &mut method.sig;
    sig.asyncness = None;
    let output = match &sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => ty.to_token_stream(),
    };
    sig.output = syn::parse_quote!(
        -> impl ::core::future::Future<Output = #output> + ::core::marker::Send
    );
    if let Some(bound) = default_bound {
        sig.generics.make_where_clause().predicates.push(syn::parse_quote!(#bound));
    }
    if let Some(block) = &method.default {
        let stmts = &block.stmts;
        method.default = Some(syn::parse_quote!({ async move { #(#stmts)* } }));
    }
}
