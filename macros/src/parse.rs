//! What the attribute was put on: an `async fn`, an inherent `impl` block, or something it does
//! not support (with a message saying where it goes instead).

use crate::expand::Lowered;
use crate::messages;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Item, ItemImpl, Signature, Visibility};

/// An item the attribute can expand.
pub enum Annotated {
    /// A free `async fn` with a plain signature, read by the scanner (`crate::scan`).
    Scanned(Box<Lowered>),
    /// An `async fn` (free, or a method whose `impl` block carries no `#[sync_facade]`).
    Fn(FnShell),
    /// An inherent `impl` block.
    Impl(ItemImpl),
    /// A trait: it gets a blocking companion trait.
    Trait(syn::ItemTrait),
}

/// A function whose body is kept as unparsed tokens: a twin only needs the signature, and not
/// parsing the body keeps the attribute cheap.
pub struct FnShell {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
}

impl Parse for FnShell {
    // Parses everything before the body: the caller has taken the body off.
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        Ok(FnShell { attrs, vis, sig })
    }
}

// Input:  `#[doc = ".."] pub async fn load(path: &str) -> R { body }`
// Output: `Annotated::Scanned` if the scanner reads everything before the body, else
//         `Annotated::Fn` if syn parses it as an `async fn` head; `None` for anything else
// The body never reaches syn: syn copies every token of its input (at every depth) into a
// buffer before parsing, and a function's body is usually most of its tokens.
fn async_fn(item: &TokenStream) -> Option<Annotated> {
    let mut head: Vec<TokenTree> = item.clone().into_iter().collect();
    match head.pop() {
        Some(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace => {}
        _ => return None,
    }
    if let Some(lowered) = crate::scan::scan(&head) {
        return Some(Annotated::Scanned(Box::new(lowered)));
    }
    let f = syn::parse2::<FnShell>(head.into_iter().collect()).ok()?;
    f.sig.asyncness.is_some().then_some(Annotated::Fn(f))
}

// Input:  the tokens of the annotated item
// Output: `Annotated::Fn` for an `async fn`, `Annotated::Impl` for an inherent `impl`, or an error
//         spanning the part of the item that makes it unsupported
pub fn classify(item: TokenStream) -> syn::Result<Annotated> {
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
            if f.sig.asyncness.is_none() {
                let (fn_token, ident) = (&f.sig.fn_token, &f.sig.ident);
                return Err(syn::Error::new_spanned(quote!(#fn_token #ident), messages::not_async(ident)));
            }
            Ok(Annotated::Fn(FnShell { attrs: f.attrs, vis: f.vis, sig: f.sig }))
        }
        Item::Impl(i) => {
            if let Some((_, path, for_token)) = &i.trait_ {
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
