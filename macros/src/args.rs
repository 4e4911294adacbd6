//! The attribute's options: parsed one by one into a [`Builder`] (`set_*`), merged (a method's
//! options over its `impl` block's), then checked together by [`Builder::build`] into a [`Config`].
//!
//! Parsing never stops at the first mistake: every option is read, and all errors are combined.
//! Options come from the attribute itself ([`parse`]) and from `#[sync_facade(..)]` attributes on
//! the methods of an annotated `impl` block or trait ([`take_inner_attrs`]).

use crate::messages;
use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use std::time::Duration;
use syn::{Attribute, Lit};

/// Where an attribute stands, which decides the options it accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// On an `async fn` (free, or a method without an annotated `impl` around it).
    Fn,
    /// On an `async fn` inside an `impl` block that carries `#[sync_facade]`.
    Method,
    /// On an `impl` block.
    Impl,
    /// On a trait: a blocking companion trait (`name = ...` names the companion).
    Trait,
}

/// A forced strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrategyKind {
    Direct,
    InPlace,
    Hosted,
}

impl StrategyKind {
    /// The variant's name in `sync_facade::Strategy`.
    pub fn variant(self) -> &'static str {
        match self {
            StrategyKind::Direct => "Direct",
            StrategyKind::InPlace => "InPlace",
            StrategyKind::Hosted => "Hosted",
        }
    }
}

/// The checked options of one blocking twin.
#[derive(Clone, Default)]
pub struct Config {
    pub timeout: Option<Duration>,
    pub name: Option<Ident>,
    pub flatten: Option<Flatten>,
    pub local: bool,
    pub strategy: Option<StrategyKind>,
    pub skip: bool,
    /// `client = [vis] Name` on an `impl` block: generate a blocking client type.
    pub client: Option<ClientName>,
}

/// `flatten` or `flatten = convert`, where it was written.
#[derive(Clone)]
pub struct Flatten {
    pub span: Span,
    /// `flatten = convert`: the conversion of the call's error, an expression of a type
    /// `FnOnce(sync_facade::Error) -> E` (without it, `E: From<sync_facade::Error>`).
    pub with: Option<TokenStream>,
}

/// The blocking client's name as written in `client = [vis] Name`.
#[derive(Clone)]
pub struct ClientName {
    /// The visibility written before the name, if any (default: the widest of the methods').
    pub vis: Option<syn::Visibility>,
    pub ident: Ident,
}

/// Options as written, before their combinations are checked. Each field keeps the span of the
/// option that set it.
#[derive(Clone, Default)]
pub struct Builder {
    timeout: Option<(Span, Duration)>,
    name: Option<(Span, Ident)>,
    flatten: Option<Flatten>,
    local: Option<Span>,
    strategy: Option<(Span, StrategyKind)>,
    skip: Option<Span>,
    client: Option<(Span, ClientName)>,
}

/// Adds `error` to `errors`.
pub fn push_error(errors: &mut Option<syn::Error>, error: syn::Error) {
    match errors {
        Some(e) => e.combine(error),
        None => *errors = Some(error),
    }
}

/// Whether `attr` is `#[sync_facade(..)]` (or `#[path::to::sync_facade(..)]`).
pub fn is_sync_facade_attr(attr: &Attribute) -> bool {
    attr.path().segments.last().is_some_and(|s| s.ident == "sync_facade")
}

// Input:  a method's attributes, e.g. `#[doc = ".."] #[sync_facade(timeout = 5)]`
// Output: the attributes without `#[sync_facade(..)]`, the options those carried, and the span of
//         the first one (if any)
pub fn take_inner_attrs(attrs: &mut Vec<Attribute>, errors: &mut Option<syn::Error>) -> (Builder, Option<Span>) {
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
        let (inner, e) = parse(tokens);
        if let Some(e) = e {
            push_error(errors, e);
        }
        builder = inner.merged_over(&builder);
    }
    *attrs = kept;
    (builder, first)
}

// Input:  the tokens inside `#[sync_facade(...)]`, e.g. `timeout = "250ms", flatten`
// Output: a builder holding every option that could be read, and the combined errors of the rest
pub fn parse(attr: TokenStream) -> (Builder, Option<syn::Error>) {
    let mut builder = Builder::default();
    let mut errors = None;
    let tokens: Vec<TokenTree> = attr.into_iter().collect();
    let is_comma = |t: &TokenTree| matches!(t, TokenTree::Punct(p) if p.as_char() == ',');
    let mut start = 0;
    for (end, comma) in tokens.iter().enumerate().filter(|(_, t)| is_comma(t)) {
        // An empty option between commas (`a,, b`, `, a`): reported on the comma that ends it,
        // with its own message (an error spanning the whole attribute would repeat another's).
        if start == end {
            push_error(&mut errors, syn::Error::new(comma.span(), messages::extra_comma()));
        } else if let Err(e) = builder.set_segment(&tokens[start..end]) {
            push_error(&mut errors, e);
        }
        start = end + 1;
    }
    // The last option (none after a trailing comma, or with no options at all).
    if start < tokens.len() {
        if let Err(e) = builder.set_segment(&tokens[start..]) {
            push_error(&mut errors, e);
        }
    }
    (builder, errors)
}

