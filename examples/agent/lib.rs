//! A scripted agent loop: async at the top, sync tools and callbacks underneath, async services
//! at the bottom, reached through blocking twins.
//!
//! ```text
//! async agent loop (a tokio task, current_thread or multi_thread runtime)
//!   └─ sync tool function (`run_tool`)           ─┐
//!   └─ sync callbacks (`on_upload`, `after_tool`) ├─ call blocking twins
//!        └─ async services: ds_tools::describe, ToolContext::save_artifact, ...
//! ```
//!
//! The "model" is a fixed plan of steps, so the run is deterministic. Every upload and every
//! tool result is persisted as an artifact; the run ends by checking and listing what was saved.
//!
//! Mounted at the crate root next to `ds_tools` and `artifacts` by the example and the tests.
#![allow(dead_code)]

use crate::artifacts::{validate_name, ArtifactError, ArtifactInfo, Saved, ToolContext};
use crate::ds_tools::{self, DescribeOptions, Include};
use std::fmt;
use std::path::{Path, PathBuf};

/// One step of the agent's plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The user uploads a file; the `on_upload` callback persists it.
    Upload(PathBuf),
    /// The agent calls a tool; the `after_tool` callback persists its result (or error).
    Tool {
        /// `shape`, `head` or `describe`.
        name: String,
        /// The tool's arguments, as on the `ds_tools` command line after the file.
        args: Vec<String>,
        /// The data file.
        file: PathBuf,
    },
    /// Several tool calls the agent issues at once, as concurrent tasks.
    Parallel(Vec<Step>),
}

/// A plan that uploads `uploads`, then explores `data` with every tool, including one call that
/// fails (numeric statistics of a text column) to show that tool errors are results too.
pub fn default_plan(data: &Path, uploads: &[PathBuf]) -> Vec<Step> {
    let tool = |name: &str, args: &[&str]| Step::Tool {
        name: name.to_string(),
        args: args.iter().map(|s| s.to_string()).collect(),
        file: data.to_path_buf(),
    };
    let mut plan: Vec<Step> = uploads.iter().cloned().map(Step::Upload).collect();
    plan.push(tool("shape", &[]));
    plan.push(tool("head", &["-n", "5"]));
    plan.push(Step::Parallel(vec![
        tool("describe", &[]),
        tool("describe", &["--include", "all"]),
        tool("describe", &["--column", "species"]),
    ]));
    plan
}

/// Why the agent run failed (tool errors are not failures: they are results).
#[derive(Debug)]
pub enum AgentError {
    /// An upload could not be read.
    Upload {
        /// The file.
        file: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// An artifact could not be saved or checked.
    Artifact(ArtifactError),
    /// A saved artifact is missing or differs after the run.
    NotPersisted(Saved),
}

impl fmt::Display for AgentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AgentError::Upload { file, source } => {
                write!(f, "cannot upload {}: {source}", file.display())
            }
            AgentError::Artifact(e) => write!(f, "{e}"),
            AgentError::NotPersisted(s) => write!(f, "artifact {} version {} was not persisted", s.name, s.version),
        }
    }
}

impl std::error::Error for AgentError {}

impl From<ArtifactError> for AgentError {
    fn from(e: ArtifactError) -> Self {
        AgentError::Artifact(e)
    }
}

/// What a run did.
#[derive(Debug)]
pub struct AgentReport {
    /// One line per step: what happened.
    pub transcript: Vec<String>,
    /// Everything saved, in order.
    pub saved: Vec<Saved>,
    /// The store's content after the run.
    pub listing: Vec<ArtifactInfo>,
}

/// Sync callback: persists an uploaded file as artifact `upload-FILENAME`.
pub fn on_upload(ctx: &ToolContext, file: &Path) -> Result<Saved, AgentError> {
    let bytes = std::fs::read(file).map_err(|source| AgentError::Upload { file: file.to_path_buf(), source })?;
    let name = artifact_name("upload", file.file_name().and_then(|s| s.to_str()).unwrap_or("file"));
    let version = ctx.blocking_save_artifact(&name, bytes)?;
    Ok(Saved { name, version })
}

/// Sync callback after every tool call: persists the output (or the error) as artifact
/// `tool-TOOL.txt`, one version per call.
pub fn after_tool(ctx: &ToolContext, tool: &str, output: &Result<String, String>) -> Result<Saved, AgentError> {
    let name = artifact_name("tool", &format!("{tool}.txt"));
    let body = match output {
        Ok(text) => format!("ok\n{text}\n"),
        Err(error) => format!("error\n{error}\n"),
    };
    let version = ctx.blocking_save_artifact(&name, body.into_bytes())?;
    Ok(Saved { name, version })
}

