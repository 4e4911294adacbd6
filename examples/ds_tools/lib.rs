//! Data-science tools over CSV files: an async loader and the tools `head`, `shape` and
//! `describe`, each an `async fn` with a blocking twin made by `#[sync_facade]`.
//!
//! The statistics follow pandas: missing values are pandas' default `na_values` (`NA`, empty,
//! `NaN`, `null`, `N/A`, ...), a column whose non-missing cells all parse as integers is an integer
//! column unless it has missing cells (then it is a float column, as in pandas), any other cell
//! makes the column text. `describe` computes pandas' `DataFrame.describe()` figures: count of
//! non-missing values, mean, sample standard deviation (ddof = 1), min, 25 % / 50 % / 75 %
//! quantiles with linear interpolation and max for numeric columns; count, unique, top and freq
//! for text columns.
//!
//! This file is a module shared by `examples/ds_tools/main.rs`, the other examples and the
//! integration tests (`#[path = "../examples/ds_tools/lib.rs"] mod ds_tools;`).
#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The strings read as missing values: pandas' default `na_values` for `read_csv`.
pub const NA_VALUES: &[&str] = &[
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA",
    "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// Why a tool failed. Every bad input ends here; the tools never panic on data.
#[derive(Debug)]
pub enum DsError {
    /// The file could not be opened or read.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file has no header line (it is empty or holds only blank lines).
    EmptyCsv {
        /// The file.
        path: PathBuf,
    },
    /// The CSV is malformed, for example a row has more or fewer fields than the header.
    Csv {
        /// The file.
        path: PathBuf,
        /// The parser's message (it names the record and line).
        message: String,
    },
    /// A column asked for does not exist.
    NoSuchColumn {
        /// The name asked for.
        column: String,
        /// The frame's columns.
        available: Vec<String>,
    },
    /// Numeric statistics were asked for a text column.
    NotNumeric {
        /// The column.
        column: String,
    },
    /// The blocking call itself failed (for example it timed out).
    Facade(sync_facade::Error),
}

impl fmt::Display for DsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DsError::Io { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            DsError::EmptyCsv { path } => write!(f, "{} is empty: a CSV file needs at least a header line", path.display()),
            DsError::Csv { path, message } => write!(f, "{} is not valid CSV: {message}", path.display()),
            DsError::NoSuchColumn { column, available } => {
                write!(f, "no column `{column}` (columns: {})", available.join(", "))
            }
            DsError::NotNumeric { column } => write!(
                f,
                "column `{column}` is not numeric: numeric statistics need numbers (use `--include all` for count/unique/top/freq)"
            ),
            DsError::Facade(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for DsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DsError::Io { source, .. } => Some(source),
            DsError::Facade(e) => Some(e),
            _ => None,
        }
    }
}

/// Lets the `flatten` twins return `Result<T, DsError>` directly.
impl From<sync_facade::Error> for DsError {
    fn from(e: sync_facade::Error) -> Self {
        DsError::Facade(e)
    }
}

/// A text column stored in one string arena (no allocation per cell).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextColumn {
    buf: String,
    /// End offset of each cell in `buf`.
    ends: Vec<usize>,
    /// `true` for a missing cell.
    missing: Vec<bool>,
}

impl TextColumn {
    /// The number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// `true` when the column has no cells.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Cell `i`, `None` when missing.
    pub fn get(&self, i: usize) -> Option<&str> {
        if self.missing[i] {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.buf[start..self.ends[i]])
    }

    /// Appends a cell.
    pub fn push(&mut self, cell: Option<&str>) {
        self.buf.push_str(cell.unwrap_or(""));
        self.ends.push(self.buf.len());
        self.missing.push(cell.is_none());
    }

    fn push_missing(&mut self) {
        self.ends.push(self.buf.len());
        self.missing.push(true);
    }

    /// The cells, `None` for missing ones.
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// One column's data. Missing float cells are NaN (as in pandas).
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// Integers without missing cells (pandas `int64`).
    Int(Vec<i64>),
    /// Floats, NaN for missing (pandas `float64`; integer columns with missing cells land here).
    Float(Vec<f64>),
    /// Anything else (pandas `object`).
    Text(TextColumn),
}

