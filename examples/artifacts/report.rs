//! The artifact generator: sync code that renders a CSV file's statistics as a Markdown report,
//! a JSON summary and a CSV table, and saves them through the blocking twins of the async tools
//! (`ds_tools::blocking_describe`, `ToolContext::blocking_save_artifact`).
//!
//! Mounted next to `ds_tools` and `artifacts` at the crate root (`crate::ds_tools`,
//! `crate::artifacts`) by the examples and the tests.
#![allow(dead_code)]

use crate::artifacts::{validate_name, ArtifactError, Saved, ToolContext};
use crate::ds_tools::{self, DescribeOptions, Description, DsError, Include, Summary};
use std::fmt::{self, Write as _};
use std::path::Path;

/// Why generating failed.
#[derive(Debug)]
pub enum GenerateError {
    /// The data could not be analysed.
    Data(DsError),
    /// An artifact could not be saved.
    Artifact(ArtifactError),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::Data(e) => write!(f, "{e}"),
            GenerateError::Artifact(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for GenerateError {}

impl From<DsError> for GenerateError {
    fn from(e: DsError) -> Self {
        GenerateError::Data(e)
    }
}

impl From<ArtifactError> for GenerateError {
    fn from(e: ArtifactError) -> Self {
        GenerateError::Artifact(e)
    }
}

/// A valid artifact name stem from a file name (`penguins.csv` -> `penguins`).
pub fn stem(data: &Path) -> String {
    let raw = data.file_stem().and_then(|s| s.to_str()).unwrap_or("data");
    let cleaned: String =
        raw.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    if validate_name(&cleaned).is_ok() {
        cleaned
    } else {
        "data".to_string()
    }
}

/// Sync: describes `data` and saves `STEM-report.md`, `STEM-summary.json` and
/// `STEM-describe.csv` through `ctx`'s blocking twins. Returns what was saved.
pub fn generate(ctx: &ToolContext, data: &Path) -> Result<Vec<Saved>, GenerateError> {
    let (rows, cols) = ds_tools::blocking_shape(data.to_path_buf())?;
    let options = DescribeOptions { include: Include::All, columns: vec![] };
    let description = ds_tools::blocking_describe(data.to_path_buf(), options)?;
    let stem = stem(data);
    let file = data.display().to_string();
    let parts = [
        (format!("{stem}-report.md"), markdown(&file, rows, cols, &description)),
        (format!("{stem}-summary.json"), json(&file, rows, cols, &description)),
        (format!("{stem}-describe.csv"), csv(&description)),
    ];
    let mut saved = Vec::new();
    for (name, text) in parts {
        let version = ctx.blocking_save_artifact(&name, text.into_bytes())?;
        saved.push(Saved { name, version });
    }
    Ok(saved)
}

const NUMERIC_ROWS: [&str; 8] = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"];

fn numeric_values(s: &Summary) -> Option<[f64; 8]> {
    match s {
        Summary::Numeric(n) => Some([n.count as f64, n.mean, n.std, n.min, n.q25, n.q50, n.q75, n.max]),
        Summary::Text(_) => None,
    }
}

/// A Markdown report: shape, one table of numeric statistics, one of text statistics.
pub fn markdown(file: &str, rows: usize, cols: usize, d: &Description) -> String {
    let mut out = format!("# Summary of `{file}`\n\n{rows} rows, {cols} columns.\n");
    let numeric: Vec<_> = d.columns.iter().filter_map(|(n, s)| Some((n, numeric_values(s)?))).collect();
    if !numeric.is_empty() {
        out.push_str("\n## Numeric columns\n\n| column |");
        for label in NUMERIC_ROWS {
            let _ = write!(out, " {label} |");
        }
        out.push_str("\n|---|");
        out.push_str(&"---:|".repeat(NUMERIC_ROWS.len()));
        for (name, values) in numeric {
            let _ = write!(out, "\n| {name} |");
            for v in values {
                let _ = write!(out, " {v:.6} |");
            }
        }
        out.push('\n');
    }
    let text: Vec<_> = d
        .columns
        .iter()
        .filter_map(|(n, s)| match s {
            Summary::Text(t) => Some((n, t)),
            Summary::Numeric(_) => None,
        })
        .collect();
    if !text.is_empty() {
        out.push_str("\n## Text columns\n\n| column | count | unique | top | freq |\n|---|---:|---:|---|---:|");
        for (name, t) in text {
            let top = t.top.as_deref().unwrap_or("");
            let _ = write!(out, "\n| {name} | {} | {} | {top} | {} |", t.count, t.unique, t.freq);
        }
        out.push('\n');
    }
    out
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_number(x: f64) -> String {
    if x.is_finite() {
        format!("{x:?}")
    } else {
        "null".to_string()
    }
}

/// A JSON summary: `{"file", "rows", "columns", "describe": {column: {statistic: value}}}`.
pub fn json(file: &str, rows: usize, cols: usize, d: &Description) -> String {
    let mut out = format!(
        "{{\n  \"file\": {},\n  \"rows\": {rows},\n  \"columns\": {cols},\n  \"describe\": {{",
        json_string(file)
    );
    for (i, (name, s)) in d.columns.iter().enumerate() {
        let fields: Vec<String> = match s {
            Summary::Numeric(_) => {
                let values = numeric_values(s).unwrap_or([f64::NAN; 8]);
                let mut fields = vec![format!("\"count\": {}", values[0])];
                fields.extend(
                    NUMERIC_ROWS[1..]
                        .iter()
                        .zip(&values[1..])
                        .map(|(k, &v)| format!("{}: {}", json_string(k), json_number(v))),
                );
                fields
            }
            Summary::Text(t) => vec![
                format!("\"count\": {}", t.count),
                format!("\"unique\": {}", t.unique),
                format!("\"top\": {}", t.top.as_deref().map_or("null".to_string(), json_string)),
                format!("\"freq\": {}", t.freq),
            ],
        };
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(out, "{sep}\n    {}: {{{}}}", json_string(name), fields.join(", "));
    }
    out.push_str("\n  }\n}\n");
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV table: one row per column, one field per statistic (empty where not applicable).
pub fn csv(d: &Description) -> String {
    let mut out = String::from("column,count,unique,top,freq,mean,std,min,25%,50%,75%,max\n");
    for (name, s) in &d.columns {
        let fields: Vec<String> = match s {
            Summary::Numeric(_) => {
                let v = numeric_values(s).unwrap_or([f64::NAN; 8]);
                let num = |x: f64| {
                    if x.is_nan() {
                        String::new()
                    } else {
                        format!("{x:?}")
                    }
                };
                let mut f = vec![v[0].to_string(), String::new(), String::new(), String::new()];
                f.extend(v[1..].iter().map(|&x| num(x)));
                f
            }
            Summary::Text(t) => {
                let mut f = vec![
                    t.count.to_string(),
                    t.unique.to_string(),
                    csv_field(t.top.as_deref().unwrap_or("")),
                    t.freq.to_string(),
                ];
                f.extend(std::iter::repeat_n(String::new(), 7));
                f
            }
        };
        let _ = writeln!(out, "{},{}", csv_field(name), fields.join(","));
    }
    out
}
