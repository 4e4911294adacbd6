//! Tests of the `ds_tools` example's library: pandas' figures on penguins.csv, `shape`, `head`,
//! and every bad-input case.

#[path = "../examples/ds_tools/lib.rs"]
mod ds_tools;

use ds_tools::{Column, DescribeOptions, DsError, Include, Summary, Value};
use std::path::PathBuf;

fn penguins() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/penguins.csv")
}

/// pandas' `describe()` of penguins.csv, computed once with pandas 3.1.1:
///
/// ```python
/// import pandas as pd
/// df = pd.read_csv("examples/data/penguins.csv")
/// d = df.describe()
/// for c in d.columns:
///     print(c, [repr(float(x)) for x in d[c]])   # count, mean, std, min, 25%, 50%, 75%, max
/// a = df.describe(include="all")
/// for c in ["species", "island", "sex"]:
///     print(c, list(a[c][["count", "unique", "top", "freq"]]))
/// ```
const PANDAS_NUMERIC: [(&str, [f64; 8]); 5] = [
    ("bill_length_mm", [342.0, 43.9219298245614, 5.4595837139265315, 32.1, 39.225, 44.45, 48.5, 59.6]),
    ("bill_depth_mm", [342.0, 17.151169590643274, 1.9747931568167814, 13.1, 15.6, 17.3, 18.7, 21.5]),
    ("flipper_length_mm", [342.0, 200.91520467836258, 14.061713679356888, 172.0, 190.0, 197.0, 213.0, 231.0]),
    ("body_mass_g", [342.0, 4201.754385964912, 801.9545356980955, 2700.0, 3550.0, 4050.0, 4750.0, 6300.0]),
    ("year", [344.0, 2008.0290697674418, 0.8183559254837041, 2007.0, 2007.0, 2008.0, 2009.0, 2009.0]),
];

/// Same snippet: `(count, unique, top, freq)` of the text columns.
const PANDAS_TEXT: [(&str, usize, usize, &str, usize); 3] =
    [("species", 344, 3, "Adelie", 152), ("island", 344, 3, "Biscoe", 168), ("sex", 333, 2, "male", 168)];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-300)
}

fn check_numeric(name: &str, s: &Summary, expected: &[f64; 8]) {
    let Summary::Numeric(n) = s else { panic!("{name} should be numeric") };
    let got = [n.count as f64, n.mean, n.std, n.min, n.q25, n.q50, n.q75, n.max];
    for (label, (g, e)) in
        ["count", "mean", "std", "min", "25%", "50%", "75%", "max"].iter().zip(got.iter().zip(expected))
    {
        assert!(close(*g, *e), "{name} {label}: got {g:?}, pandas says {e:?}");
    }
}

#[test]
fn describe_matches_pandas() {
    let d = ds_tools::blocking_describe(penguins(), DescribeOptions::default()).unwrap();
    let names: Vec<&str> = d.columns.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, PANDAS_NUMERIC.map(|(n, _)| n), "by default only numeric columns, in file order");
    for (name, expected) in &PANDAS_NUMERIC {
        check_numeric(name, d.get(name).unwrap(), expected);
    }
}

#[test]
fn describe_include_all_matches_pandas() {
    let options = DescribeOptions { include: Include::All, columns: vec![] };
    let d = ds_tools::blocking_describe(penguins(), options).unwrap();
    assert_eq!(d.columns.len(), 8);
    for (name, count, unique, top, freq) in PANDAS_TEXT {
        let Some(Summary::Text(t)) = d.get(name) else { panic!("{name} should be text") };
        assert_eq!((t.count, t.unique, t.top.as_deref(), t.freq), (count, unique, Some(top), freq), "{name}");
    }
    for (name, expected) in &PANDAS_NUMERIC {
        check_numeric(name, d.get(name).unwrap(), expected);
    }
    let table = d.to_string();
    let first: Vec<&str> = table.lines().map(|l| l.split_whitespace().next().unwrap_or("")).collect();
    assert_eq!(first, ["species", "count", "unique", "top", "freq", "mean", "std", "min", "25%", "50%", "75%", "max"]);
}

#[test]
fn describe_table_is_aligned() {
    let d = ds_tools::blocking_describe(penguins(), DescribeOptions::default()).unwrap();
    let table = d.to_string();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 9);
    assert!(lines.iter().all(|l| l.len() == lines[0].len()), "aligned:\n{table}");
    assert_eq!(lines[2], "mean        43.921930      17.151170         200.915205  4201.754386  2008.029070");
}

