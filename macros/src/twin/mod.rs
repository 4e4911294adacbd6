//! The shared layer every expander writes its twins with: a function's head is lowered to a
//! [`Lowered`] (by [`lower`] from syn's parse, or by [`scan`] straight from the tokens), and
//! [`write`](mod@write) turns a lowered head and the options into the blocking twin.
//!
//! Depends only on `args` and `messages`; the expanders in `crate::expand` depend on it.

pub(crate) mod bridge;
pub(crate) mod lower;
pub(crate) mod scan;
pub(crate) mod write;

use proc_macro2::{Ident, TokenStream};

/// Where the twin goes.
pub(crate) struct Owner {
    /// Inside an `impl` block the attribute can see: the twin calls `Self::name`.
    pub in_impl: bool,
    /// The `impl` block's type name, for the call's name (`Type::method`).
    pub type_name: Option<String>,
}

/// A function's head, lowered to what its twin is written from: by `lower` from syn nodes, or
/// straight from the tokens by `scan` (the fast path for a free `async fn`).
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
    /// (each with the parameter's `#[cfg]`s).
    pub args: Vec<TokenStream>,
    /// The return type as written, if any.
    pub output: Option<TokenStream>,
    /// Whether the return type looks like a `Result` (`result_type`).
    pub returns_result: bool,
    /// Whether the signature mentions `Self` (only read for a function without a receiver).
    pub mentions_self: bool,
    /// `false` for a sync `fn` (accepted only when it returns a stream, reader or writer: see
    /// `bridge`).
    pub is_async: bool,
}
