//! `agent`: an async agent loop that calls sync tools and sync callbacks, which reach the async
//! services (the CSV tools, the artifact store) through their `#[sync_facade]` blocking twins.
//!
//! ```text
//! cargo run --example agent
//! cargo run --example agent -- --flavor multi_thread --upload Cargo.toml
//! ```

#[path = "lib.rs"]
mod agent;
#[path = "../artifacts/lib.rs"]
mod artifacts;
#[path = "../ds_tools/lib.rs"]
mod ds_tools;

use artifacts::{ArtifactStore, ToolContext};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
agent: an async agent loop calling sync tools and callbacks (which call async services)

USAGE:
    agent [--flavor current_thread|multi_thread] [--store DIR] [--data FILE] [--upload FILE]...

OPTIONS:
    --flavor F     the tokio runtime the loop runs on (default current_thread)
    --store DIR    the artifact store (default: a fresh directory under $TMPDIR)
    --data FILE    the CSV the tools explore (default examples/data/penguins.csv)
    --upload FILE  a file the user uploads (repeatable; default: the data file)
    -h, --help     this help

Every upload and every tool result is saved as an artifact; the run ends by listing them.";

struct Options {
    flavor: String,
    store: PathBuf,
    data: PathBuf,
    uploads: Vec<PathBuf>,
}

fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let fresh = std::env::temp_dir().join(format!("sync-facade-agent-{}", std::process::id()));
    let mut o = Options {
        flavor: "current_thread".into(),
        store: fresh,
        data: PathBuf::from("examples/data/penguins.csv"),
        uploads: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or_else(|| format!("`{flag}` needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--flavor" => o.flavor = value("--flavor")?,
            "--store" => o.store = PathBuf::from(value("--store")?),
            "--data" => o.data = PathBuf::from(value("--data")?),
            "--upload" => o.uploads.push(PathBuf::from(value("--upload")?)),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    if !matches!(o.flavor.as_str(), "current_thread" | "multi_thread") {
        return Err(format!("`--flavor {}`: expected current_thread or multi_thread", o.flavor));
    }
    if o.uploads.is_empty() {
        o.uploads.push(o.data.clone());
    }
    Ok(Some(o))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let o = match parse(&args) {
        Ok(Some(o)) => o,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut builder = if o.flavor == "multi_thread" {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = builder.enable_all().build().expect("a tokio runtime");
    let ctx = ToolContext::new(ArtifactStore::new(&o.store));
    let plan = agent::default_plan(&o.data, &o.uploads);
    println!("agent on a {} runtime, store {}", o.flavor, o.store.display());
    match runtime.block_on(agent::run_agent(ctx, plan)) {
        Ok(report) => {
            for line in &report.transcript {
                println!("  {line}");
            }
            println!("saved {} artifact versions, all read back from disk:", report.saved.len());
            for a in &report.listing {
                let versions: Vec<String> = a.versions.iter().map(u64::to_string).collect();
                println!("  {:<24} versions {}", a.name, versions.join(", "));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
