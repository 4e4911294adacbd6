//! Sets `sync_facade_span_file` on compilers (rustc 1.88 and later) whose `proc_macro::Span` tells
//! a token's file, line and column: `placement` reads where a lone `async fn` stands with them.
//! On older compilers the attribute works the same, without that reading (see `placement.rs`).

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");
    println!("cargo:rustc-check-cfg=cfg(sync_facade_span_file)");
    if rustc_minor().is_some_and(|minor| minor >= 88) {
        println!("cargo:rustc-cfg=sync_facade_span_file");
    }
}

/// The minor version of the compiler Cargo builds this crate with (`rustc 1.95.0 (..)` → 95).
fn rustc_minor() -> Option<u32> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc).arg("--version").output().ok()?;
    let version = String::from_utf8(output.stdout).ok()?;
    let mut parts = version.split_whitespace().nth(1)?.split('.');
    if parts.next()? != "1" {
        return None;
    }
    parts.next()?.parse().ok()
}