/// `tokens` without the invisible groups that `macro_rules!` wraps around `$x:expr` fragments.
fn unwrap_invisible(tokens: &[TokenTree]) -> Vec<TokenTree> {
    if let [TokenTree::Group(g)] = tokens {
        if g.delimiter() == Delimiter::None {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            return unwrap_invisible(&inner);
        }
    }
    tokens.to_vec()
}

fn spanned_error(tokens: &[TokenTree], msg: impl std::fmt::Display) -> syn::Error {
    let stream: TokenStream = tokens.iter().cloned().collect();
    if stream.is_empty() {
        syn::Error::new(Span::call_site(), msg)
    } else {
        syn::Error::new_spanned(stream, msg)
    }
}

impl Builder {
    // Input:  one comma-separated option (not empty), e.g. `timeout = 30` or `local`
    // Output: the option stored in the builder, or an error spanning the offending tokens
    fn set_segment(&mut self, segment: &[TokenTree]) -> syn::Result<()> {
        let (key, rest) = match segment {
            [TokenTree::Ident(key), rest @ ..] => (key, rest),
            _ => return Err(spanned_error(segment, messages::expected_option())),
        };
        let value = match rest {
            [] => None,
            [TokenTree::Punct(eq), value @ ..] if eq.as_char() == '=' => {
                if value.is_empty() {
                    return Err(syn::Error::new(eq.span(), messages::option_needs_value(&key.to_string(), "...")));
                }
                if let Some(next) = value.iter().skip(1).find(|t| matches!(t, TokenTree::Ident(i) if is_known(i))) {
                    return Err(syn::Error::new(next.span(), messages::expected_comma_before(&next.to_string())));
                }
                Some(unwrap_invisible(value))
            }
            [other, ..] => {
                let msg = if is_known(key) {
                    messages::expected_comma().to_string()
                } else {
                    messages::unknown_option(&key.to_string())
                };
                let span = if is_known(key) { other.span() } else { key.span() };
                return Err(syn::Error::new(span, msg));
            }
        };
        self.set(key, value.as_deref())
    }

    /// Stores one option: `key` alone (`value` is `None`) or `key = value`.
    pub fn set(&mut self, key: &Ident, value: Option<&[TokenTree]>) -> syn::Result<()> {
        let span = key.span();
        match key.to_string().as_str() {
            "timeout" => self.set_timeout(key, value),
            "name" => self.set_name(key, value),
            "strategy" => self.set_strategy(key, value),
            "client" => self.set_client(key, value),
            "flatten" => {
                // A literal (`flatten = true`) cannot be a conversion.
                if let Some(value @ [t]) = value {
                    if matches!(t, TokenTree::Literal(_))
                        || matches!(t, TokenTree::Ident(i) if i == "true" || i == "false")
                    {
                        return Err(spanned_error(value, messages::flatten_value()));
                    }
                }
                set_once(&mut self.flatten, key, Flatten { span, with: value.map(|v| v.iter().cloned().collect()) })
            }
            "local" => {
                flag(key, value)?;
                set_once(&mut self.local, key, span)
            }
            "skip" => {
                flag(key, value)?;
                set_once(&mut self.skip, key, span)
            }
            other => Err(syn::Error::new(span, messages::unknown_option(other))),
        }
    }

    /// `timeout = 30`, `timeout = 0.5` or `timeout = "250ms"`.
    pub fn set_timeout(&mut self, key: &Ident, value: Option<&[TokenTree]>) -> syn::Result<()> {
        let value = value.ok_or_else(|| syn::Error::new(key.span(), messages::option_needs_value("timeout", "30")))?;
        let timeout = parse_timeout(value)?;
        set_once(&mut self.timeout, key, (key.span(), timeout))
    }

    /// `name = blocking_load`.
    pub fn set_name(&mut self, key: &Ident, value: Option<&[TokenTree]>) -> syn::Result<()> {
        let value =
            value.ok_or_else(|| syn::Error::new(key.span(), messages::option_needs_value("name", "load_blocking")))?;
        let name = match value {
            [TokenTree::Ident(ident)] => syn::parse2::<Ident>(TokenTree::Ident(ident.clone()).into()).ok(),
            _ => None,
        };
        let name = name.ok_or_else(|| spanned_error(value, messages::name_not_ident()))?;
        set_once(&mut self.name, key, (key.span(), name))
    }

