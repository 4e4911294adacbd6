//! `placement::classify` on the shapes real files have: what encloses the function named `target`
//! (the first `fn target` in each source), and `Unknown` wherever that cannot be read with
//! certainty. A wrong `TraitImpl` or `InherentImpl` would break code that compiles today, so the
//! tricky lexing cases (braces in strings, chars, comments; `->` in generics; higher-ranked
//! bounds) each have a case.

use crate::placement::{classify, Lexed, Placement};

/// The placement of the first `fn target` in `source`.
fn of(source: &str) -> Placement {
    let at = source.find("fn target").expect("a `fn target` in the case") + "fn ".len();
    let line = source[..at].matches('\n').count() + 1;
    let column = source[..at].rsplit('\n').next().unwrap_or("").chars().count();
    classify(&Lexed::new(source.to_owned()), line, column, "target")
}

fn trait_impl(trait_path: &str, self_ty: &str) -> Placement {
    Placement::TraitImpl { trait_path: trait_path.into(), self_ty: self_ty.into() }
}

#[test]
fn module_level_mod_blocks_and_function_bodies() {
    assert_eq!(of("use x::y;\n#[sync_facade]\npub async fn target() {}"), Placement::Module);
    assert_eq!(of("struct A { a: u8 }\nimpl A {}\nasync fn target() {}"), Placement::Module);
    assert_eq!(of("pub(crate) mod inner {\n    use super::*;\n    async fn target() {}\n}"), Placement::Module);
    assert_eq!(of("#[cfg(test)]\nmod tests { async fn target() {} }"), Placement::Module);
    assert_eq!(of("fn main() {\n    let x = 1;\n    async fn target() {}\n}"), Placement::Module);
    assert_eq!(of("pub async fn outer(x: &[u8; 2]) -> u8 where u8: Send { async fn target() {} }"), Placement::Module);
    // An `fn` body inside an impl: items there are reached by their bare name.
    assert_eq!(of("impl A { fn outer() { async fn target() {} } }"), Placement::Module);
}

#[test]
fn inherent_impls() {
    assert_eq!(
        of("impl Db {\n    #[sync_facade]\n    pub async fn target(p: u8) -> u8 { p }\n}"),
        Placement::InherentImpl
    );
    assert_eq!(of("impl<T: Clone> Db<T> where T: Send { async fn target() {} }"), Placement::InherentImpl);
    assert_eq!(
        of("#[cfg(all())]\nimpl<'a> Db<'a> { async fn other() {} async fn target() {} }"),
        Placement::InherentImpl
    );
    // `->` inside the generics closes nothing; `for<'a>` is a bound, not a trait impl.
    assert_eq!(of("impl<F: Fn() -> u8> Db<F> { async fn target() {} }"), Placement::InherentImpl);
    assert_eq!(of("impl<F> Db<F> where F: for<'a> Fn(&'a u8) -> u8 { async fn target() {} }"), Placement::InherentImpl);
    assert_eq!(of("impl Db<[u8; 4]> { async fn target() {} }"), Placement::InherentImpl);
    // A block in the generics ends the header (`<>` are not brackets to the lexer): not read.
    assert_eq!(of("impl Db<{ 1 + 2 }> { async fn target() {} }"), Placement::Unknown);
    assert_eq!(of("unsafe impl Db { async fn target() {} }"), Placement::InherentImpl);
}

#[test]
fn trait_impls() {
    assert_eq!(
        of("impl Service for Memory {\n    async fn target(&self) -> u8 { 1 }\n}"),
        trait_impl("Service", "Memory")
    );
    assert_eq!(
        of("impl<T: Fn() -> u8> crate::svc::Service<T> for (T,)\nwhere T: Send\n{ async fn target() {} }"),
        trait_impl("crate::svc::Service<T>", "(T,)")
    );
    // The impl's generics end at their own `>`: not at an arrow's, a nested type's or a bracket.
    assert_eq!(
        of("impl<F: Fn(u8) -> Vec<u8>, const N: usize> a::Tr<[u8; N]> for X<F> where F: Send { async fn target() {} }"),
        trait_impl("a::Tr<[u8; N]>", "X<F>")
    );
    assert_eq!(of("unsafe impl<'a> Tr for &'a str { async fn target() {} }"), trait_impl("Tr", "&'a str"));
    assert_eq!(of("impl<F> Tr for F where F: for<'a> Fn(&'a u8) { async fn target() {} }"), trait_impl("Tr", "F"));
    assert_eq!(
        of("impl Tr for dyn for<'a> Fn(&'a u8) + Send { async fn target() {} }"),
        trait_impl("Tr", "dyn for<'a> Fn(&'a u8) + Send")
    );
}

