//! Twins of functions that return a stream, a reader or a writer: recognising those return types
//! (`impl Stream<..>`, `BoxStream<..>`, `Pin<Box<dyn Stream<..> + ..>>`, `impl AsyncRead`,
//! `impl AsyncBufRead`, `impl AsyncWrite`, boxed readers and writers, and each of them as the
//! `Ok` type of a `Result`), and writing the twin's return type and the `__private` conversion
//! for them. The conversion itself is runtime code (`IntoBlocking` in `src/private.rs`); the twin
//! only names a marker.
//!
//! Depends on nothing of the crate (only on syn and quote).

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::{GenericArgument, PathArguments, Type, TypeParamBound};

/// What the blocking side of a bridged value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A stream: a blocking iterator.
    Stream,
    /// An `AsyncRead`: `std::io::Read` + `BufRead`.
    Read,
    /// An `AsyncWrite`: `std::io::Write`.
    Write,
}

/// A return type whose twin hands out a blocking side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Bridged {
    pub kind: Kind,
    /// The value is the `Ok` type of a `Result` (`io::Result<impl AsyncRead>`).
    pub in_result: bool,
}

/// The trait names that make a return type bridged, anywhere in its tokens (a cheap check
/// before anything is parsed).
const NAMES: &[&str] = &["Stream", "BoxStream", "LocalBoxStream", "AsyncRead", "AsyncBufRead", "AsyncWrite"];

fn mentions_a_name(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|t| match t {
        TokenTree::Ident(i) => NAMES.iter().any(|n| i == n),
        TokenTree::Group(g) => mentions_a_name(g.stream()),
        _ => false,
    })
}

// Input:  the return type as written, if any: `impl Stream<Item = Row> + Send`,
//         `io::Result<impl AsyncRead + Send + Unpin>`, `Vec<u8>`
// Output: `Some(Bridged { Stream, in_result: false })`, `Some(Bridged { Read, in_result: true })`, `None`
pub(crate) fn recognize(output: Option<&TokenStream>) -> Option<Bridged> {
    let output = output?;
    if !mentions_a_name(output.clone()) {
        return None;
    }
    let ty: Type = syn::parse2(output.clone()).ok()?;
    if let Some(kind) = direct(&ty) {
        return Some(Bridged { kind, in_result: false });
    }
    ok_type(&ty).and_then(direct).map(|kind| Bridged { kind, in_result: true })
}

/// The `Ok` type of `Result<T, E>` or of an alias ending in `Result` (`io::Result<T>`).
fn ok_type(ty: &Type) -> Option<&Type> {
    first_type_arg(ty, |name| name.ends_with("Result"))
}