    /// `strategy = direct | in_place | hosted`.
    pub fn set_strategy(&mut self, key: &Ident, value: Option<&[TokenTree]>) -> syn::Result<()> {
        let value =
            value.ok_or_else(|| syn::Error::new(key.span(), messages::option_needs_value("strategy", "hosted")))?;
        let strategy = match value {
            [TokenTree::Ident(ident)] => match ident.to_string().as_str() {
                "direct" => StrategyKind::Direct,
                "in_place" => StrategyKind::InPlace,
                "hosted" => StrategyKind::Hosted,
                other => return Err(syn::Error::new(ident.span(), messages::unknown_strategy(other))),
            },
            _ => return Err(spanned_error(value, messages::unknown_strategy(&stringify(value)))),
        };
        set_once(&mut self.strategy, key, (key.span(), strategy))
    }

    /// `client = BlockingStore` or `client = pub(crate) BlockingStore`.
    pub fn set_client(&mut self, key: &Ident, value: Option<&[TokenTree]>) -> syn::Result<()> {
        let value = value
            .ok_or_else(|| syn::Error::new(key.span(), messages::option_needs_value("client", "BlockingStore")))?;
        let stream: TokenStream = value.iter().cloned().collect();
        let parsed = syn::parse::Parser::parse2(
            |input: syn::parse::ParseStream| {
                let vis: syn::Visibility = input.parse()?;
                let ident: Ident = input.parse()?;
                Ok((vis, ident))
            },
            stream,
        );
        let (vis, ident) = parsed.map_err(|_| spanned_error(value, messages::client_not_ident()))?;
        let vis = (!matches!(vis, syn::Visibility::Inherited)).then_some(vis);
        set_once(&mut self.client, key, (key.span(), ClientName { vis, ident }))
    }

    /// These options, with every option this builder leaves unset taken from `outer` (the options
    /// of the `impl` block around a method).
    pub fn merged_over(self, outer: &Builder) -> Builder {
        Builder {
            timeout: self.timeout.or(outer.timeout),
            name: self.name.or_else(|| outer.name.clone()),
            flatten: self.flatten.or_else(|| outer.flatten.clone()),
            local: self.local.or(outer.local),
            strategy: self.strategy.or(outer.strategy),
            skip: self.skip.or(outer.skip),
            client: self.client.or_else(|| outer.client.clone()),
        }
    }

    /// These options without the ones that only apply to one method (`name`, `skip`): what an
    /// `impl` block passes on to its methods.
    pub fn for_methods(mut self) -> Builder {
        self.name = None;
        self.skip = None;
        self.client = None;
        self
    }

    /// The client type asked for with `client = ...`, if any.
    pub fn client(&self) -> Option<ClientName> {
        self.client.as_ref().map(|(_, c)| c.clone())
    }

    /// `true` if `skip` was given.
    pub fn is_skip(&self) -> bool {
        self.skip.is_some()
    }

    /// Whether `flatten` was given, and where.
    pub fn flatten_span(&self) -> Option<Span> {
        self.flatten.as_ref().map(|f| f.span)
    }

    // Input:  options as written, and where the attribute stands
    // Output: the config of the twin (best effort: conflicting options are dropped), and the
    //         combined errors about options that do not go together or do not belong here
    pub fn build(self, scope: Scope) -> (Config, Option<syn::Error>) {
        let mut errors = None;
        let mut config = Config {
            timeout: self.timeout.map(|(_, t)| t),
            name: self.name.as_ref().map(|(_, n)| n.clone()),
            flatten: self.flatten.clone(),
            local: self.local.is_some(),
            strategy: self.strategy.map(|(_, s)| s),
            skip: self.skip.is_some(),
            client: self.client.as_ref().map(|(_, c)| c.clone()),
        };
        if let Some((span, _)) = &self.client {
            if scope != Scope::Impl {
                push_error(&mut errors, syn::Error::new(*span, messages::client_outside_impl(scope == Scope::Trait)));
                config.client = None;
            }
        }
        if let (Some(local), Some((span, StrategyKind::Hosted))) = (self.local, self.strategy) {
            let _ = local;
            push_error(&mut errors, syn::Error::new(span, messages::local_and_hosted()));
            config.strategy = None;
        }
        if let Some((span, _)) = &self.name {
            if scope == Scope::Impl {
                push_error(&mut errors, syn::Error::new(*span, messages::name_on_impl()));
                config.name = None;
            }
        }
        if let Some(span) = self.skip {
            if scope != Scope::Method {
                push_error(&mut errors, syn::Error::new(span, messages::skip_outside_impl()));
            } else if self.timeout.is_some()
                || self.name.is_some()
                || self.flatten.is_some()
                || self.local.is_some()
                || self.strategy.is_some()
            {
                push_error(&mut errors, syn::Error::new(span, messages::skip_with_other_options()));
            }
            if scope == Scope::Fn {
                config.skip = false;
            }
        }
        (config, errors)
    }
}

