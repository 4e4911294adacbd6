//! `#[sync_facade]` on a trait: a blocking companion trait, implemented for every implementor.

use crate::args::{push_error, take_inner_attrs, Builder, Scope};
use crate::messages;
use crate::twin::bridge;
use crate::twin::lower::{is_kept, is_unsafe, lower_inputs, result_type, turbofish};
use crate::twin::write::blocking_body;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use syn::ext::IdentExt;
use syn::{ItemTrait, ReturnType, TraitItem};

// Input:  options and `pub trait ArtifactService { async fn save(&self, name: &str) -> io::Result<u64>; fn root(&self) -> &Path; }`
// Output: the trait with each `async fn` written as `fn save(&self, name: &str)
//         -> impl Future<Output = io::Result<u64>> + Send` (implementors still write `async fn`;
//         with `local` the `async fn`s stay as they are), then
//         `pub trait BlockingArtifactService { fn blocking_save(&self, name: &str) -> Result<io::Result<u64>, Error>; }`
//         and `impl<__T: ArtifactService> BlockingArtifactService for __T { .. }`
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

    let mut declarations = Vec::new();
    let mut definitions = Vec::new();
    for trait_item in &mut item.items {
        let TraitItem::Fn(method) = trait_item else { continue };
        let (inner, _) = take_inner_attrs(&mut method.attrs, errors);
        if method.sig.asyncness.is_none() {
            continue;
        }
        if let (_, Some(e)) = inner.clone().build(Scope::Method) {
            push_error(errors, e);
        }
        let merged = inner.merged_over(&outer);
        let (method_config, _) = merged.clone().build(Scope::Method);
        let original_sig = method.sig.clone();
        // The trait's own method: `async fn` becomes `fn .. -> impl Future + Send`, so that every
        // implementor's future is known to be `Send` and the companion can host it anywhere
        // (skipped methods too: the trait's futures are `Send` all the same).
        if !method_config.local {
            desugar_send(method);
        }
        if merged.is_skip() {
            continue;
        }
        let flatten = method_config.flatten.is_some() && result_type(&original_sig.output).is_some();
        if method_config.flatten.is_some() && !flatten {
            push_error(errors, syn::Error::new(original_sig.ident.span(), messages::flatten_needs_result()));
        }

        let sig = &original_sig;
        let ident = &sig.ident;
        let twin_ident = method_config.name.clone().unwrap_or_else(|| format_ident!("blocking_{}", ident.unraw()));
        let inputs = lower_inputs(sig, |ty| ty.to_token_stream());
        let params = inputs.params;
        let args: Vec<TokenStream> = inputs
            .receiver
            .map(|_| quote!(self))
            .into_iter()
            .chain(inputs.args.iter().map(|a| a.to_token_stream()))
            .collect();
        let turbofish = turbofish(&sig.generics);
        let output = match &sig.output {
            ReturnType::Default => quote!(()),
            ReturnType::Type(_, ty) => ty.to_token_stream(),
        };
        // A stream, reader or writer is handed out as its blocking side.
        let bridged = bridge::recognize(Some(&output));
        let output = match bridged {
            Some(b) => b.blocking_type(&output, method_config.local),
            None => output,
        };
        let ret = if flatten { output.clone() } else { quote!(::core::result::Result<#output, ::sync_facade::Error>) };
        let call = quote!(<#implementor as #trait_path>::#ident #turbofish(#(#args),*));
        let call = if is_unsafe(sig) { quote!(unsafe { #call }) } else { call };
        let body = blocking_body(
            call,
            &method_config,
            flatten,
            &format!("{trait_label}::{}", ident.unraw()),
            ident.span(),
            bridged,
        );
        let generics = &sig.generics;
        let method_where = &sig.generics.where_clause;
        let unsafety = &sig.safety;
        let docs: Vec<_> = method.attrs.iter().filter(|a| a.path().is_ident("doc")).collect();
        let kept: Vec<_> = method.attrs.iter().filter(|a| is_kept(a)).collect();
        let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
        let link = messages::companion_method_doc(&trait_label, &ident.unraw().to_string());
        declarations.push(quote! {
            #(#docs)*
            #separator
            #[doc = #link]
            #(#kept)*
            #unsafety fn #twin_ident #generics (#(#params),*) -> #ret #method_where;
        });
        definitions.push(quote! {
            #(#kept)*
            #[inline]
            #unsafety fn #twin_ident #generics (#(#params),*) -> #ret #method_where #body
        });
    }

    let vis = &item.vis;
    let doc = messages::companion_doc(&trait_label);
    let mut impl_generics = item.generics.clone();
    impl_generics.params.push(syn::parse_quote!(#implementor: #trait_path));
    let (impl_generics, _, _) = impl_generics.split_for_impl();
    let trait_generics = &item.generics;
    quote! {
        #item

        #[doc = #doc]
        #vis trait #companion #trait_generics #where_clause {
            #(#declarations)*
        }

        impl #impl_generics #companion #ty_generics for #implementor #where_clause {
            #(#definitions)*
        }
    }
}

// Input:  `async fn save(&self, name: &str) -> R;` or `async fn save(&self) -> R { body }`
// Output: `fn save(&self, name: &str) -> impl Future<Output = R> + Send;` or
//         `fn save(&self) -> impl Future<Output = R> + Send { async move { body } }`
fn desugar_send(method: &mut syn::TraitItemFn) {
    let sig = &mut method.sig;
    sig.asyncness = None;
    let output = match &sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => ty.to_token_stream(),
    };
    sig.output = syn::parse_quote!(
        -> impl ::core::future::Future<Output = #output> + ::core::marker::Send
    );
    if let Some(block) = &method.default {
        let stmts = &block.stmts;
        method.default = Some(syn::parse_quote!({ async move { #(#stmts)* } }));
    }
}
