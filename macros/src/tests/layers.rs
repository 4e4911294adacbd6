//! The modules depend one way: every `crate::..` or `super::..` path in a module of the attribute
//! names a module below it. Layers, top to bottom: `entry`; the expanders `expand::*` (which do not
//! use each other); `twin::write` and `twin::scan`; `twin::lower`; `twin`'s types; `args` and
//! `placement`;
//! `messages`.

use std::path::Path;

/// The layer of a module, by its path below `crate::` (higher uses lower).
fn layer(module: &str) -> Option<u8> {
    Some(match module {
        "entry" => 7,
        m if m == "expand" || m.starts_with("expand::") => 6,
        m if ["twin::write", "twin::scan"].iter().any(|w| m == *w || m.starts_with(&format!("{w}::"))) => 5,
        m if m == "twin::lower" || m.starts_with("twin::lower::") => 4,
        m if m == "twin" || m.starts_with("twin::") => 3, // `twin`'s own types: `Lowered`, `Owner`
        m if m.starts_with("args") || m.starts_with("placement") => 2,
        m if m.starts_with("messages") => 1,
        _ => return None,
    })
}

/// The module paths a source file names (comments skipped), relative to `crate::`.
fn references(source: &str, own: &str) -> Vec<String> {
    let parent = own.rsplit_once("::").map_or("", |(p, _)| p);
    let mut out = Vec::new();
    for line in source.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (prefix, base) in [("crate::", ""), ("super::", parent)] {
            let mut rest = line;
            while let Some(at) = rest.find(prefix) {
                let after = &rest[at + prefix.len()..];
                let path: String =
                    after.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
                let path = path.trim_end_matches(':');
                // `crate::twin::{Lowered, Owner}`: the module is the path before the braces.
                let full = if base.is_empty() { path.to_owned() } else { format!("{base}::{path}") };
                out.push(full);
                rest = &after[path.len()..];
            }
        }
    }
    out
}

#[test]
fn modules_depend_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for dir in ["", "expand", "twin"] {
        for entry in std::fs::read_dir(src.join(dir)).expect("readable source folder") {
            let path = entry.expect("readable entry").path();
            if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut checked = 0;
    let mut upward = Vec::new();
    for path in files {
        let relative = path.strip_prefix(&src).expect("below src").with_extension("");
        let own = relative.to_string_lossy().replace('/', "::").trim_end_matches("::mod").to_owned();
        if own == "lib" {
            continue; // the proc-macro function: above everything
        }
        let own_layer = layer(&own).unwrap_or_else(|| panic!("module `{own}` has no layer in tests::layers"));
        let source = std::fs::read_to_string(&path).expect("readable source");
        for target in references(&source, &own) {
            let target_layer =
                layer(&target).unwrap_or_else(|| panic!("`{own}` names `crate::{target}`, which has no layer"));
            checked += 1;
            if target_layer >= own_layer {
                upward.push(format!("`{own}` uses `{target}`"));
            }
        }
    }
    assert!(checked >= 20, "only {checked} references found: is the check still reading the sources?");
    assert!(upward.is_empty(), "dependencies that do not run down the layers: {upward:#?}");
}