fn is_known(key: &Ident) -> bool {
    messages::FN_OPTIONS.contains(&key.to_string().as_str())
}

fn stringify(tokens: &[TokenTree]) -> String {
    tokens.iter().cloned().collect::<TokenStream>().to_string()
}

fn flag(key: &Ident, value: Option<&[TokenTree]>) -> syn::Result<()> {
    match value {
        None => Ok(()),
        Some(value) => Err(spanned_error(value, messages::flag_takes_no_value(&key.to_string()))),
    }
}

fn set_once<T>(slot: &mut Option<T>, key: &Ident, value: T) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new(key.span(), messages::duplicate_option(&key.to_string())));
    }
    *slot = Some(value);
    Ok(())
}

// Input:  the tokens after `timeout =`: `30`, `0.5`, `-1`, `"250ms"`, ...
// Output: a positive `Duration`, or an error spanning the value
fn parse_timeout(value: &[TokenTree]) -> syn::Result<Duration> {
    let (negative, lit) = match value {
        [TokenTree::Literal(lit)] => (false, lit),
        [TokenTree::Punct(minus), TokenTree::Literal(lit)] if minus.as_char() == '-' => (true, lit),
        _ => return Err(spanned_error(value, messages::timeout_expected())),
    };
    let err = |msg: &dyn std::fmt::Display| spanned_error(value, msg);
    let lit = Lit::new(lit.clone());
    let duration = match &lit {
        Lit::Int(int) => {
            if negative {
                return Err(err(&messages::timeout_negative()));
            }
            if !int.suffix().is_empty() {
                return Err(err(&messages::timeout_suffix(int.suffix())));
            }
            let secs: u64 = int.base10_parse().map_err(|_| err(&messages::timeout_overflow()))?;
            Duration::from_secs(secs)
        }
        Lit::Float(float) => {
            if negative {
                return Err(err(&messages::timeout_negative()));
            }
            if !float.suffix().is_empty() {
                return Err(err(&messages::timeout_suffix(float.suffix())));
            }
            let secs: f64 = float.base10_parse().map_err(|_| err(&messages::timeout_expected()))?;
            Duration::try_from_secs_f64(secs).map_err(|_| err(&messages::timeout_overflow()))?
        }
        Lit::Str(s) if !negative => parse_duration_str(&s.value()).map_err(|msg| err(&msg))?,
        _ => return Err(err(&messages::timeout_expected())),
    };
    if duration.is_zero() {
        return Err(err(&messages::timeout_zero()));
    }
    Ok(duration)
}

/// Parses `"250ms"`, `"1.5s"`, `"2m"`, `"1h"`, `"500us"` (spaces allowed around the unit).
pub fn parse_duration_str(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err(messages::timeout_negative().to_string());
    }
    let split = trimmed.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let unit = unit.trim();
    if number.is_empty() || number.starts_with('.') || number.ends_with('.') || number.matches('.').count() > 1 {
        return Err(messages::timeout_bad_number(text));
    }
    let nanos_per_unit: u128 = match unit {
        "us" | "µs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        "" => return Err(messages::timeout_no_unit().to_string()),
        other => return Err(messages::timeout_bad_unit(other)),
    };
    let overflow = || messages::timeout_overflow().to_string();
    let nanos: u128 = if number.contains('.') {
        let value: f64 = number.parse().map_err(|_| messages::timeout_bad_number(text))?;
        let nanos = value * nanos_per_unit as f64;
        if !nanos.is_finite() || nanos >= 1.8e28 {
            return Err(overflow());
        }
        nanos.round() as u128
    } else {
        let value: u128 = number.parse().map_err(|_| overflow())?;
        value.checked_mul(nanos_per_unit).ok_or_else(overflow)?
    };
    let secs = u64::try_from(nanos / 1_000_000_000).map_err(|_| overflow())?;
    let subsec = u32::try_from(nanos % 1_000_000_000).map_err(|_| overflow())?;
    let duration = Duration::new(secs, subsec);
    if duration.is_zero() {
        return Err(messages::timeout_zero().to_string());
    }
    Ok(duration)
}