impl Column {
    /// The number of cells.
    pub fn len(&self) -> usize {
        match self {
            Column::Int(v) => v.len(),
            Column::Float(v) => v.len(),
            Column::Text(t) => t.len(),
        }
    }

    /// `true` when the column has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `true` for integer and float columns.
    pub fn is_numeric(&self) -> bool {
        !matches!(self, Column::Text(_))
    }

    /// Cell `i`.
    pub fn get(&self, i: usize) -> Value<'_> {
        match self {
            Column::Int(v) => Value::Int(v[i]),
            Column::Float(v) if v[i].is_nan() => Value::Missing,
            Column::Float(v) => Value::Float(v[i]),
            Column::Text(t) => t.get(i).map_or(Value::Missing, Value::Text),
        }
    }

    fn slice(&self, n: usize) -> Column {
        match self {
            Column::Int(v) => Column::Int(v[..n].to_vec()),
            Column::Float(v) => Column::Float(v[..n].to_vec()),
            Column::Text(t) => {
                let mut out = TextColumn::default();
                for i in 0..n {
                    out.push(t.get(i));
                }
                Column::Text(out)
            }
        }
    }
}

/// One cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// A missing value (`NA`, empty, ...), shown as `NaN` like pandas does.
    Missing,
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A text.
    Text(&'a str),
}

/// A table of named, typed columns of equal length.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    names: Vec<String>,
    columns: Vec<Column>,
    rows: usize,
}

impl Frame {
    /// `(rows, columns)`, like pandas' `DataFrame.shape`.
    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.columns.len())
    }

    /// The column names, in file order (duplicates renamed `name.1`, `name.2`, ... as pandas does).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names.iter().position(|n| n == name).map(|i| &self.columns[i])
    }

    /// Cell (`row`, `col`).
    pub fn get(&self, row: usize, col: usize) -> Value<'_> {
        self.columns[col].get(row)
    }

    /// The first `n` rows (all of them when there are fewer).
    pub fn head(&self, n: usize) -> Frame {
        let n = n.min(self.rows);
        Frame { names: self.names.clone(), columns: self.columns.iter().map(|c| c.slice(n)).collect(), rows: n }
    }

    /// pandas' `DataFrame.describe()`; see [`DescribeOptions`].
    pub fn describe(&self, options: &DescribeOptions) -> Result<Description, DsError> {
        let mut picked = Vec::new();
        if options.columns.is_empty() {
            let numeric: Vec<usize> = (0..self.columns.len()).filter(|&i| self.columns[i].is_numeric()).collect();
            // Like pandas: with no numeric column at all, describe the text columns.
            if options.include == Include::All || numeric.is_empty() {
                picked.extend(0..self.columns.len());
            } else {
                picked = numeric;
            }
        } else {
            for name in &options.columns {
                let Some(i) = self.names.iter().position(|n| n == name) else {
                    return Err(DsError::NoSuchColumn { column: name.clone(), available: self.names.clone() });
                };
                if options.include == Include::Numeric && !self.columns[i].is_numeric() {
                    return Err(DsError::NotNumeric { column: name.clone() });
                }
                picked.push(i);
            }
        }
        let summarise = |i: usize| match &self.columns[i] {
            Column::Int(v) => Summary::Numeric(numeric_stats(v.iter().map(|&x| x as f64).collect())),
            Column::Float(v) => Summary::Numeric(numeric_stats(v.iter().copied().filter(|x| !x.is_nan()).collect())),
            Column::Text(t) => Summary::Text(text_stats(t)),
        };
        // Large frames: one scoped thread per column (the statistics are independent).
        let summaries: Vec<Summary> = if self.rows >= 100_000 && picked.len() > 1 {
            std::thread::scope(|scope| {
                let handles: Vec<_> = picked.iter().map(|&i| scope.spawn(move || summarise(i))).collect();
                handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
            })
        } else {
            picked.iter().map(|&i| summarise(i)).collect()
        };
        let columns = picked.iter().map(|&i| self.names[i].clone()).zip(summaries).collect();
        Ok(Description { columns })
    }
}