/// A valid artifact name `PREFIX-REST` (characters outside the allowed set become `_`).
fn artifact_name(prefix: &str, rest: &str) -> String {
    let rest: String =
        rest.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect();
    let name = format!("{prefix}-{}", rest.replace("..", "__"));
    if validate_name(&name).is_ok() {
        name
    } else {
        format!("{prefix}-file")
    }
}

/// Sync tool function: runs one `ds_tools` tool through its blocking twin.
pub fn run_tool(name: &str, args: &[String], file: &Path) -> Result<String, String> {
    let file = file.to_path_buf();
    let result = match name {
        "shape" => ds_tools::blocking_shape(file).map(|s| format!("{s:?}")),
        "head" => {
            let n = match args {
                [flag, n] if flag == "-n" => n.parse().map_err(|_| format!("bad row count `{n}`"))?,
                _ => 5,
            };
            ds_tools::blocking_head(file, n).map(|f| f.to_string())
        }
        "describe" => {
            let mut options = DescribeOptions::default();
            let mut it = args.iter();
            while let Some(arg) = it.next() {
                match (arg.as_str(), it.next()) {
                    ("--include", Some(v)) if v == "all" => options.include = Include::All,
                    ("--column", Some(c)) => options.columns.push(c.clone()),
                    (other, _) => return Err(format!("bad describe argument `{other}`")),
                }
            }
            ds_tools::blocking_describe(file, options).map(|d| d.to_string())
        }
        other => return Err(format!("unknown tool `{other}`")),
    };
    result.map_err(|e| e.to_string())
}

/// Sync: one tool call and its callback, as the agent's tool executor runs it.
fn call_tool(ctx: &ToolContext, name: &str, args: &[String], file: &Path) -> Result<String, AgentError> {
    let output = run_tool(name, args, file);
    let saved = after_tool(ctx, name, &output)?;
    let status = match &output {
        Ok(text) => format!("ok, {} lines", text.lines().count()),
        Err(e) => format!("tool error: {e}"),
    };
    let call = std::iter::once(name).chain(args.iter().map(String::as_str)).collect::<Vec<_>>().join(" ");
    Ok(format!("tool {call} -> {status}; saved {} v{}", saved.name, saved.version))
}

/// The async agent loop. Sync tools and callbacks are called straight from the task (no
/// `spawn_blocking`): their blocking twins work in every runtime flavor.
pub async fn run_agent(ctx: ToolContext, plan: Vec<Step>) -> Result<AgentReport, AgentError> {
    let mut transcript = Vec::new();
    for step in plan {
        match step {
            Step::Upload(file) => {
                let saved = on_upload(&ctx, &file)?;
                transcript.push(format!("upload {} -> saved {} v{}", file.display(), saved.name, saved.version));
            }
            Step::Tool { name, args, file } => transcript.push(call_tool(&ctx, &name, &args, &file)?),
            Step::Parallel(steps) => {
                let mut tasks = tokio::task::JoinSet::new();
                for (i, step) in steps.into_iter().enumerate() {
                    let ctx = ctx.clone();
                    tasks.spawn(async move {
                        let line = match step {
                            Step::Tool { name, args, file } => call_tool(&ctx, &name, &args, &file),
                            Step::Upload(file) => on_upload(&ctx, &file)
                                .map(|s| format!("upload {} -> saved {} v{}", file.display(), s.name, s.version)),
                            Step::Parallel(_) => Ok("nested parallel steps are not supported".to_string()),
                        };
                        (i, line)
                    });
                }
                let mut lines = Vec::new();
                while let Some(joined) = tasks.join_next().await {
                    let (i, line) = joined.expect("a tool task panicked");
                    lines.push((i, line?));
                }
                lines.sort();
                transcript.extend(lines.into_iter().map(|(_, line)| format!("(parallel) {line}")));
            }
        }
        tokio::task::yield_now().await;
    }
    // Every save must be on disk: load each version back through the async API.
    let saved = ctx.saved();
    for s in &saved {
        if ctx.load_artifact(&s.name, Some(s.version)).await.is_err() {
            return Err(AgentError::NotPersisted(s.clone()));
        }
    }
    let listing = ctx.list_artifacts().await?;
    Ok(AgentReport { transcript, saved, listing })
}
