//! `#[sync_facade(client = BlockingStore)]` on an inherent `impl`: a blocking mirror type, the way
//! `reqwest::blocking::Client` mirrors `reqwest::Client`, without the hand-written copy.

use crate::args::{push_error, take_inner_attrs, Builder, ClientName, Config, Scope};
use crate::messages;
use crate::twin::bridge;
use crate::twin::lower::{
    is_kept, is_self, is_unsafe, lower_inputs, mentions_bare_self, result_type, turbofish, type_name, Inputs,
};
use crate::twin::write::{blocking_body, sync_bridge_body};
use proc_macro2::{TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{ImplItem, ImplItemFn, ItemImpl, ReceiverKind, ReturnType, Type, Visibility};

// Input:  options with `client = BlockingStore` and
//         `impl<C: Codec> Store<C> { pub async fn open(..) -> io::Result<Self> {..} pub async fn save(&self, ..) -> R {..} pub fn root(&self) -> &Path {..} }`
// Output: the `impl` block (its methods' `#[sync_facade]` attributes removed), then
//         `pub struct BlockingStore<C: Codec> { inner: Store<C> }`, an `impl` with the same methods
//         blocking (`open` returning `Result<io::Result<BlockingStore<C>>, Error>`), `root`
//         forwarded, `into_async`/`as_async`/`as_async_mut`, `From<Store<C>>`, and `Debug`/`Clone`
//         where `Store<C>` has them
pub fn expand_client(
    outer: Builder,
    client: ClientName,
    mut item: ItemImpl,
    errors: &mut Option<syn::Error>,
) -> TokenStream {
    if let (_, Some(e)) = outer.clone().build(Scope::Impl) {
        push_error(errors, e);
    }
    let outer = outer.for_methods();
    let self_ty = (*item.self_ty).clone();
    if let Some(name) = type_name(&self_ty) {
        if client.ident == name {
            push_error(errors, syn::Error::new(client.ident.span(), messages::client_same_name(&name)));
            return item.into_token_stream();
        }
    }
    let client_ident = &client.ident;
    let (impl_generics, ty_generics, where_clause) = item.generics.split_for_impl();
    let client_ty = quote!(#client_ident #ty_generics);
    let type_label = type_name(&self_ty).unwrap_or_else(|| "Self".to_owned());

    let mut methods = Vec::new();
    let mut widest = Visibility::Inherited;
    for impl_item in &mut item.items {
        let ImplItem::Fn(method) = impl_item else { continue };
        let (inner, _) = take_inner_attrs(&mut method.attrs, errors);
        if let (_, Some(e)) = inner.clone().build(Scope::Method) {
            push_error(errors, e);
        }
        let merged = inner.merged_over(&outer);
        if merged.is_skip() {
            continue;
        }
        widest = wider(widest, &method.vis);
        let (config, _) = merged.build(Scope::Method);
        let flatten = config.flatten.is_some() && result_type(&method.sig.output).is_some();
        if let Some(m) = client_method(method, &self_ty, &client_ty, &type_label, &config, flatten, errors) {
            methods.push(m);
        }
    }
    let vis = client.vis.clone().unwrap_or(widest);
    let doc = messages::client_doc(&type_label);

    let client_impl = quote! {
        #[doc = #doc]
        #vis struct #client_ident #impl_generics #where_clause {
            inner: #self_ty,
        }

        impl #impl_generics #client_ident #ty_generics #where_clause {
            #(#methods)*

            /// The async value this blocking client wraps.
            #vis fn into_async(self) -> #self_ty {
                self.inner
            }

            /// A shared reference to the async value this blocking client wraps.
            #vis fn as_async(&self) -> &#self_ty {
                &self.inner
            }

            /// A mutable reference to the async value this blocking client wraps.
            #vis fn as_async_mut(&mut self) -> &mut #self_ty {
                &mut self.inner
            }
        }

        impl #impl_generics ::core::convert::From<#self_ty> for #client_ty #where_clause {
            fn from(inner: #self_ty) -> Self {
                #client_ident { inner }
            }
        }

        impl #impl_generics ::sync_facade::__private::IntoClient<#client_ty> for #self_ty #where_clause {
            type Output = #client_ty;
            fn into_client(self) -> #client_ty {
                #client_ident { inner: self }
            }
        }
    };
    // `Debug` and `Clone` only where the async type has them. A plain `where Store: Clone` on a
    // concrete type that is not `Clone` is a hard error ("trivial bound"); the higher-ranked form
    // `for<'__sf> Store: Clone` is not trivial, so it just leaves the impl unusable instead.
    let mut clone_generics = item.generics.clone();
    let mut debug_generics = item.generics.clone();
    clone_generics
        .make_where_clause()
        .predicates
        .push(syn::parse_quote!(for<'__sync_facade> #self_ty: ::core::clone::Clone));
    debug_generics
        .make_where_clause()
        .predicates
        .push(syn::parse_quote!(for<'__sync_facade> #self_ty: ::core::fmt::Debug));
    let (_, _, clone_where) = clone_generics.split_for_impl();
    let (_, _, debug_where) = debug_generics.split_for_impl();
    let name = client_ident.unraw().to_string();
    let derived = quote! {
        impl #impl_generics ::core::fmt::Debug for #client_ty #debug_where {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_tuple(#name).field(&self.inner).finish()
            }
        }

        impl #impl_generics ::core::clone::Clone for #client_ty #clone_where {
            fn clone(&self) -> Self {
                #client_ident { inner: ::core::clone::Clone::clone(&self.inner) }
            }
        }
    };
    quote!(#item #client_impl #derived)
}

// Input:  `pub async fn save(&self, name: &str, (a, b): (u8, u8)) -> io::Result<u64>` of `Store`
// Output: `pub fn save(&self, name: &str, __arg2: (u8, u8)) -> Result<io::Result<u64>, Error> {
//             block_on(CALL, self.inner.save(name, __arg2)) }`; a return type that mentions `Self`
//         goes through `IntoClient`, so `io::Result<Self>` becomes `io::Result<BlockingStore>`
fn client_method(
    method: &ImplItemFn,
    self_ty: &Type,
    client_ty: &TokenStream,
    type_label: &str,
    config: &Config,
    flatten: bool,
    errors: &mut Option<syn::Error>,
) -> Option<TokenStream> {
    let sig = &method.sig;
    let ident = &sig.ident;
    let Inputs { params, receiver, args } = lower_inputs(sig, |ty| replace_self(ty.to_token_stream(), self_ty));
    // `self: Self`, `self: &Self` and `self: &mut Self` are `self`, `&self` and `&mut self`;
    // other typed receivers (`self: Box<Self>`) cannot be forwarded.
    if let Some(ReceiverKind::Typed(_, ty)) = receiver.as_ref().map(|r| &r.kind) {
        let plain = match &**ty {
            Type::Reference(r) => is_self(&r.elem),
            other => is_self(other),
        };
        if !plain {
            push_error(errors, syn::Error::new_spanned(ty, messages::client_typed_receiver(type_label)));
            return None;
        }
    }
    let method_name = config.name.as_ref().unwrap_or(ident);
    let turbofish = turbofish(&sig.generics);
    // `self.inner.method(..)` works for `&self`, `&mut self` and `self` alike: the client owns
    // the async value and has no `Drop` of its own, so it can be moved out.
    let call = match receiver {
        None => quote!(<#self_ty>::#ident #turbofish(#(#args),*)),
        Some(_) => quote!(self.inner.#ident #turbofish(#(#args),*)),
    };
    let call = if is_unsafe(sig) { quote!(unsafe { #call }) } else { call };

    let output = match &sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => replace_self(ty.to_token_stream(), self_ty),
    };
    // `Self` itself, not a path through it (`[u8; Self::N]`, `Self::Item`).
    let wraps_self = mentions_bare_self(sig.output.to_token_stream());
    let output_span = match &sig.output {
        ReturnType::Type(_, ty) => ty.span(),
        ReturnType::Default => ident.span(),
    };
    // The blocking return type is the async one with `Self` read as the client
    // (`io::Result<Self>` -> `io::Result<BlockingStore>`, aliases too); `IntoClient` converts the
    // value, and a shape it cannot convert (`Vec<Self>`) is reported once, on the return type.
    let value_ty = match &sig.output {
        ReturnType::Type(_, ty) if wraps_self => replace_self_with(ty.to_token_stream(), client_ty, self_ty),
        _ => output.clone(),
    };
    let into_client = quote_spanned!(output_span=> ::sync_facade::__private::into_client::<#client_ty, #output, _>);

    // A stream, reader or writer is handed out as its blocking side (not with `Self` inside).
    let bridged = if wraps_self { None } else { bridge::recognize(Some(&output)) };
    let value_ty = match bridged {
        Some(b) => b.blocking_type(&value_ty, config.local),
        None => value_ty,
    };
    let (ret, body) = if sig.asyncness.is_some() {
        let run =
            blocking_body(call, config, flatten, &format!("{type_label}::{}", ident.unraw()), ident.span(), bridged);
        let run = match (flatten, wraps_self) {
            (true, true) => quote!(#into_client(#run)),
            (false, true) => {
                quote_spanned!(output_span=> ::sync_facade::__private::into_client_ok::<#client_ty, #output, _>(#run))
            }
            (_, false) => run,
        };
        let ret = if flatten { value_ty } else { quote!(::core::result::Result<#value_ty, ::sync_facade::Error>) };
        (ret, quote!({ #run }))
    } else if wraps_self {
        (value_ty, quote!({ #into_client(#call) }))
    } else if let Some(b) = bridged {
        // A sync method returning a stream, reader or writer: its blocking side.
        (value_ty, sync_bridge_body(call, config, b, &format!("{type_label}::{}", ident.unraw()), ident.span()))
    } else {
        (output, quote!({ #call }))
    };

    let docs: Vec<_> = method.attrs.iter().filter(|a| a.path().is_ident("doc")).collect();
    let kept: Vec<_> = method.attrs.iter().filter(|a| is_kept(a)).collect();
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    let link = messages::client_method_doc(
        type_label,
        &ident.unraw().to_string(),
        sig.asyncness.is_some() || bridged.is_some(),
    );
    let vis = &method.vis;
    let unsafety = &sig.safety;
    // `Self` in bounds means the async type, as in the parameters (`F: FnOnce(&Self) -> Fut`).
    let generics = replace_self(sig.generics.to_token_stream(), self_ty);
    let where_clause = replace_self(sig.generics.where_clause.to_token_stream(), self_ty);
    Some(quote! {
        #(#docs)*
        #separator
        #[doc = #link]
        #(#kept)*
        #[inline]
        #vis #unsafety fn #method_name #generics (#(#params),*) -> #ret #where_clause #body
    })
}

/// `tokens` with every `Self` read as the async type: `Self` by `Store<C>`, `Self::Assoc` by
/// `<Store<C>>::Assoc`.
fn replace_self(tokens: TokenStream, self_ty: &Type) -> TokenStream {
    replace_self_with(tokens, &self_ty.to_token_stream(), self_ty)
}

/// `tokens` with a bare `Self` replaced by `bare`, and `Self::Assoc` by `<Store<C>>::Assoc` (an
/// associated item of the async type, which the client does not have). The replacement is
/// located at the `Self` it replaces, so errors about it point there.
fn replace_self_with(tokens: TokenStream, bare: &TokenStream, self_ty: &Type) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(ident) if ident == "Self" => {
                let path_follows = matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                if path_follows {
                    out.extend(respan(quote!(<#self_ty>), ident.span()));
                } else {
                    out.extend(respan(bare.clone(), ident.span()));
                }
            }
            TokenTree::Group(g) => {
                let mut group = proc_macro2::Group::new(g.delimiter(), replace_self_with(g.stream(), bare, self_ty));
                group.set_span(g.span());
                out.extend([TokenTree::Group(group)]);
            }
            other => out.extend([other.clone()]),
        }
    }
    out
}

/// The more visible of two visibilities (`pub` > `pub(..)` > private).
fn wider(current: Visibility, candidate: &Visibility) -> Visibility {
    match (&current, candidate) {
        (Visibility::Public(_), _) => current,
        (_, Visibility::Public(_)) => candidate.clone(),
        (Visibility::Inherited, Visibility::Restricted(_)) => candidate.clone(),
        _ => current,
    }
}

/// `tokens`, every one located at `span`.
fn respan(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(g) = &token {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                token = TokenTree::Group(group);
            } else {
                token.set_span(span);
            }
            token
        })
        .collect()
}