/// Which columns `describe` summarises when no column is named.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Include {
    /// Numeric columns only (pandas' default; text columns if there is no numeric one).
    #[default]
    Numeric,
    /// Every column (pandas' `include="all"`).
    All,
}

/// Options of `describe`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescribeOptions {
    /// Which columns to summarise when `columns` is empty, and whether text columns are allowed.
    pub include: Include,
    /// Only these columns, in this order (all picked by `include` when empty).
    pub columns: Vec<String>,
}

/// Statistics of a numeric column. NaN where pandas shows NaN (e.g. `std` of one value).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumericStats {
    /// Non-missing values.
    pub count: usize,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (ddof = 1).
    pub std: f64,
    /// Minimum.
    pub min: f64,
    /// 25 % quantile (linear interpolation).
    pub q25: f64,
    /// Median.
    pub q50: f64,
    /// 75 % quantile (linear interpolation).
    pub q75: f64,
    /// Maximum.
    pub max: f64,
}

/// Statistics of a text column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextStats {
    /// Non-missing values.
    pub count: usize,
    /// Distinct non-missing values.
    pub unique: usize,
    /// The most frequent value (the first seen on ties), `None` when all are missing.
    pub top: Option<String>,
    /// How often `top` occurs.
    pub freq: usize,
}

/// The summary of one column.
#[derive(Clone, Debug, PartialEq)]
pub enum Summary {
    /// A numeric column.
    Numeric(NumericStats),
    /// A text column.
    Text(TextStats),
}

/// The result of `describe`: one summary per column; `Display` prints pandas' table.
#[derive(Clone, Debug, PartialEq)]
pub struct Description {
    /// `(column name, summary)` in frame order.
    pub columns: Vec<(String, Summary)>,
}

impl Description {
    /// The summary of column `name`.
    pub fn get(&self, name: &str) -> Option<&Summary> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }
}

/// Neumaier's compensated sum: accurate to the last bits, like numpy's pairwise sum or better.
fn sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for x in values {
        let t = s + x;
        if s.abs() >= x.abs() {
            c += (s - t) + x;
        } else {
            c += (x - t) + s;
        }
        s = t;
    }
    s + c
}

/// numpy's `_lerp`, which `np.quantile(method="linear")` (and so pandas) uses.
fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

/// Puts the values at the sorted positions `ks` (ascending) in place, selecting instead of
/// sorting: O(n) per position.
fn select_positions(values: &mut [f64], ks: &[usize], offset: usize) {
    if ks.is_empty() || values.is_empty() {
        return;
    }
    let mid = ks.len() / 2;
    let k = ks[mid] - offset;
    let (left, _, right) = values.select_nth_unstable_by(k, f64::total_cmp);
    select_positions(left, &ks[..mid], offset);
    select_positions(right, &ks[mid + 1..], offset + k + 1);
}

fn numeric_stats(mut values: Vec<f64>) -> NumericStats {
    let n = values.len();
    if n == 0 {
        let nan = f64::NAN;
        return NumericStats { count: 0, mean: nan, std: nan, min: nan, q25: nan, q50: nan, q75: nan, max: nan };
    }
    let mean = sum(values.iter().copied()) / n as f64;
    let std =
        if n > 1 { (sum(values.iter().map(|x| (x - mean) * (x - mean))) / (n - 1) as f64).sqrt() } else { f64::NAN };
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for &x in &values {
        min = min.min(x);
        max = max.max(x);
    }
    // Select the lower neighbour of each quantile's position; the array is then partitioned
    // around them, so each upper neighbour is the minimum of the slice up to the next selected
    // position: a short scan instead of another selection.
    let position = |q: f64| q * (n - 1) as f64;
    let mut ks: Vec<usize> = [0.25, 0.5, 0.75].iter().map(|&q| position(q).floor() as usize).collect();
    ks.dedup();
    select_positions(&mut values, &ks, 0);
    let quantile = |q: f64| {
        let pos = position(q);
        let lo = pos.floor() as usize;
        let frac = pos - lo as f64;
        if frac == 0.0 {
            return values[lo];
        }
        let end = ks.iter().copied().find(|&k| k > lo).map_or(n, |k| k + 1);
        let hi = values[lo + 1..end].iter().copied().fold(f64::INFINITY, f64::min);
        lerp(values[lo], hi, frac)
    };
    NumericStats { count: n, mean, std, min, q25: quantile(0.25), q50: quantile(0.5), q75: quantile(0.75), max }
}

