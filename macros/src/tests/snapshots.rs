//! Expansion snapshots: `tests/expand/NAME.rs` expands to `tests/expand/NAME.expanded.rs`
//! (pretty-printed). Regenerate with `UPDATE_EXPAND=1 cargo test -p sync-facade-macros`.

use super::{annotated_items, workspace_root};
use crate::entry::expand;
use proc_macro2::TokenStream;

fn expand_file(source: &str) -> String {
    let mut out = TokenStream::new();
    for (args, item) in annotated_items(source) {
        match args {
            Some(args) => out.extend(expand(args, item)),
            None => out.extend(item),
        }
    }
    let file: syn::File = syn::parse2(out).expect("an expansion is always valid Rust syntax");
    prettyplease::unparse(&file)
}

#[test]
fn expansions_match_snapshots() {
    let dir = workspace_root().join("tests/expand");
    let update = std::env::var_os("UPDATE_EXPAND").is_some_and(|v| v == "1");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/expand exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && !p.to_string_lossy().ends_with(".expanded.rs"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no snapshot inputs in {}", dir.display());
    let mut mismatches = Vec::new();
    for input in inputs {
        let source = std::fs::read_to_string(&input).expect("readable input");
        let expanded = expand_file(&source);
        let snapshot = input.with_extension("expanded.rs");
        if update {
            std::fs::write(&snapshot, &expanded).expect("writable snapshot");
            continue;
        }
        match std::fs::read_to_string(&snapshot) {
            Ok(expected) if expected == expanded => {}
            Ok(_) | Err(_) => {
                eprintln!("--- {} expands to:\n{expanded}", input.display());
                mismatches.push(snapshot.display().to_string());
            }
        }
    }
    assert!(mismatches.is_empty(), "expansions differ from {mismatches:?}; rerun with UPDATE_EXPAND=1 to accept");
}
