//! The entry point: reads the options, classifies the annotated item (an `async fn`, an inherent
//! `impl` block, a trait, or something the attribute does not support, with a message saying where
//! it goes instead) and hands it to its expander in `crate::expand`.

use crate::args::{self, is_sync_facade_attr, push_error};
use crate::expand::fn_item::{self, FnHead};
use crate::expand::{client, impl_block, trait_item};
use crate::messages;
use crate::twin::bridge;
use crate::twin::lower::FnShell;
use crate::twin::scan::scan;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::{ImplItem, Item, ItemImpl};

/// The attribute's whole expansion, callable outside a proc-macro context (tests use it).
///
// Input:  `timeout = 30` and `pub async fn load(path: &str) -> io::Result<Table> { .. }`
// Output: the function unchanged, then `pub fn blocking_load(path: &str)
//         -> ::core::result::Result<io::Result<Table>, ::sync_facade::Error> { .. }`, then a
//         `compile_error!` per problem found (the twin is still emitted where it can be, so a
//         mistake in the options gives one error, not one more per caller)
pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let (builder, mut errors) = args::parse(attr);
    let mut out = match classify(item.clone()) {
        Ok(Annotated::Fn(head)) => fn_item::expand_fn(builder, item, head, &mut errors),
        Ok(Annotated::Impl(i)) => match builder.client() {
            Some(name) => client::expand_client(builder, name, i, &mut errors),
            None => impl_block::expand_impl(builder, i, &mut errors),
        },
        Ok(Annotated::Trait(t)) => trait_item::expand_trait(builder, t, &mut errors),
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

/// An item the attribute can expand.
pub enum Annotated {
    /// An `async fn` (free, or a method whose `impl` block carries no `#[sync_facade]`).
    Fn(FnHead),
    /// An inherent `impl` block.
    Impl(ItemImpl),
    /// A trait: it gets a blocking companion trait.
    Trait(syn::ItemTrait),
}

// Input:  `#[doc = ".."] pub async fn load(path: &str) -> R { body }`
// Output: `FnHead::Scanned` if the scanner reads everything before the body, else
//         `FnHead::Parsed` if syn parses it as an `async fn` head; `None` for anything else
// The body never reaches syn: syn copies every token of its input (at every depth) into a
// buffer before parsing, and a function's body is usually most of its tokens.
fn async_fn(item: &TokenStream) -> Option<Annotated> {
    let mut head: Vec<TokenTree> = item.clone().into_iter().collect();
    match head.pop() {
        Some(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace => {}
        _ => return None,
    }
    if let Some(lowered) = scan(&head) {
        return Some(Annotated::Fn(FnHead::Scanned(lowered)));
    }
    let f = syn::parse2::<FnShell>(head.into_iter().collect()).ok()?;
    bridge::gets_twin(&f.sig).then_some(Annotated::Fn(FnHead::Parsed(f)))
}

// Input:  the tokens of the annotated item
// Output: `Annotated::Fn` for an `async fn`, `Annotated::Impl` for an inherent `impl`, or an error
//         spanning the part of the item that makes it unsupported
fn classify(item: TokenStream) -> syn::Result<Annotated> {
    // The common case, an `async fn`, without parsing its body.
    if let Some(f) = async_fn(&item) {
        return Ok(f);
    }
    let parsed = match syn::parse2::<Item>(item.clone()) {
        Ok(parsed) => parsed,
        Err(e) => {
            return Err(match syn::parse2::<syn::TraitItemFn>(item) {
                Ok(f) => {
                    let (fn_token, ident) = (&f.sig.fn_token, &f.sig.ident);
                    syn::Error::new_spanned(quote!(#fn_token #ident), messages::unsupported_item("a trait method"))
                }
                Err(_) => e,
            })
        }
    };
    let unsupported =
        |tokens: TokenStream, kind: &str| Err(syn::Error::new_spanned(tokens, messages::unsupported_item(kind)));
    match parsed {
        Item::Fn(f) => {
            if !bridge::gets_twin(&f.sig) {
                let (fn_token, ident) = (&f.sig.fn_token, &f.sig.ident);
                return Err(syn::Error::new_spanned(quote!(#fn_token #ident), messages::not_async(ident)));
            }
            Ok(Annotated::Fn(FnHead::Parsed(FnShell { attrs: f.attrs, vis: f.vis, sig: f.sig })))
        }
        Item::Impl(i) => {
            if let Some((path, for_token)) = &i.trait_ {
                let self_ty = &i.self_ty;
                return Err(syn::Error::new_spanned(quote!(#path #for_token #self_ty), messages::trait_impl()));
            }
            Ok(Annotated::Impl(i))
        }
        Item::Struct(s) => unsupported(keyword_and_name(&s.struct_token, &s.ident), "a struct"),
        Item::Enum(e) => unsupported(keyword_and_name(&e.enum_token, &e.ident), "an enum"),
        Item::Union(u) => unsupported(keyword_and_name(&u.union_token, &u.ident), "a union"),
        Item::Trait(t) => Ok(Annotated::Trait(t)),
        Item::TraitAlias(t) => unsupported(keyword_and_name(&t.trait_token, &t.ident), "a trait alias"),
        Item::Const(c) => unsupported(keyword_and_name(&c.const_token, &c.ident), "a const"),
        Item::Static(s) => unsupported(keyword_and_name(&s.static_token, &s.ident), "a static"),
        Item::Mod(m) => unsupported(keyword_and_name(&m.mod_token, &m.ident), "a module"),
        Item::Type(t) => unsupported(keyword_and_name(&t.type_token, &t.ident), "a type alias"),
        Item::Use(u) => unsupported(quote!(#u), "a `use` declaration"),
        Item::ExternCrate(e) => unsupported(keyword_and_name(&e.crate_token, &e.ident), "an `extern crate`"),
        Item::ForeignMod(f) => unsupported(quote!(#f), "an `extern` block"),
        Item::Macro(m) => unsupported(quote!(#m), "a macro invocation or definition"),
        other => unsupported(quote!(#other), "this item"),
    }
}

fn keyword_and_name(keyword: &dyn quote::ToTokens, name: &syn::Ident) -> TokenStream {
    quote!(#keyword #name)
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