fn text_stats(t: &TextColumn) -> TextStats {
    // value -> (count, first row), so ties go to the value seen first.
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut count = 0;
    for (row, cell) in t.iter().enumerate() {
        if let Some(s) = cell {
            count += 1;
            counts.entry(s).or_insert((0, row)).0 += 1;
        }
    }
    let top = counts.iter().max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)));
    TextStats {
        count,
        unique: counts.len(),
        top: top.map(|(s, _)| s.to_string()),
        freq: top.map_or(0, |(_, (c, _))| *c),
    }
}

#[inline]
fn is_na(cell: &[u8]) -> bool {
    match cell {
        [] => true,
        // Fast path for numbers: of the NA strings only `1.#IND` and `1.#QNAN` start with a digit.
        [d, rest @ ..] if d.is_ascii_digit() && rest.get(1) != Some(&b'#') => false,
        _ => cell.len() <= 8 && NA_VALUES.iter().any(|na| na.as_bytes() == cell),
    }
}

/// Parses `[+-]digits` (at most 18 digits, so it cannot overflow).
#[inline]
fn parse_int(cell: &[u8]) -> Option<i64> {
    let (neg, digits) = match cell.first()? {
        b'-' => (true, &cell[1..]),
        b'+' => (false, &cell[1..]),
        _ => (false, cell),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(d - b'0');
    }
    Some(if neg { -v } else { v })
}

/// Exact powers of ten: every one of them is a double.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Parses a float. Plain decimals (`-12.345`, at most 15 significant digits) take Clinger's fast
/// path: an exact integer divided by an exact power of ten is correctly rounded. Anything else
/// (exponents, long mantissas, `inf`, surrounding spaces) goes to the standard library.
#[inline]
fn parse_float(cell: &[u8]) -> Option<f64> {
    let (neg, body) = match cell.first()? {
        b'-' => (true, &cell[1..]),
        b'+' => (false, &cell[1..]),
        _ => (false, cell),
    };
    let (mut mantissa, mut digits, mut decimals, mut seen_dot) = (0u64, 0usize, 0usize, false);
    let mut simple = !body.is_empty() && body.len() <= 17;
    if simple {
        for &b in body {
            match b {
                b'0'..=b'9' => {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    digits += 1;
                    decimals += usize::from(seen_dot);
                }
                b'.' if !seen_dot => seen_dot = true,
                _ => {
                    simple = false;
                    break;
                }
            }
        }
    }
    if simple && digits > 0 && digits <= 15 {
        let v = mantissa as f64 / POW10[decimals];
        return Some(if neg { -v } else { v });
    }
    std::str::from_utf8(cell).ok()?.trim().parse().ok()
}

/// Infers a column's type while it is read: integer until a missing or fractional value, float
/// until a non-number, then text. Numeric columns keep only their numbers; a column that turns
/// to text after numbers is re-read at the end to get its cells' exact text.
struct ColumnBuilder {
    /// The cells' bytes (text columns only), validated as UTF-8 at the end.
    bytes: Vec<u8>,
    ends: Vec<usize>,
    missing: Vec<bool>,
    num: Num,
    /// Cells seen so far.
    len: usize,
}

enum Num {
    Int(Vec<i64>),
    Float(Vec<f64>),
    /// Text from the first cell on: `bytes` holds every cell.
    Text,
    /// Text after numbers: the text of the first cells was not kept, the column is re-read.
    Reread,
}

impl ColumnBuilder {
    fn new() -> Self {
        ColumnBuilder { bytes: Vec::new(), ends: Vec::new(), missing: Vec::new(), num: Num::Int(Vec::new()), len: 0 }
    }

    fn to_float(ints: &[i64]) -> Vec<f64> {
        ints.iter().map(|&i| i as f64).collect()
    }

    fn push_text(&mut self, cell: &[u8], missing: bool) {
        self.bytes.extend_from_slice(cell);
        self.ends.push(self.bytes.len());
        self.missing.push(missing);
    }

