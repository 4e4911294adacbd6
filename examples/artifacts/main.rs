//! `artifacts`: a versioned artifact store on the local file system, driven from sync code.
//!
//! The store is async (`tokio::fs`, atomic versioned saves; see `lib.rs`); this CLI is a plain
//! sync `main` that calls the blocking twins of `ToolContext`'s async methods, which
//! `#[sync_facade]` generates. `generate` renders a Markdown report, a JSON summary and a CSV of a
//! data file's statistics (via the `ds_tools` twins) and saves them as artifacts.
//!
//! ```text
//! cargo run --example artifacts -- generate
//! cargo run --example artifacts -- list
//! cargo run --example artifacts -- load penguins-report.md
//! cargo run --example artifacts -- save notes.txt ./notes.txt
//! ```

#[path = "lib.rs"]
mod artifacts;
#[path = "../ds_tools/lib.rs"]
mod ds_tools;
#[path = "report.rs"]
mod report;

use artifacts::{ArtifactStore, ToolContext};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
artifacts: a versioned artifact store (async store, called through blocking twins)

USAGE:
    artifacts [--store DIR] <COMMAND>

COMMANDS:
    save NAME FILE            save FILE's bytes as a new version of NAME; prints the version
    load NAME [--version N]   print version N of NAME (default: the latest)
    list                      list the artifacts and their versions
    clean [--older-than SECS] remove temp files left by killed saves (default: older than 3600 s)
    generate [--data FILE]    describe FILE (default examples/data/penguins.csv) and save
                              STEM-report.md, STEM-summary.json and STEM-describe.csv

OPTIONS:
    --store DIR   the store directory (default: $TMPDIR/sync-facade-artifacts)
    -h, --help    this help

NAME: 1-128 characters of A-Z a-z 0-9 . _ -, not starting with `.`. Versions are 1, 2, 3, ...
and are never overwritten. Errors give a message and exit status 1; bad usage exit status 2.";

#[derive(Debug)]
enum Command {
    Save { name: String, file: PathBuf },
    Load { name: String, version: Option<u64> },
    List,
    Generate { data: PathBuf },
    Clean { older_than: u64 },
}

fn parse(args: &[String]) -> Result<Option<(PathBuf, Command)>, String> {
    let mut store = std::env::temp_dir().join("sync-facade-artifacts");
    let mut version = None;
    let mut older_than = 3600;
    let mut data = PathBuf::from("examples/data/penguins.csv");
    let mut positional: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or_else(|| format!("`{flag}` needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--store" => store = PathBuf::from(value("--store")?),
            "--data" => data = PathBuf::from(value("--data")?),
            "--version" => {
                let v = value("--version")?;
                version = Some(v.parse::<u64>().map_err(|_| format!("`--version {v}`: expected a positive integer"))?);
            }
            "--older-than" => {
                let v = value("--older-than")?;
                older_than = v.parse::<u64>().map_err(|_| format!("`--older-than {v}`: expected seconds"))?;
            }
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option `{s}`")),
            _ => positional.push(arg.clone()),
        }
    }
    let p: Vec<&str> = positional.iter().map(String::as_str).collect();
    let command = match p.as_slice() {
        ["save", name, file] => Command::Save { name: name.to_string(), file: PathBuf::from(file) },
        ["load", name] => Command::Load { name: name.to_string(), version },
        ["list"] => Command::List,
        ["generate"] => Command::Generate { data },
        ["clean"] => Command::Clean { older_than },
        [] => return Err("missing COMMAND".into()),
        [cmd @ ("save" | "load" | "list" | "generate" | "clean"), ..] => {
            return Err(format!("wrong arguments for `{cmd}`"))
        }
        [other, ..] => return Err(format!("unknown command `{other}`")),
    };
    Ok(Some((store, command)))
}

/// Sync code all the way: every store operation goes through a blocking twin.
fn run(ctx: &ToolContext, command: Command) -> Result<(), Box<dyn std::error::Error>> {
    let mut stdout = std::io::stdout().lock();
    match command {
        Command::Save { name, file } => {
            let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let version = ctx.blocking_save_artifact(&name, bytes)?;
            writeln!(stdout, "saved {name} version {version}")?;
        }
        Command::Load { name, version } => {
            // Streamed: a large artifact is copied through a 64 KiB buffer, never loaded whole.
            let mut reader = ctx.blocking_open_artifact(&name, version)?;
            std::io::copy(&mut reader, &mut stdout)?;
        }
        Command::List => {
            let list = ctx.blocking_list_artifacts()?;
            if list.is_empty() {
                writeln!(stdout, "(no artifacts in {})", ctx.store().root().display())?;
            }
            for a in list {
                let latest = a.versions.last().copied().unwrap_or(0);
                writeln!(stdout, "{:<32} versions 1..={latest:<4} latest {} bytes", a.name, a.latest_size)?;
            }
        }
        Command::Clean { older_than } => {
            let removed = ctx.blocking_remove_stale_temp_files(std::time::Duration::from_secs(older_than))?;
            writeln!(stdout, "removed {removed} stale temp files")?;
        }
        Command::Generate { data } => {
            for saved in report::generate(ctx, &data)? {
                writeln!(stdout, "saved {} version {}", saved.name, saved.version)?;
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (store, command) = match parse(&args) {
        Ok(Some(parsed)) => parsed,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let ctx = ToolContext::new(ArtifactStore::new(store));
    match run(&ctx, command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
