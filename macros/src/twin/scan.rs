//! The fast path for the common case, a free `async fn` with a plain signature: its head is read
//! straight from the tokens into a [`Lowered`], without syn.
//!
//! The attribute runs as an unoptimised debug build in most users' builds, and syn's parse of a
//! signature is a large share of its cost per function (`benches/compile_cost.sh`). Anything this
//! scanner does not recognise with certainty (a receiver, attributes on parameters, a qualified
//! return type, `extern`, `const`, a variadic...) returns `None`, and the item takes the syn path,
//! which handles every signature and reports every error. `tests::scan` checks that both paths
//! write the same twin for a corpus of signatures.

use super::lower::{is_arrow_tip, is_kept_name, mentions_self};
use super::Lowered;
use proc_macro2::{Delimiter, Ident, Spacing, Span, TokenStream, TokenTree};
use quote::{format_ident, quote};

// Input:  the tokens of `#[doc = ".."] pub async fn load<'a, T: X>(path: &'a str, (a, b): (u8, u8)) -> R where T: Y`
//         (everything before the body)
// Output: the lowered head, or `None` to leave the item to syn
pub(crate) fn scan(head: &[TokenTree]) -> Option<Lowered> {
    let mut rest = head;
    let mut docs = Vec::new();
    let mut kept = Vec::new();
    // Outer attributes: `#` then a bracketed group.
    while let [TokenTree::Punct(hash), TokenTree::Group(group), tail @ ..] = rest {
        if hash.as_char() != '#' || group.delimiter() != Delimiter::Bracket {
            return None;
        }
        // The attribute's name, if it is a single identifier (a path such as `tracing::instrument`
        // names neither `doc` nor a kept attribute).
        let mut inner = group.stream().into_iter();
        let name = match (inner.next(), inner.next()) {
            (Some(TokenTree::Ident(name)), None | Some(TokenTree::Group(_))) => name.to_string(),
            (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(p))) if p.as_char() == '=' => name.to_string(),
            (Some(TokenTree::Ident(_)), Some(TokenTree::Punct(p))) if p.as_char() == ':' => String::new(),
            _ => return None,
        };
        let attr = TokenStream::from_iter([rest[0].clone(), rest[1].clone()]);
        if name == "doc" {
            docs.push(attr);
        } else if is_kept_name(&name) {
            kept.push(attr);
        }
        rest = tail;
    }

    let signature = rest;

    // Visibility: nothing, `pub` or `pub(..)`.
    let mut vis = TokenStream::new();
    if let [TokenTree::Ident(word), tail @ ..] = rest {
        if word == "pub" {
            vis.extend([rest[0].clone()]);
            rest = tail;
            if let [TokenTree::Group(g), tail @ ..] = rest {
                if g.delimiter() == Delimiter::Parenthesis {
                    vis.extend([rest[0].clone()]);
                    rest = tail;
                }
            }
        }
    }

    // `async`, maybe `unsafe`, `fn`, the name.
    rest = keyword(rest, "async")?;
    let mut unsafety = None;
    if let Some(tail) = keyword(rest, "unsafe") {
        unsafety = Some(TokenStream::from_iter([rest[0].clone()]));
        rest = tail;
    }
    rest = keyword(rest, "fn")?;
    let ident = match rest {
        [TokenTree::Ident(ident), tail @ ..] => {
            rest = tail;
            ident.clone()
        }
        _ => return None,
    };

    // Generics: `<` .. the matching `>`.
    let mut generics = TokenStream::new();
    let mut turbofish_args: Vec<Ident> = Vec::new();
    if punct_is(rest.first(), '<') {
        let end = matching_angle(rest)?;
        generics.extend(rest[..=end].iter().cloned());
        for param in split_commas(&rest[1..end]) {
            match param {
                [] => {}
                [TokenTree::Punct(p), ..] if p.as_char() == '\'' => {} // a lifetime
                [TokenTree::Ident(c), TokenTree::Ident(name), ..] if c == "const" => turbofish_args.push(name.clone()),
                [TokenTree::Ident(name), ..] if name != "const" => turbofish_args.push(name.clone()),
                _ => return None,
            }
        }
        rest = &rest[end + 1..];
    }
    let turbofish = if turbofish_args.is_empty() { TokenStream::new() } else { quote!(::<#(#turbofish_args),*>) };

    // Parameters.
    let params_at = signature.len() - rest.len();
    let inputs = match rest {
        [TokenTree::Group(g), tail @ ..] if g.delimiter() == Delimiter::Parenthesis => {
            rest = tail;
            g.stream().into_iter().collect::<Vec<_>>()
        }
        _ => return None,
    };
    let mut params = Vec::new();
    let mut args = Vec::new();
    for (i, param) in split_commas(&inputs).into_iter().enumerate() {
        if param.is_empty() {
            continue; // a trailing comma
        }
        let colon = (0..param.len()).find(|&i| is_type_colon(param, i))?;
        let (pattern, ty) = (&param[..colon], &param[colon + 1..]);
        if pattern.is_empty() || ty.is_empty() {
            return None;
        }
        // `self` (a receiver), `ref` bindings and attributes go to syn.
        if pattern.iter().any(|t| match t {
            TokenTree::Ident(i) => i == "self" || i == "Self" || i == "ref",
            TokenTree::Punct(p) => p.as_char() == '#',
            TokenTree::Group(_) | TokenTree::Literal(_) => false,
        }) {
            return None;
        }
        // A plain name (`x`, `mut x`) is kept, as syn's path keeps it; any other pattern (`_`, a
        // tuple...) is bound to a hygienic name.
        let name = match pattern {
            [TokenTree::Ident(name)] | [TokenTree::Ident(_), TokenTree::Ident(name)]
                if (pattern.len() == 1 || matches!(&pattern[0], TokenTree::Ident(m) if m == "mut"))
                    && *name != "_"
                    && *name != "mut"
                    && *name != ident =>
            {
                name.clone()
            }
            _ => format_ident!("__arg{}", i, span = Span::mixed_site()),
        };
        let ty = TokenStream::from_iter(ty.iter().cloned());
        params.push(quote!(#name: #ty));
        args.push(quote!(#name));
    }

    // Return type, then the where clause.
    let mut output = None;
    let mut returns_result = false;
    if let [TokenTree::Punct(minus), TokenTree::Punct(gt), tail @ ..] = rest {
        if minus.as_char() == '-' && minus.spacing() == Spacing::Joint && gt.as_char() == '>' {
            let end = tail.iter().position(|t| matches!(t, TokenTree::Ident(w) if w == "where")).unwrap_or(tail.len());
            let ty = &tail[..end];
            if ty.is_empty() {
                return None;
            }
            returns_result = path_ends_in_result(ty)?;
            output = Some(TokenStream::from_iter(ty.iter().cloned()));
            rest = &tail[end..];
        }
    }
    let where_clause = match rest {
        [] => TokenStream::new(),
        [TokenTree::Ident(w), ..] if w == "where" => TokenStream::from_iter(rest.iter().cloned()),
        _ => return None,
    };

    // `Self` anywhere in the signature: the parameters were read above, so only they and the
    // other tokens are looked through, without building a stream of the whole signature.
    let mentions_self = mentions_self(inputs.iter().cloned())
        || mentions_self(signature[..params_at].iter().cloned())
        || mentions_self(signature[params_at + 1..].iter().cloned());
    Some(Lowered {
        docs,
        kept,
        vis,
        unsafety,
        ident,
        generics,
        turbofish,
        where_clause,
        params,
        receiver: None,
        args,
        output,
        returns_result,
        mentions_self,
        is_async: true,
    })
}

fn keyword<'a>(tokens: &'a [TokenTree], word: &str) -> Option<&'a [TokenTree]> {
    match tokens {
        [TokenTree::Ident(i), tail @ ..] if i == word => Some(tail),
        _ => None,
    }
}

fn punct_is(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

/// The index of the `>` that closes the `<` at `tokens[0]` (`->` inside does not close it).
fn matching_angle(tokens: &[TokenTree]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        if let TokenTree::Punct(p) = token {
            match p.as_char() {
                '<' => depth += 1,
                '>' if !is_arrow_tip(tokens, i) => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
    }
    None
}

/// Splits at the commas outside angle brackets (groups are single tokens already).
fn split_commas(tokens: &[TokenTree]) -> Vec<&[TokenTree]> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, token) in tokens.iter().enumerate() {
        if let TokenTree::Punct(p) = token {
            match p.as_char() {
                '<' => depth += 1,
                '>' if !is_arrow_tip(tokens, i) => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    parts.push(&tokens[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
    }
    parts.push(&tokens[start..]);
    parts
}

/// Whether `tokens[i]` is a `:` that separates a parameter's pattern from its type: not either
/// half of a `::`.
fn is_type_colon(tokens: &[TokenTree], i: usize) -> bool {
    let colon = |t: &TokenTree| matches!(t, TokenTree::Punct(p) if p.as_char() == ':');
    let joint_colon =
        |t: &TokenTree| matches!(t, TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint);
    colon(&tokens[i]) && !joint_colon(&tokens[i]) && !(i > 0 && joint_colon(&tokens[i - 1]))
}

// Input:  the tokens of a return type
// Output: whether it is a path whose last segment's name ends in `Result` (`io::Result<T>`,
//         `Result<T, E>`); `None` for a shape left to syn
fn path_ends_in_result(ty: &[TokenTree]) -> Option<bool> {
    match ty.first()? {
        TokenTree::Ident(first)
            if !matches!(first.to_string().as_str(), "impl" | "dyn" | "fn" | "unsafe" | "extern" | "for") => {}
        TokenTree::Ident(_) => return Some(false),
        TokenTree::Punct(p) if p.as_char() == ':' => {}
        TokenTree::Punct(p) if p.as_char() == '<' => return None, // a qualified path
        _ => return Some(false),                                  // a reference, tuple, array, pointer, `!`...
    }
    // The last identifier outside angle brackets is the last segment's name.
    let mut depth = 0usize;
    let mut last = None;
    for (i, token) in ty.iter().enumerate() {
        match token {
            TokenTree::Punct(p) if p.as_char() == '<' => depth += 1,
            TokenTree::Punct(p) if p.as_char() == '>' && !is_arrow_tip(ty, i) => depth = depth.saturating_sub(1),
            TokenTree::Punct(p) if depth == 0 && matches!(p.as_char(), '+' | '!') => return None, // syn decides
            TokenTree::Ident(i) if depth == 0 => last = Some(i),
            _ => {}
        }
    }
    Some(last?.to_string().ends_with("Result"))
}