    #[inline]
    fn push(&mut self, cell: &[u8]) {
        self.len += 1;
        if is_na(cell) {
            match &mut self.num {
                Num::Int(ints) => {
                    let mut floats = Self::to_float(ints);
                    floats.push(f64::NAN);
                    self.num = Num::Float(floats);
                }
                Num::Float(floats) => floats.push(f64::NAN),
                Num::Text => self.push_text(b"", true),
                Num::Reread => {}
            }
            return;
        }
        match &mut self.num {
            Num::Int(ints) => {
                if let Some(i) = parse_int(cell) {
                    ints.push(i);
                } else if let Some(f) = parse_float(cell) {
                    let mut floats = Self::to_float(ints);
                    floats.push(f);
                    self.num = Num::Float(floats);
                } else {
                    self.become_text(cell);
                }
            }
            Num::Float(floats) => match parse_float(cell) {
                Some(f) => floats.push(f),
                None => self.become_text(cell),
            },
            Num::Text => self.push_text(cell, false),
            Num::Reread => {}
        }
    }

    fn become_text(&mut self, cell: &[u8]) {
        if self.len == 1 {
            self.num = Num::Text;
            self.push_text(cell, false);
        } else {
            self.num = Num::Reread;
        }
    }

    fn needs_reread(&self) -> bool {
        matches!(self.num, Num::Reread)
    }

    fn text(bytes: Vec<u8>, ends: Vec<usize>, missing: Vec<bool>) -> TextColumn {
        match String::from_utf8(bytes) {
            Ok(buf) => TextColumn { buf, ends, missing },
            Err(e) => {
                // Invalid UTF-8: replace the bad sequences cell by cell, as `from_utf8_lossy` does.
                let bytes = e.into_bytes();
                let mut out = TextColumn::default();
                let mut start = 0;
                for (&end, &missing) in ends.iter().zip(&missing) {
                    if missing {
                        out.push_missing();
                    } else {
                        out.push(Some(&String::from_utf8_lossy(&bytes[start..end])));
                    }
                    start = end;
                }
                out
            }
        }
    }

    fn finish(self) -> Column {
        match self.num {
            // An empty column is `object` in pandas.
            _ if self.len == 0 => Column::Text(TextColumn::default()),
            Num::Int(v) => Column::Int(v),
            Num::Float(v) => Column::Float(v),
            Num::Text | Num::Reread => Column::Text(Self::text(self.bytes, self.ends, self.missing)),
        }
    }
}

/// pandas' header handling: empty names become `Unnamed: i`, duplicates get `.1`, `.2`, ...
fn column_names(header: &csv_async::ByteRecord) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (i, raw) in header.iter().enumerate() {
        let base = String::from_utf8_lossy(raw).trim().to_string();
        let base = if base.is_empty() { format!("Unnamed: {i}") } else { base };
        let mut name = base.clone();
        let mut k = 1;
        while names.contains(&name) {
            name = format!("{base}.{k}");
            k += 1;
        }
        names.push(name);
    }
    names
}

/// A csv-async error as a [`DsError`] about the file at `path`.
fn csv_error(path: &Path, e: csv_async::Error) -> DsError {
    match e.kind() {
        csv_async::ErrorKind::Io(io) => {
            DsError::Io { path: path.into(), source: std::io::Error::new(io.kind(), io.to_string()) }
        }
        _ => DsError::Csv { path: path.into(), message: e.to_string().trim_start_matches("CSV error: ").to_string() },
    }
}

impl Frame {
    /// A frame from a header record and data records, typed as [`read_csv`] types them.
    pub fn from_records(header: &csv_async::ByteRecord, records: &[csv_async::ByteRecord]) -> Frame {
        let names = column_names(header);
        let mut builders: Vec<ColumnBuilder> = (0..names.len()).map(|_| ColumnBuilder::new()).collect();
        for record in records {
            for (builder, cell) in builders.iter_mut().zip(record.iter()) {
                builder.push(cell);
            }
        }
        for (i, builder) in builders.iter_mut().enumerate().filter(|(_, b)| b.needs_reread()) {
            for record in records {
                let cell = record.get(i).unwrap_or_default();
                builder.push_text(cell, is_na(cell));
            }
        }
        Frame { names, columns: builders.into_iter().map(ColumnBuilder::finish).collect(), rows: records.len() }
    }
}

