//! The expansion never panics: thousands of random and mutated token streams (deterministic seed,
//! no extra dependencies) go through `expand` under `catch_unwind`.

use super::{annotated_items, workspace_root};
use crate::entry::expand;
use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// xorshift64*: tiny, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A token stream flattened to leaves and group boundaries, so mutations can unbalance groups.
#[derive(Clone)]
enum Flat {
    Open(Delimiter),
    Close,
    Leaf(TokenTree),
}

fn flatten(stream: TokenStream, out: &mut Vec<Flat>) {
    for tree in stream {
        match tree {
            TokenTree::Group(g) => {
                out.push(Flat::Open(g.delimiter()));
                flatten(g.stream(), out);
                out.push(Flat::Close);
            }
            leaf => out.push(Flat::Leaf(leaf)),
        }
    }
}

/// Rebuilds a stream: stray closes are dropped, unclosed groups are closed at the end.
fn rebuild(flat: &[Flat]) -> TokenStream {
    let mut stack: Vec<(Delimiter, Vec<TokenTree>)> = vec![(Delimiter::None, Vec::new())];
    for f in flat {
        match f {
            Flat::Open(d) => stack.push((*d, Vec::new())),
            Flat::Close if stack.len() > 1 => close(&mut stack),
            Flat::Close => {}
            Flat::Leaf(t) => stack.last_mut().expect("root").1.push(t.clone()),
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().expect("root").1.into_iter().collect()
}

fn close(stack: &mut Vec<(Delimiter, Vec<TokenTree>)>) {
    let (delimiter, trees) = stack.pop().expect("open group");
    let group = Group::new(delimiter, trees.into_iter().collect());
    stack.last_mut().expect("root").1.push(TokenTree::Group(group));
}

const IDENTS: &[&str] = &[
    "async",
    "fn",
    "self",
    "Self",
    "impl",
    "for",
    "where",
    "mut",
    "unsafe",
    "const",
    "pub",
    "crate",
    "struct",
    "trait",
    "dyn",
    "move",
    "await",
    "r#type",
    "_",
    "T",
    "u32",
    "Result",
    "Option",
    "io",
    "timeout",
    "name",
    "flatten",
    "local",
    "strategy",
    "skip",
    "direct",
    "in_place",
    "hosted",
    "sync_facade",
    "client",
    "x",
    "load",
];
const PUNCTS: &[char] = &[',', '=', '-', ':', '<', '>', '&', '#', '!', '.', ';', '*', '+', '?', '|', '@'];
const STRINGS: &[&str] = &["250ms", "-1s", "", "1.5.s", "99999999999999999999999h", "0us", "2m", "µs", "1e9s", " s"];

fn random_leaf(rng: &mut Rng) -> Flat {
    let span = Span::call_site();
    match rng.below(6) {
        0 | 1 => Flat::Leaf(TokenTree::Ident(Ident::new(rng.pick(IDENTS).trim_start_matches("r#"), span))),
        2 => Flat::Leaf(TokenTree::Punct(Punct::new(
            *rng.pick(PUNCTS),
            if rng.below(2) == 0 { Spacing::Alone } else { Spacing::Joint },
        ))),
        3 => Flat::Leaf(TokenTree::Literal(match rng.below(5) {
            0 => Literal::u64_unsuffixed(rng.next() >> rng.below(64)),
            1 => Literal::f64_unsuffixed((rng.next() % 10_000) as f64 / 7.0),
            2 => Literal::string(rng.pick::<&str>(STRINGS)),
            3 => Literal::u64_suffixed(rng.next() % 100),
            _ => Literal::i64_unsuffixed(-((rng.next() % 100) as i64)),
        })),
        4 => Flat::Open(*rng.pick(&[Delimiter::Parenthesis, Delimiter::Brace, Delimiter::Bracket, Delimiter::None])),
        _ => Flat::Close,
    }
}

fn mutate(rng: &mut Rng, stream: TokenStream) -> TokenStream {
    let mut flat = Vec::new();
    flatten(stream, &mut flat);
    for _ in 0..=rng.below(4) {
        let len = flat.len();
        match rng.below(5) {
            0 if len > 0 => {
                flat.remove(rng.below(len));
            }
            1 if len > 0 => {
                let i = rng.below(len);
                let t = flat[i].clone();
                flat.insert(i, t);
            }
            2 if len > 1 => {
                let (i, j) = (rng.below(len), rng.below(len));
                flat.swap(i, j);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                flat[i] = random_leaf(rng);
            }
            _ => {
                let i = rng.below(len + 1);
                let leaf = random_leaf(rng);
                flat.insert(i, leaf);
            }
        }
    }
    rebuild(&flat)
}

fn random_stream(rng: &mut Rng) -> TokenStream {
    let flat: Vec<Flat> = (0..rng.below(24)).map(|_| random_leaf(rng)).collect();
    rebuild(&flat)
}

fn seeds() -> Vec<(TokenStream, TokenStream)> {
    let mut seeds = Vec::new();
    let dir = workspace_root().join("tests/expand");
    let mut files: Vec<_> =
        std::fs::read_dir(dir).expect("tests/expand exists").map(|e| e.expect("entry").path()).collect();
    files.sort();
    for path in files {
        if path.to_string_lossy().ends_with(".expanded.rs") {
            continue;
        }
        let source = std::fs::read_to_string(path).expect("readable");
        for (args, item) in annotated_items(&source) {
            seeds.push((args.unwrap_or_default(), item));
        }
    }
    let extra: &[(&str, &str)] = &[
        ("", "async fn f(&self, (a, b): (u8, u8)) {}"),
        ("timeout = 1", "async fn f<T>(x: impl Into<T>) -> Option<T> where T: Send { None }"),
        ("local", "async unsafe fn f(mut x: u8, _: u8) -> io::Result<u8> { Ok(x) }"),
        ("", "impl X { #[sync_facade(name = g)] async fn f(self: Pin<&mut Self>) {} fn h() {} }"),
        ("strategy = direct", "struct S;"),
        ("", "impl T for X { async fn f() {} }"),
    ];
    for (args, item) in extra {
        seeds.push((args.parse().expect("valid"), item.parse().expect("valid")));
    }
    seeds
}

#[test]
fn expand_never_panics() {
    let seeds = seeds();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let cases = 10_000;
    for case in 0..cases {
        let (attr, item) = match rng.below(10) {
            0 => (random_stream(&mut rng), random_stream(&mut rng)),
            n => {
                let (attr, item) = rng.pick(&seeds).clone();
                match n {
                    1..=3 => (mutate(&mut rng, attr), item),
                    4..=7 => (attr, mutate(&mut rng, item)),
                    _ => (mutate(&mut rng, attr), mutate(&mut rng, item)),
                }
            }
        };
        let (attr_text, item_text) = (attr.to_string(), item.to_string());
        if catch_unwind(AssertUnwindSafe(|| expand(attr, item))).is_err() {
            failures.push(format!("case {case}: #[sync_facade({attr_text})] {item_text}"));
        }
    }
    std::panic::set_hook(previous_hook);
    assert!(failures.is_empty(), "{} of {cases} inputs panicked:\n{}", failures.len(), failures.join("\n"));
}