#[test]
fn braces_in_literals_and_comments_do_not_count() {
    let cases = [
        "const S: &str = \"{\";\nimpl Db { async fn target() {} }",
        "const C: char = '{';\nconst D: char = '\\'';\nimpl Db { async fn target() {} }",
        "const R: &str = r#\"}\" { \"#;\nimpl Db { async fn target() {} }",
        "const B: &[u8] = br\"}\";\nimpl Db { async fn target() {} }",
        "// impl Tr for Db {\n/* } /* nested { */ } */\nimpl Db { async fn target() {} }",
        "fn f<'a>(x: &'a str) -> &'a str { x }\nimpl Db { async fn target() {} }",
        "const E: &str = \"\\\" {\";\nimpl Db { async fn target() {} }",
        "fn r#impl() {}\nimpl Db { async fn r#type() {} async fn target() {} }",
        "const N: std::ops::Range<u8> = 1..2;\nimpl Db { async fn target() {} }",
        // A line break escaped inside a string still counts as a line.
        "const S: &str = \"a \\\n b\";\nimpl Db {\n    async fn target() {}\n}",
        "const C: char = 'é';\nconst S: &str = \"ü{\";\nfn größe() {}\nimpl Db { async fn target() {} }",
        // Columns count characters: two `target`s on one line after non-ASCII text.
        "impl Db { /* é ü */ async fn target() {} } mod m { async fn target() {} }",
    ];
    for case in cases {
        assert_eq!(of(case), Placement::InherentImpl, "{case}");
    }
}

#[test]
fn anything_uncertain_is_unknown() {
    // A trait's own methods, a macro's body, a closure or block, an `extern` block.
    assert_eq!(of("trait Tr { async fn target() {} }"), Placement::Unknown);
    assert_eq!(of("m! { async fn target() {} }"), Placement::Unknown);
    assert_eq!(of("fn f() { let _ = || { async fn target() {} }; }"), Placement::Unknown);
    assert_eq!(of("fn f() { if true { async fn target() {} } }"), Placement::Unknown);
    // Not the name of a `fn` where the span says (as after a macro moved it).
    let lexed = Lexed::new("impl Db { async fn target() {} }".to_owned());
    assert_eq!(classify(&lexed, 1, 0, "target"), Placement::InherentImpl, "one candidate on the line");
    assert_eq!(classify(&lexed, 2, 0, "target"), Placement::Unknown, "no such line");
    assert_eq!(classify(&lexed, 1, 0, "other"), Placement::Unknown, "no such name");
    let twice = Lexed::new("impl Db { async fn target() {} } mod m { async fn target() {} }".to_owned());
    assert_eq!(classify(&twice, 1, 0, "target"), Placement::Unknown, "two candidates, neither at the column");
    assert_eq!(classify(&twice, 1, 19, "target"), Placement::InherentImpl);
    assert_eq!(classify(&twice, 1, 50, "target"), Placement::Module);
    // `let target = ..` is not a function.
    assert_eq!(
        classify(&Lexed::new("impl Db { fn f() { let target = 1; } }".into()), 1, 23, "target"),
        Placement::Unknown
    );
    // Unbalanced text and text that is not Rust never panic.
    for junk in ["}}} fn target", "impl { fn target", "'", "\"", "r#\"", "/*", "fn target(", "é fn target"] {
        let _ = classify(&Lexed::new(junk.to_owned()), 1, 0, "target");
    }
}

#[test]
fn an_edited_file_is_read_again() {
    // A long-lived macro server (rust-analyzer's) expands again after an edit: the cached tokens
    // of the old text must not answer for the new one.
    let dir = std::env::temp_dir().join(format!("sync-facade-placement-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lib.rs");
    let at = |path: &std::path::Path| {
        let file = crate::placement::lexed(path.to_owned()).expect("readable");
        classify(&file, 1, 19, "target")
    };
    std::fs::write(&path, "impl Db { async fn target() {} }").unwrap();
    assert_eq!(at(&path), Placement::InherentImpl);
    std::fs::write(&path, "impl Tr for Db { async fn target() {} }").unwrap();
    assert_eq!(at(&path), trait_impl("Tr", "Db"));
    assert_eq!(crate::placement::lexed(dir.join("missing.rs")).map(|_| ()), None);
    let _ = std::fs::remove_dir_all(&dir);
}