/// Where the [`rows`] stream stands.
enum RowsState {
    Closed(PathBuf),
    Open(PathBuf, csv_async::ByteRecordsIntoStream<'static, tokio::fs::File>),
    Done,
}

/// Tool `rows`: the records of the CSV file at `path` as a stream (csv-async's record stream),
/// the header line first, then one record per row.
///
/// The file is read only as far as the stream is walked: the first rows of a huge file cost a
/// buffer or two. A record with more or fewer fields than the header is an error item (the last
/// one), as is a file that cannot be opened; a file without any line yields nothing.
///
/// Sync code walks it through its twin, `blocking_rows`: an iterator whose every `next()` is one
/// blocking call (30 s each), in any calling context.
#[sync_facade::sync_facade(timeout = 30)]
pub fn rows(
    path: PathBuf,
) -> impl futures_core::Stream<Item = Result<csv_async::ByteRecord, DsError>> + Send + 'static {
    async fn advance(
        path: PathBuf,
        mut records: csv_async::ByteRecordsIntoStream<'static, tokio::fs::File>,
    ) -> Option<(Result<csv_async::ByteRecord, DsError>, RowsState)> {
        use futures::StreamExt;
        match records.next().await? {
            Ok(record) => Some((Ok(record), RowsState::Open(path, records))),
            Err(e) => Some((Err(csv_error(&path, e)), RowsState::Done)),
        }
    }
    futures::stream::unfold(RowsState::Closed(path), |state| async move {
        match state {
            RowsState::Closed(path) => match tokio::fs::File::open(&path).await {
                Err(source) => Some((Err(DsError::Io { path, source }), RowsState::Done)),
                Ok(file) => {
                    let records = csv_async::AsyncReaderBuilder::new()
                        .has_headers(false)
                        .flexible(false)
                        .buffer_capacity(64 * 1024)
                        .create_reader(file)
                        .into_byte_records();
                    advance(path, records).await
                }
            },
            RowsState::Open(path, records) => advance(path, records).await,
            RowsState::Done => None,
        }
    })
}

/// The first `n` rows of a record stream (as [`rows`] yields it) as a [`Frame`], walking no
/// further than that: the sync side of `head`, over any iterator of records.
pub fn head_of(
    path: &Path,
    mut records: impl Iterator<Item = Result<csv_async::ByteRecord, DsError>>,
    n: usize,
) -> Result<Frame, DsError> {
    let header = match records.next() {
        None => return Err(DsError::EmptyCsv { path: path.into() }),
        Some(header) => header?,
    };
    if header.is_empty() {
        return Err(DsError::EmptyCsv { path: path.into() });
    }
    let rows = records.take(n).collect::<Result<Vec<_>, _>>()?;
    Ok(Frame::from_records(&header, &rows))
}

