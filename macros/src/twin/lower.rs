//! Lowers a function's head, as syn parsed it, to a [`Lowered`]; and the small readings of a
//! signature every expander shares (parameters, `Result` return types, turbofish, `Self`).

use super::Lowered;
use crate::args::push_error;
use crate::messages;
use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, ToTokens};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, FnArg, Pat, ReturnType, Signature, Type, Visibility};

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
        unsafety: is_unsafe(sig).then(|| sig.safety.to_token_stream()),
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
        is_async: sig.asyncness.is_some(),
    })
}

/// Whether the function is `unsafe`.
pub(crate) fn is_unsafe(sig: &Signature) -> bool {
    matches!(sig.safety, syn::Safety::Unsafe(_))
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
    /// The names the typed parameters are bound to, in order, each with the parameter's
    /// `#[cfg]` attributes (`#[cfg(unix)] path`).
    pub args: Vec<TokenStream>,
}

// Input:  the inputs of `fn f(&mut self, (a, b): (u8, u8), mut n: u32, _: T)`, and how to write
//         each parameter's type
// Output: params `&mut self, __arg1: (u8, u8), n: u32, __arg3: T`; args `__arg1, n, __arg3`
//         (`mut n` keeps its name: the generated function does not mutate it). A parameter's
//         `#[cfg]`, `#[cfg_attr]` and lint attributes stay on it, and its `#[cfg]`s go on the
//         argument too (`f(#[cfg(unix)] path)`), so a parameter configured away is neither
//         taken nor passed on.
pub(crate) fn lower_inputs(sig: &Signature, write_ty: impl Fn(&Type) -> TokenStream) -> Inputs {
    let mut inputs = Inputs { params: Vec::new(), receiver: None, args: Vec::new() };
    for (i, input) in sig.inputs.iter().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                inputs.receiver = Some(receiver.clone());
                let mut receiver = receiver.clone();
                receiver.attrs.clear();
                if !matches!(receiver.kind, syn::ReceiverKind::Reference(..)) {
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
                let kept = typed.attrs.iter().filter(|a| is_kept_on_param(a));
                let cfgs = typed.attrs.iter().filter(|a| a.path().is_ident("cfg"));
                inputs.params.push(quote!(#(#kept)* #name: #ty));
                inputs.args.push(quote!(#(#cfgs)* #name));
            }
        }
    }
    inputs
}

/// Attributes a twin's parameter keeps from the original's (the ones Rust allows on a parameter).
fn is_kept_on_param(attr: &Attribute) -> bool {
    ["cfg", "cfg_attr", "allow", "warn", "deny", "forbid", "expect"].iter().any(|name| attr.path().is_ident(name))
}

/// Whether `ty` is `Self`.
pub(crate) fn is_self(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident("Self"))
}

/// Whether the `>` at `tokens[i]` is the tip of a `->`.
pub(crate) fn is_arrow_tip(tokens: &[TokenTree], i: usize) -> bool {
    i > 0
        && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '-' && p.spacing() == proc_macro2::Spacing::Joint)
}

/// Whether `tokens` use `Self` anywhere.
pub(crate) fn mentions_self(tokens: impl IntoIterator<Item = TokenTree>) -> bool {
    tokens.into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == "Self",
        TokenTree::Group(g) => mentions_self(g.stream()),
        _ => false,
    })
}

/// Whether `tokens` use `Self` as a type of its own: not only as the start of a path
/// (`Self::Assoc`, `[u8; Self::N]`) or of a qualified path (`<Self as Trait>::Assoc`).
pub(crate) fn mentions_bare_self(tokens: TokenStream) -> bool {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    tokens.iter().enumerate().any(|(i, t)| match t {
        TokenTree::Ident(id) if id == "Self" => {
            !matches!(
                tokens.get(i + 1),
                Some(TokenTree::Punct(p)) if p.as_char() == ':'
            ) && !matches!(tokens.get(i + 1), Some(TokenTree::Ident(a)) if a == "as")
        }
        TokenTree::Group(g) => mentions_bare_self(g.stream()),
        _ => false,
    })
}

// Input:  the generics of `fn load<'a, T: X, const N: usize>`
// Output: `::<T, N>` (lifetimes are left to inference), or nothing without type or const params;
//         nothing either if a parameter carries an attribute (`<#[cfg(unix)] T>`: a generic
//         argument cannot, so the arguments are left to inference)
pub(crate) fn turbofish(generics: &syn::Generics) -> TokenStream {
    let has_attrs = |p: &syn::GenericParam| match p {
        syn::GenericParam::Type(t) => !t.attrs.is_empty(),
        syn::GenericParam::Const(c) => !c.attrs.is_empty(),
        syn::GenericParam::Lifetime(l) => !l.attrs.is_empty(),
    };
    if generics.params.iter().any(has_attrs) {
        return TokenStream::new();
    }
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
