//! The scanner (`crate::twin::scan`) against syn: for every free `async fn` in the test suite's sources,
//! a twin written from the scanned head must be the twin written from syn's parse of it, token
//! for token; and the scanner must take the common signatures (it may leave any to syn).

use super::{annotated_items, workspace_root};
use crate::args::{self, Scope};
use crate::twin::lower::{lower, FnShell};
use crate::twin::scan::scan;
use crate::twin::write::write_twin;
use crate::twin::Owner;
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

/// Every free `async fn` of a file (in nested modules too), with its attribute arguments.
fn async_fns(source: &str) -> Vec<(TokenStream, TokenStream)> {
    fn walk(items: Vec<syn::Item>, out: &mut Vec<(TokenStream, TokenStream)>) {
        for item in items {
            match item {
                syn::Item::Fn(mut f) if f.sig.asyncness.is_some() => {
                    let args = f.attrs.iter().position(|a| a.path().is_ident("sync_facade")).map(|p| {
                        match f.attrs.remove(p).meta {
                            syn::Meta::List(list) => list.tokens,
                            _ => TokenStream::new(),
                        }
                    });
                    out.push((args.unwrap_or_default(), f.into_token_stream()));
                }
                syn::Item::Mod(m) => walk(m.content.map(|(_, items)| items).unwrap_or_default(), out),
                // Methods annotated one by one reach the attribute alone, like free functions.
                syn::Item::Impl(i) if !i.attrs.iter().any(|a| a.path().is_ident("sync_facade")) => {
                    for item in i.items {
                        if let syn::ImplItem::Fn(mut f) = item {
                            if let Some(p) = f.attrs.iter().position(|a| a.path().is_ident("sync_facade")) {
                                let args = match f.attrs.remove(p).meta {
                                    syn::Meta::List(list) => list.tokens,
                                    _ => TokenStream::new(),
                                };
                                out.push((args, f.into_token_stream()));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let file: syn::File = syn::parse_str(source).expect("test sources are valid Rust");
    let mut out = Vec::new();
    walk(file.items, &mut out);
    out
}

fn squeeze(tokens: TokenStream) -> String {
    tokens.to_string().chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn scanned_twins_are_the_twins_syn_writes() {
    let root = workspace_root();
    let mut sources: Vec<std::path::PathBuf> = [
        "tests/macro_signatures.rs",
        "tests/macro_hygiene.rs",
        "tests/runtime_behaviour.rs",
        "tests/downstream/src/lib.rs",
        "tests/ported_async_trait.rs",
        "tests/macro_flatten.rs",
    ]
    .iter()
    .map(|p| root.join(p))
    .collect();
    for dir in ["tests/expand", "examples/ds_tools", "examples/artifacts", "examples/agent"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("readable folder") {
            let path = entry.expect("readable entry").path();
            if path.extension().is_some_and(|e| e == "rs") {
                sources.push(path);
            }
        }
    }
    let (mut scanned, mut total) = (0, 0);
    for path in sources {
        let source = std::fs::read_to_string(&path).expect("readable source");
        // `annotated_items` also checks the file parses as the compiler would hand it over.
        let _ = annotated_items(&source);
        for (args, item) in async_fns(&source) {
            total += 1;
            let mut head: Vec<TokenTree> = item.into_iter().collect();
            head.pop(); // the body
            let Some(fast) = scan(&head) else { continue };
            scanned += 1;
            let shell: FnShell = syn::parse2(head.iter().cloned().collect()).expect("syn parses what the scanner took");
            let mut errors = None;
            let slow = lower(&shell.attrs, &shell.vis, &shell.sig, &mut errors).expect("a twin can be written");
            let config = args::parse(args.clone()).0.build(Scope::Fn).0;
            let owner = Owner { in_impl: false, type_name: None };
            let (mut fast_errors, mut slow_errors) = (None, None);
            let fast = squeeze(write_twin(fast, &config, &owner, &mut fast_errors));
            let slow = squeeze(write_twin(slow, &config, &owner, &mut slow_errors));
            assert_eq!(fast, slow, "{}: the scanner and syn disagree on `{}`", path.display(), shell.sig.ident);
            assert_eq!(
                fast_errors.map(|e| e.to_string()),
                slow_errors.map(|e| e.to_string()),
                "{}: `{}`",
                path.display(),
                shell.sig.ident
            );
        }
    }
    // The fast path must carry the common case, not just exist.
    assert!(total >= 60, "only {total} async fns found");
    assert!(scanned * 10 >= total * 7, "the scanner took only {scanned} of {total} async fns");
    eprintln!("scanner took {scanned} of {total} async fns");
}

#[test]
fn tricky_heads_scan_like_syn() {
    // Each must take the fast path and give syn's twin.
    let heads = [
        "async fn new(x: u32) -> Self",
        "pub(crate) async unsafe fn g(a: u8) -> u8",
        "async fn f<'a, T: Fn(u8) -> u8, const N: usize>(t: T, arr: [Self; N], a::B(x): a::B, mut y: u8, _: (), r#type: u8) -> ::std::io::Result<Vec<u8>> where T: Send + 'a,",
        "async fn h() -> impl std::future::Future<Output = u8>",
        "async fn k(x: &&str, m: HashMap<String, Vec<(u8, u8)>>,) -> Box<dyn Fn() -> Result<u8, ()>>",
        "/// Docs.\n#[cfg(unix)]\n#[inline]\n#[tracing::instrument]\n#[allow(unused)]\npub async fn d(s: &'static str) -> crate::Result<()>",
        "async fn r#async(r#fn: u8) -> std::fmt::Result",
        "async fn t(f: impl FnOnce(&str) -> bool + Send) -> Option<<Vec<u8> as IntoIterator>::Item>",
    ];
    for head in heads {
        let head: Vec<TokenTree> = head.parse::<TokenStream>().expect("valid tokens").into_iter().collect();
        let fast =
            scan(&head).unwrap_or_else(|| panic!("the scanner left `{}` to syn", TokenStream::from_iter(head.clone())));
        let shell: FnShell = syn::parse2(head.iter().cloned().collect()).expect("syn parses it");
        let slow = lower(&shell.attrs, &shell.vis, &shell.sig, &mut None).expect("a twin can be written");
        for args in ["", "flatten, timeout = 5", "local, strategy = direct"] {
            let config = args::parse(args.parse().unwrap()).0.build(Scope::Fn).0;
            let owner = Owner { in_impl: false, type_name: None };
            let (mut fast_errors, mut slow_errors) = (None, None);
            let (fast, slow) = (
                squeeze(write_twin(fast.clone(), &config, &owner, &mut fast_errors)),
                squeeze(write_twin(slow.clone(), &config, &owner, &mut slow_errors)),
            );
            assert_eq!(fast, slow, "`{}` with `{args}`", shell.sig.ident);
            assert_eq!(fast_errors.map(|e| e.to_string()), slow_errors.map(|e| e.to_string()));
        }
    }
}

#[test]
fn unusual_heads_are_left_to_syn() {
    for head in [
        "async fn m(&self) -> u8",
        "async fn m(self: Box<Self>) -> u8",
        "async fn p(ref x: u8) -> u8",
        "async fn q(#[cfg(unix)] x: u8) -> u8",
        "async extern \"C\" fn e() -> u8",
        "const async fn c() -> u8",
        "fn not_async() -> u8",
        "async fn qualified() -> <T as Tr>::Result",
        "#![inner] async fn i() -> u8",
        "async fn missing_pattern(: u8) -> u8",
    ] {
        let head: Vec<TokenTree> = head.parse::<TokenStream>().expect("valid tokens").into_iter().collect();
        assert!(scan(&head).is_none(), "the scanner took `{}`", TokenStream::from_iter(head));
    }
}