/// Reads a CSV file with a header line into a [`Frame`] (async: `tokio::fs` + `csv-async`).
///
/// Rows with more or fewer fields than the header are an error (with the line number), as is a
/// file without a header.
pub async fn read_csv(path: &Path) -> Result<Frame, DsError> {
    let file = tokio::fs::File::open(path).await.map_err(|source| DsError::Io { path: path.into(), source })?;
    let mut reader = csv_async::AsyncReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .buffer_capacity(1 << 20)
        .create_reader(file);
    let csv_error = |e: csv_async::Error| csv_error(path, e);
    let header = reader.byte_headers().await.map_err(csv_error)?.clone();
    if header.is_empty() {
        return Err(DsError::EmptyCsv { path: path.into() });
    }
    let names = column_names(&header);
    // A pipeline over two threads: this task parses CSV records (csv-async) in batches, a
    // blocking-pool thread types and stores their cells. Batches are recycled.
    let (full_tx, mut full_rx) = tokio::sync::mpsc::channel::<Vec<csv_async::ByteRecord>>(4);
    let (empty_tx, mut empty_rx) = tokio::sync::mpsc::unbounded_channel::<Vec<csv_async::ByteRecord>>();
    let columns = names.len();
    let builder = tokio::task::spawn_blocking(move || {
        let mut builders: Vec<ColumnBuilder> = (0..columns).map(|_| ColumnBuilder::new()).collect();
        while let Some(batch) = full_rx.blocking_recv() {
            for record in &batch {
                for (builder, cell) in builders.iter_mut().zip(record.iter()) {
                    builder.push(cell);
                }
            }
            let _ = empty_tx.send(batch);
        }
        builders
    });
    const BATCH: usize = 4096;
    let mut rows = 0;
    let mut record = csv_async::ByteRecord::new();
    loop {
        let mut batch = empty_rx.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH));
        let mut filled = 0;
        while filled < BATCH {
            if filled == batch.len() {
                batch.push(csv_async::ByteRecord::new());
            }
            if !reader.read_byte_record(&mut batch[filled]).await.map_err(csv_error)? {
                break;
            }
            filled += 1;
        }
        batch.truncate(filled);
        rows += filled;
        if filled == 0 || full_tx.send(batch).await.is_err() || filled < BATCH {
            break;
        }
    }
    drop(full_tx);
    let mut builders = builder.await.map_err(|e| match e.try_into_panic() {
        Ok(panic) => std::panic::resume_unwind(panic),
        Err(e) => DsError::Io { path: path.into(), source: std::io::Error::other(e) },
    })?;
    // Columns that turned to text after numbers: a second pass collects their exact text.
    let reread: Vec<usize> = (0..builders.len()).filter(|&i| builders[i].needs_reread()).collect();
    if !reread.is_empty() {
        let file = tokio::fs::File::open(path).await.map_err(|source| DsError::Io { path: path.into(), source })?;
        let mut reader =
            csv_async::AsyncReaderBuilder::new().has_headers(true).buffer_capacity(1 << 20).create_reader(file);
        while reader.read_byte_record(&mut record).await.map_err(csv_error)? {
            for &i in &reread {
                let cell = record.get(i).unwrap_or_default();
                builders[i].push_text(cell, is_na(cell));
            }
        }
        if reread.iter().any(|&i| builders[i].ends.len() != rows) {
            return Err(DsError::Csv { path: path.into(), message: "the file changed while it was read".into() });
        }
    }
    Ok(Frame { names, columns: builders.into_iter().map(ColumnBuilder::finish).collect(), rows })
}

// ---------------------------------------------------------------------------------------------
// The tools. Each is an async fn; `#[sync_facade]` gives it a blocking twin `blocking_<name>`
// callable from any sync code: a plain thread, a task of a current_thread or multi_thread
// runtime, `spawn_blocking`, ... With `flatten`, the twin returns `Result<T, DsError>`: a failed
// blocking call (e.g. a timeout) becomes `DsError::Facade`.
// ---------------------------------------------------------------------------------------------

/// Tool `head`: the first `n` rows of the CSV file at `path`, read as far as they go (a
/// malformed row after them is not seen).
#[sync_facade::sync_facade(timeout = 30, flatten)]
pub async fn head(path: PathBuf, n: usize) -> Result<Frame, DsError> {
    use futures::StreamExt;
    // The header and `n` records at most (the stream ends after an error, which `head_of` returns).
    let records: Vec<_> = rows(path.clone()).take(n.saturating_add(1)).collect().await;
    head_of(&path, records.into_iter(), n)
}

/// Tool `shape`: `(rows, columns)` of the CSV file at `path`.
#[sync_facade::sync_facade(timeout = 30, flatten)]
pub async fn shape(path: PathBuf) -> Result<(usize, usize), DsError> {
    Ok(read_csv(&path).await?.shape())
}

