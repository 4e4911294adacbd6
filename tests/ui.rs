//! Compile-fail tests of `#[sync_facade]`: every mistake gets one precise message. The expected
//! output lives next to each case in `tests/ui/*.stderr`; regenerate with `TRYBUILD=overwrite`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
