//! `ds_tools`: pandas-style `head`, `shape` and `describe` for CSV files.
//!
//! The tools are async (`tokio::fs` + `csv-async`); this CLI is sync code that calls their blocking
//! twins (`blocking_describe`, ...) made by `#[sync_facade]`, and walks the async `rows` stream
//! through a blocking iterator for `head` (which reads no further than the rows it prints). To show the nested case, the CLI
//! runs *inside a task of a tokio runtime* (current_thread by default), where
//! `Runtime::block_on` would panic; the twins work there all the same.
//!
//! ```text
//! cargo run --example ds_tools -- describe examples/data/penguins.csv
//! cargo run --example ds_tools -- describe examples/data/penguins.csv --include all
//! cargo run --example ds_tools -- head examples/data/penguins.csv -n 5
//! ```

#[path = "lib.rs"]
mod ds_tools;

use ds_tools::{DescribeOptions, Include};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
ds_tools: pandas-style statistics for CSV files (async tools called through blocking twins)

USAGE:
    ds_tools [--flavor current_thread|multi_thread|none] <COMMAND>

COMMANDS:
    head FILE [-n N]                 the first N rows (default 5); missing values show as NaN
    shape FILE                       (rows, columns)
    describe FILE [--include numeric|all] [--column NAME]...
                                     pandas' describe(): count, mean, std, min, 25%, 50%, 75%, max
                                     for numeric columns; with `--include all` also count, unique,
                                     top, freq for text columns. `--column` picks columns.

OPTIONS:
    --flavor F    where the sync CLI runs: inside a task of a `current_thread` (default) or
                  `multi_thread` tokio runtime, or on the plain main thread (`none`)
    -h, --help    this help

Missing values are pandas' defaults (NA, empty, NaN, null, N/A, ...). Bad input gives an error
message and exit status 1; bad usage gives exit status 2.";

/// A parsed command line.
#[derive(Debug)]
enum Command {
    Head { file: PathBuf, n: usize },
    Shape { file: PathBuf },
    Describe { file: PathBuf, options: DescribeOptions },
}

fn parse(args: &[String]) -> Result<(String, Option<Command>), String> {
    let mut flavor = "current_thread".to_string();
    let mut positional = Vec::new();
    let mut n = 5usize;
    let mut options = DescribeOptions::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or_else(|| format!("`{flag}` needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok((flavor, None)),
            "--flavor" => flavor = value("--flavor")?,
            "-n" => n = value("-n")?.parse().map_err(|_| "`-n` needs a non-negative integer".to_string())?,
            "--include" => {
                options.include = match value("--include")?.as_str() {
                    "all" => Include::All,
                    "numeric" | "number" => Include::Numeric,
                    other => return Err(format!("`--include {other}`: expected `numeric` or `all`")),
                }
            }
            "--column" => options.columns.push(value("--column")?),
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option `{s}`")),
            _ => positional.push(arg.clone()),
        }
    }
    if !matches!(flavor.as_str(), "current_thread" | "multi_thread" | "none") {
        return Err(format!("`--flavor {flavor}`: expected current_thread, multi_thread or none"));
    }
    let file = |p: &[String]| match p {
        [_, file] => Ok(PathBuf::from(file)),
        _ => Err(format!("`{}` takes exactly one FILE", p[0])),
    };
    let command = match positional.first().map(String::as_str) {
        None => return Err("missing COMMAND".into()),
        Some("head") => Command::Head { file: file(&positional)?, n },
        Some("shape") => Command::Shape { file: file(&positional)? },
        Some("describe") => Command::Describe { file: file(&positional)?, options },
        Some(other) => return Err(format!("unknown command `{other}`")),
    };
    Ok((flavor, Some(command)))
}

/// Sync code: runs a command through the tools' blocking twins and returns what to print.
fn run(command: Command) -> Result<String, ds_tools::DsError> {
    Ok(match command {
        // Walks the file's records through a blocking iterator over the async `rows` stream: only
        // the header and `n` rows are read, however large the file.
        Command::Head { file, n } => {
            let records = ds_tools::blocking_rows(file.clone()).map(|item| item.unwrap_or_else(|e| Err(e.into())));
            ds_tools::head_of(&file, records, n)?.to_string()
        }
        Command::Shape { file } => format!("{:?}", ds_tools::blocking_shape(file)?),
        Command::Describe { file, options } => ds_tools::blocking_describe(file, options)?.to_string(),
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (flavor, command) = match parse(&args) {
        Ok((_, None)) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok((flavor, Some(command))) => (flavor, command),
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match flavor.as_str() {
        "none" => run(command),
        flavor => {
            let mut builder = if flavor == "multi_thread" {
                tokio::runtime::Builder::new_multi_thread()
            } else {
                tokio::runtime::Builder::new_current_thread()
            };
            let runtime = builder.enable_all().build().expect("a tokio runtime");
            // The sync CLI runs inside a task: the twins detect the context and pick a strategy
            // (hosting the future on a current_thread runtime, `block_in_place` on multi_thread).
            runtime.block_on(async move { tokio::spawn(async move { run(command) }).await.expect("the CLI task") })
        }
    };
    match result {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