/// Tool `describe`: pandas' `describe()` of the CSV file at `path`.
#[sync_facade::sync_facade(timeout = 30, flatten)]
pub async fn describe(path: PathBuf, options: DescribeOptions) -> Result<Description, DsError> {
    let frame = read_csv(&path).await?;
    // The statistics are CPU work: keep them off the async worker threads.
    match tokio::task::spawn_blocking(move || frame.describe(&options)).await {
        Ok(description) => description,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

// ---------------------------------------------------------------------------------------------
// Display: pandas-like aligned tables.
// ---------------------------------------------------------------------------------------------

/// Writes a table: a left-aligned index column, then right-aligned columns two spaces apart.
fn write_table(f: &mut fmt::Formatter<'_>, header: &[String], index: &[String], cells: &[Vec<String>]) -> fmt::Result {
    let index_width = index.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = header
        .iter()
        .enumerate()
        .map(|(c, h)| cells.iter().map(|row| row[c].chars().count()).chain([h.chars().count()]).max().unwrap_or(0))
        .collect();
    write!(f, "{:index_width$}", "")?;
    for (h, w) in header.iter().zip(&widths) {
        write!(f, "  {h:>w$}")?;
    }
    for (label, row) in index.iter().zip(cells) {
        write!(f, "\n{label:<index_width$}")?;
        for (cell, w) in row.iter().zip(&widths) {
            write!(f, "  {cell:>w$}")?;
        }
    }
    Ok(())
}

/// Formats a float column's cells with the fewest decimals (at least one, at most six) that
/// show every value, as pandas does.
fn float_cells(values: &[f64]) -> Vec<String> {
    let decimals = values
        .iter()
        .filter(|v| v.is_finite())
        .map(|v| {
            let s = format!("{v:.6}");
            let frac = s.split('.').nth(1).unwrap_or("");
            frac.trim_end_matches('0').len()
        })
        .max()
        .unwrap_or(1)
        .max(1);
    values.iter().map(|v| if v.is_nan() { "NaN".to_string() } else { format!("{v:.decimals$}") }).collect()
}

impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns: Vec<Vec<String>> = self
            .columns
            .iter()
            .map(|c| match c {
                Column::Int(v) => v.iter().map(i64::to_string).collect(),
                Column::Float(v) => float_cells(v),
                Column::Text(t) => t.iter().map(|s| s.unwrap_or("NaN").to_string()).collect(),
            })
            .collect();
        let cells: Vec<Vec<String>> = (0..self.rows).map(|r| columns.iter().map(|c| c[r].clone()).collect()).collect();
        let index: Vec<String> = (0..self.rows).map(|r| r.to_string()).collect();
        write_table(f, &self.names, &index, &cells)
    }
}

impl fmt::Display for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let any_text = self.columns.iter().any(|(_, s)| matches!(s, Summary::Text(_)));
        let any_numeric = self.columns.iter().any(|(_, s)| matches!(s, Summary::Numeric(_)));
        let mut labels: Vec<&str> = vec!["count"];
        if any_text {
            labels.extend(["unique", "top", "freq"]);
        }
        if any_numeric {
            labels.extend(["mean", "std", "min", "25%", "50%", "75%", "max"]);
        }
        let num = |x: f64| {
            if x.is_nan() {
                "NaN".to_string()
            } else {
                format!("{x:.6}")
            }
        };
        let na = || "NaN".to_string();
        let columns: Vec<Vec<String>> = self
            .columns
            .iter()
            .map(|(_, s)| {
                labels
                    .iter()
                    .map(|&label| match (s, label) {
                        (Summary::Numeric(n), "count") => num(n.count as f64),
                        (Summary::Numeric(n), "mean") => num(n.mean),
                        (Summary::Numeric(n), "std") => num(n.std),
                        (Summary::Numeric(n), "min") => num(n.min),
                        (Summary::Numeric(n), "25%") => num(n.q25),
                        (Summary::Numeric(n), "50%") => num(n.q50),
                        (Summary::Numeric(n), "75%") => num(n.q75),
                        (Summary::Numeric(n), "max") => num(n.max),
                        (Summary::Text(t), "count") => t.count.to_string(),
                        (Summary::Text(t), "unique") => t.unique.to_string(),
                        (Summary::Text(t), "top") => t.top.clone().unwrap_or_else(na),
                        (Summary::Text(t), "freq") if t.top.is_some() => t.freq.to_string(),
                        _ => na(),
                    })
                    .collect()
            })
            .collect();
        let header: Vec<String> = self.columns.iter().map(|(n, _)| n.clone()).collect();
        let index: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
        let cells: Vec<Vec<String>> =
            (0..labels.len()).map(|r| columns.iter().map(|c| c[r].clone()).collect()).collect();
        write_table(f, &header, &index, &cells)
    }
}