fn first_type_arg(ty: &Type, name_ok: impl Fn(&str) -> bool) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if path.qself.is_some() || !name_ok(&last.ident.to_string()) {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

fn direct(ty: &Type) -> Option<Kind> {
    match ty {
        Type::ImplTrait(i) => bounds(i.bounds.iter()),
        Type::Paren(p) => direct(&p.elem),
        Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            match last.ident.to_string().as_str() {
                "BoxStream" | "LocalBoxStream" => Some(Kind::Stream),
                // `Pin<Box<dyn Stream<..> + Send>>`, `Box<dyn AsyncRead + Send + Unpin>`.
                "Pin" => direct(first_type_arg(ty, |n| n == "Pin")?),
                "Box" => match first_type_arg(ty, |n| n == "Box")? {
                    Type::TraitObject(o) => bounds(o.bounds.iter()),
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// The kind a bound list names; `None` for none, or for more than one (`AsyncRead + AsyncWrite`
/// has no single blocking side: such a twin returns the value as it is).
fn bounds<'a>(bounds: impl Iterator<Item = &'a TypeParamBound>) -> Option<Kind> {
    let mut found = None;
    for bound in bounds {
        let TypeParamBound::Trait(t) = bound else { continue };
        let Some(last) = t.path.segments.last() else { continue };
        let kind = match last.ident.to_string().as_str() {
            "Stream" => Kind::Stream,
            "AsyncRead" | "AsyncBufRead" => Kind::Read,
            "AsyncWrite" => Kind::Write,
            _ => continue,
        };
        match found {
            Some(k) if k != kind => return None,
            _ => found = Some(kind),
        }
    }
    found
}

/// Whether a function gets a blocking twin: an `async fn`, or a sync `fn` that returns a
/// stream, reader or writer.
pub(crate) fn gets_twin(sig: &syn::Signature) -> bool {
    sig.asyncness.is_some() || returns_bridged(sig)
}

/// Whether a sync `fn` returns a stream, reader or writer: then it gets a twin too (one that
/// wraps the value the function returns).
pub(crate) fn returns_bridged(sig: &syn::Signature) -> bool {
    match &sig.output {
        syn::ReturnType::Type(_, ty) => recognize(Some(&ty.to_token_stream())).is_some(),
        syn::ReturnType::Default => false,
    }
}

impl Bridged {
    /// `::sync_facade::BlockingStream` (or `LocalBlockingStream`, ...).
    fn blocking(&self, local: bool) -> TokenStream {
        match (self.kind, local) {
            (Kind::Stream, false) => quote!(::sync_facade::BlockingStream),
            (Kind::Stream, true) => quote!(::sync_facade::LocalBlockingStream),
            (Kind::Read, false) => quote!(::sync_facade::BlockingRead),
            (Kind::Read, true) => quote!(::sync_facade::LocalBlockingRead),
            (Kind::Write, false) => quote!(::sync_facade::BlockingWrite),
            (Kind::Write, true) => quote!(::sync_facade::LocalBlockingWrite),
        }
    }

    // Input:  the return type `impl Stream<Item = Row> + Send` (or `io::Result<impl AsyncRead>`)
    // Output: `::sync_facade::BlockingStream<impl Stream<Item = Row> + Send>`
    //         (`io::Result<::sync_facade::BlockingRead<impl AsyncRead>>`)
    pub(crate) fn blocking_type(&self, output: &TokenStream, local: bool) -> TokenStream {
        let blocking = self.blocking(local);
        if !self.in_result {
            return quote!(#blocking<#output>);
        }
        let Ok(mut ty) = syn::parse2::<Type>(output.clone()) else { return output.clone() };
        if let Type::Path(path) = &mut ty {
            if let Some(PathArguments::AngleBracketed(args)) = path.path.segments.last_mut().map(|s| &mut s.arguments) {
                if let Some(GenericArgument::Type(ok)) =
                    args.args.iter_mut().find(|a| matches!(a, GenericArgument::Type(_)))
                {
                    let wrapped = quote!(#blocking<#ok>);
                    if let Ok(wrapped) = syn::parse2::<Type>(wrapped) {
                        *ok = wrapped;
                    }
                }
            }
        }
        ty.into_token_stream()
    }

    /// The `__private` function that wraps a value a sync `fn` returned (`wrap_stream`, ...),
    /// located at `span` (an unmet bound is reported there).
    pub(crate) fn wrap_fn(&self, local: bool, span: Span) -> TokenStream {
        let name = match (self.kind, local) {
            (Kind::Stream, false) => "wrap_stream",
            (Kind::Stream, true) => "wrap_local_stream",
            (Kind::Read, false) => "wrap_read",
            (Kind::Read, true) => "wrap_local_read",
            (Kind::Write, false) => "wrap_write",
            (Kind::Write, true) => "wrap_local_write",
        };
        let name = Ident::new(name, span);
        quote_spanned!(span=> ::sync_facade::__private::#name)
    }

    // Input:  the options `local` and `flatten` (a `flatten` twin unwraps the `Result` itself)
    // Output: `::sync_facade::__private::AsStream`, or `::sync_facade::__private::InOk<..>`
    pub(crate) fn marker(&self, local: bool, flatten: bool) -> TokenStream {
        let base = match (self.kind, local) {
            (Kind::Stream, false) => quote!(::sync_facade::__private::AsStream),
            (Kind::Stream, true) => quote!(::sync_facade::__private::AsLocalStream),
            (Kind::Read, false) => quote!(::sync_facade::__private::AsRead),
            (Kind::Read, true) => quote!(::sync_facade::__private::AsLocalRead),
            (Kind::Write, false) => quote!(::sync_facade::__private::AsWrite),
            (Kind::Write, true) => quote!(::sync_facade::__private::AsLocalWrite),
        };
        if self.in_result && !flatten {
            quote!(::sync_facade::__private::InOk<#base>)
        } else {
            base
        }
    }

    /// A line for the twin's docs.
    pub(crate) fn doc(&self) -> &'static str {
        match self.kind {
            Kind::Stream => {
                " Returns a blocking iterator over the stream: every `next()` is one blocking call with these options (the timeout applies to each item)."
            }
            Kind::Read => {
                " Returns a blocking `std::io::Read` + `BufRead` over the reader: every read that reaches it is one blocking call with these options."
            }
            Kind::Write => {
                " Returns a blocking `std::io::Write` over the writer: every write and flush is one blocking call with these options; dropping it does not flush."
            }
        }
    }
}