#[test]
fn shape_and_head() {
    assert_eq!(ds_tools::blocking_shape(penguins()).unwrap(), (344, 8));
    let head = ds_tools::blocking_head(penguins(), 5).unwrap();
    assert_eq!(head.shape(), (5, 8));
    assert_eq!(
        head.names(),
        ["species", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"]
    );
    assert_eq!(head.get(0, 0), Value::Text("Adelie"));
    assert_eq!(head.get(0, 2), Value::Float(39.1));
    assert_eq!(head.get(4, 6), Value::Text("female"));
    // Row 3 is all NA but the year: missing everywhere, numbers and text alike.
    for col in 2..7 {
        assert_eq!(head.get(3, col), Value::Missing, "column {col}");
    }
    assert_eq!(head.get(3, 7), Value::Int(2007));
    // Integer columns with NA become float (as in pandas); `year` has none and stays integer.
    assert!(matches!(head.column("flipper_length_mm"), Some(Column::Float(_))));
    assert!(matches!(head.column("year"), Some(Column::Int(_))));
    let text = head.to_string();
    assert_eq!(text.lines().count(), 6);
    assert!(text.lines().nth(4).unwrap().contains("NaN"), "{text}");
    assert!(text.lines().nth(1).unwrap().ends_with("181.0       3750.0    male  2007"), "{text}");
}

#[test]
fn tools_work_from_every_context() {
    let check = || assert_eq!(ds_tools::blocking_shape(penguins()).unwrap(), (344, 8));
    check();
    let ct = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    ct.block_on(async { tokio::spawn(async move { check() }).await.unwrap() });
    ct.block_on(async { tokio::task::spawn_blocking(check).await.unwrap() });
    let mt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    mt.block_on(async { tokio::spawn(async move { check() }).await.unwrap() });
    mt.block_on(async { tokio::task::spawn_blocking(check).await.unwrap() });
}

fn scratch(name: &str, contents: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("examples-ds-tools");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn missing_file_is_an_error() {
    let err = ds_tools::blocking_shape(PathBuf::from("/no/such/file.csv")).unwrap_err();
    assert!(matches!(err, DsError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("/no/such/file.csv"), "{err}");
}

#[test]
fn empty_csv_is_an_error() {
    for (name, contents) in [("empty.csv", ""), ("blank.csv", "\n\n")] {
        let err = ds_tools::blocking_describe(scratch(name, contents), DescribeOptions::default()).unwrap_err();
        assert!(matches!(err, DsError::EmptyCsv { .. }), "{name}: {err:?}");
        assert!(err.to_string().contains("empty"), "{err}");
    }
    // A header without rows is a valid, empty frame (as in pandas).
    assert_eq!(ds_tools::blocking_shape(scratch("header.csv", "a,b\n")).unwrap(), (0, 2));
}

#[test]
fn ragged_rows_are_an_error() {
    for (name, contents) in [("long.csv", "a,b\n1,2\n3,4,5\n"), ("short.csv", "a,b\n1,2\n3\n")] {
        let err = ds_tools::blocking_shape(scratch(name, contents)).unwrap_err();
        assert!(matches!(err, DsError::Csv { .. }), "{name}: {err:?}");
        assert!(err.to_string().contains("line: 3"), "{err}");
    }
}

#[test]
fn numeric_statistics_of_a_text_column_are_an_error() {
    let options = DescribeOptions { include: Include::Numeric, columns: vec!["species".into()] };
    let err = ds_tools::blocking_describe(penguins(), options).unwrap_err();
    assert!(matches!(&err, DsError::NotNumeric { column } if column == "species"), "{err:?}");
    let options = DescribeOptions { include: Include::Numeric, columns: vec!["wingspan".into()] };
    let err = ds_tools::blocking_describe(penguins(), options).unwrap_err();
    assert!(matches!(&err, DsError::NoSuchColumn { .. }), "{err:?}");
    // With `include all` the text statistics are fine.
    let options = DescribeOptions { include: Include::All, columns: vec!["species".into()] };
    assert!(ds_tools::blocking_describe(penguins(), options).is_ok());
}

#[test]
fn pandas_missing_values_and_types() {
    let path = scratch("types.csv", "i,f,t,m,e\n1,1,x,NA,\n2,2.5,1,null,\n3,N/A,y,NaN,\n");
    let head = ds_tools::blocking_head(path.clone(), 10).unwrap();
    assert!(matches!(head.column("i"), Some(Column::Int(v)) if v == &[1, 2, 3]));
    assert!(matches!(head.column("f"), Some(Column::Float(_))));
    assert_eq!(head.get(2, 1), Value::Missing);
    assert!(matches!(head.column("t"), Some(Column::Text(_))), "a number among text stays text");
    assert_eq!(head.get(1, 2), Value::Text("1"));
    // All-missing columns are float columns with count 0, as in pandas.
    let d = ds_tools::blocking_describe(path, DescribeOptions::default()).unwrap();
    let Some(Summary::Numeric(m)) = d.get("m") else { panic!("m should be numeric: {d:?}") };
    assert_eq!(m.count, 0);
    assert!(m.mean.is_nan());
    let Some(Summary::Numeric(f)) = d.get("f") else { panic!() };
    assert_eq!((f.count, f.mean, f.max), (2, 1.75, 2.5));
    assert!(d.get("t").is_none(), "text columns only with include all");
}

/// Runs the example binaries themselves on bad input: a clear message, a non-zero exit, no
/// panic. Ignored by default because it invokes `cargo run --example` (a nested build); run it
/// with `cargo test --test examples_ds_tools -- --ignored`.
#[test]
#[ignore = "invokes `cargo run --example`; run with -- --ignored"]
fn example_binaries_reject_bad_input() {
    let run = |example: &str, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["run", "-q", "--example", example, "--"])
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{example} {args:?} panicked: {stderr}");
        (out.status.code(), stderr)
    };
    let penguins = "examples/data/penguins.csv";
    let (code, err) = run("ds_tools", &["describe", penguins, "--column", "species"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("column `species` is not numeric"), "{err}");
    let (code, err) = run("ds_tools", &["shape", "/no/such/file.csv"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("cannot read /no/such/file.csv"), "{err}");
    let (code, err) = run("ds_tools", &["frobnicate"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown command") && err.contains("USAGE"), "{err}");
    let store = std::env::temp_dir().join(format!("sync-facade-bin-test-{}", std::process::id()));
    let store = store.to_str().unwrap();
    let (code, err) = run("artifacts", &["--store", store, "save", "../escape", "Cargo.toml"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("invalid artifact name"), "{err}");
    let (code, err) = run("artifacts", &["--store", store, "load", "nothing", "--version", "3"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no artifact named `nothing`"), "{err}");
    assert!(!std::path::Path::new(store).exists(), "nothing written");
}

/// The `rows` stream, walked from sync code through its blocking iterator in several contexts:
/// the header first, then every row.
#[test]
fn rows_walks_every_record_from_every_context() {
    let walk = || {
        let records: Vec<_> = ds_tools::blocking_rows(penguins()).map(|r| r.unwrap().unwrap()).collect();
        assert_eq!(records.len(), 345, "the header and 344 rows");
        assert_eq!(&records[0][0], b"species");
        assert_eq!(&records[344][7], b"2009");
    };
    walk();
    let ct = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    ct.block_on(async { tokio::spawn(async move { walk() }).await.unwrap() });
    let mt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    mt.block_on(async { tokio::spawn(async move { walk() }).await.unwrap() });
    mt.block_on(async { tokio::task::spawn_blocking(walk).await.unwrap() });
}

/// `head` reads no further than its rows: a file whose row 100,001 is malformed (the whole-file
/// tools reject it) still gives its first 5 rows, through the async tool's twin and through the
/// sync walk of the `rows` iterator the CLI does, in a plain thread and inside runtimes.
#[test]
fn head_does_not_read_the_whole_file() {
    let mut contents = String::from("id,value,label\n");
    for i in 0..100_000 {
        contents.push_str(&format!("{i},{}.5,row{i}\n", i * 2));
    }
    contents.push_str("100000,broken\n");
    let path = scratch("malformed-far-away.csv", &contents);
    let err = ds_tools::blocking_shape(path.clone()).unwrap_err();
    assert!(err.to_string().contains("line: 100002"), "the whole-file tool sees the bad row: {err}");

    let check = move |frame: ds_tools::Frame| {
        assert_eq!(frame.shape(), (5, 3));
        assert_eq!(frame.get(4, 0), Value::Int(4));
        assert_eq!(frame.get(4, 1), Value::Float(8.5));
        assert_eq!(frame.get(4, 2), Value::Text("row4"));
    };
    let sync_walk = {
        let path = path.clone();
        move || {
            let records = ds_tools::blocking_rows(path.clone()).map(|item| item.unwrap_or_else(|e| Err(e.into())));
            ds_tools::head_of(&path, records, 5).unwrap()
        }
    };
    check(ds_tools::blocking_head(path.clone(), 5).unwrap());
    check(sync_walk());
    let ct = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    check(ct.block_on({
        let walk = sync_walk.clone();
        async move { tokio::spawn(async move { walk() }).await.unwrap() }
    }));
    let mt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    check(mt.block_on(async move { tokio::spawn(async move { sync_walk() }).await.unwrap() }));

    // Walking on reaches the bad row: it is the last item, an error.
    let last = ds_tools::blocking_rows(path).map(|r| r.unwrap()).last().unwrap();
    assert!(matches!(last, Err(DsError::Csv { .. })), "{last:?}");
}

/// `head` of a file with a header only is an empty frame; of an empty file, an error; of a
/// missing file, an I/O error (the first item of the stream).
#[test]
fn head_edge_cases() {
    let header_only = scratch("head-header.csv", "a,b\n");
    assert_eq!(ds_tools::blocking_head(header_only, 5).unwrap().shape(), (0, 2));
    let err = ds_tools::blocking_head(scratch("head-empty.csv", ""), 5).unwrap_err();
    assert!(matches!(err, DsError::EmptyCsv { .. }), "{err:?}");
    let missing = PathBuf::from("/no/such/file.csv");
    let records = ds_tools::blocking_rows(missing.clone()).map(|item| item.unwrap_or_else(|e| Err(e.into())));
    let err = ds_tools::head_of(&missing, records, 5).unwrap_err();
    assert!(matches!(err, DsError::Io { .. }), "{err:?}");
}
