//! Where an annotated `async fn` stands: at module level, in an inherent `impl`, in a trait impl.
//!
//! The attribute on a single function receives the same tokens wherever the function is written,
//! but its twin must differ: at module level it calls `name(..)`, in an inherent `impl` it must
//! call `Self::name(..)`, and in a trait impl there is no room for a twin at all (a trait impl may
//! only define the trait's items). So the attribute reads the enclosing block's header from the
//! source file the function's name comes from (`proc_macro::Span::local_file`, rustc 1.88 and later), the way
//! `proc-macro-crate` reads `Cargo.toml`.
//!
//! This only ever improves on the placement-blind expansion: whatever cannot be read with
//! certainty (no file, as under rust-analyzer or before rustc 1.88; a name that is not at its
//! span's place in the file, as in a macro's expansion; a header that is not a plain `impl`,
//! `trait`, `mod` or `fn`) is [`Placement::Unknown`], and the function expands as at module level.

use proc_macro2::Ident;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What encloses an annotated function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// The top of a file, a `mod` block or a function body: a bare name reaches the function.
    Module,
    /// An inherent `impl Type { .. }`.
    InherentImpl,
    /// `impl Trait for Type { .. }`, with both as written (whitespace collapsed).
    TraitImpl { trait_path: String, self_ty: String },
    /// Could not be read (see the module docs).
    Unknown,
}

/// The placement of the function named `name`, read from the file its span points into.
pub fn of(name: &Ident) -> Placement {
    let Some((path, line, column)) = locate(name) else { return Placement::Unknown };
    let Some(file) = lexed(path) else { return Placement::Unknown };
    classify(&file, line, column, &name.to_string())
}

/// The file, line (from 1) and column (from 0, in characters) of `name`, when the compiler tells
/// them (`build.rs` sets `sync_facade_span_file` on rustc 1.88 and later).
#[cfg(sync_facade_span_file)]
#[clippy::msrv = "1.88"] // compiled only there (`build.rs`)
fn locate(name: &Ident) -> Option<(PathBuf, usize, usize)> {
    // Outside a macro expansion (this crate's unit tests) there is no compiler to ask.
    if !proc_macro::is_available() {
        return None;
    }
    let span = name.span().unwrap();
    Some((span.local_file()?, span.line(), span.column().checked_sub(1)?))
}

#[cfg(not(sync_facade_span_file))]
fn locate(_: &Ident) -> Option<(PathBuf, usize, usize)> {
    None
}

/// A source file, its tokens, and the enclosing block of every function name in it.
pub(crate) struct Lexed {
    source: String,
    tokens: Vec<Token>,
    /// The byte offset each line starts at (a token's line and column are derived from it).
    line_starts: Vec<usize>,
    /// Every name after `fn` (its token's index), in file order, with what is around it.
    names: Vec<(usize, Around)>,
}

/// What is around a name in a file.
#[derive(Clone, Copy)]
enum Around {
    /// Nothing: the top of the file.
    Top,
    /// A delimiter: the index of its opening token, and of the first token of its header.
    Group { open: usize, header: usize },
    /// The text before the name closes more than it opens: not read.
    Unbalanced,
}

impl Lexed {
    // Input:  a file's text
    // Output: its tokens, and in one pass over them, the open delimiters around each `fn` name
    //         (so that a file of many annotated functions is walked once, not once per function)
    pub(crate) fn new(source: String) -> Lexed {
        let tokens = lex(&source);
        let mut names = Vec::new();
        // The open delimiters, each with where its header starts (just after the previous `;`,
        // `}` or opening delimiter at its own depth).
        let mut open: Vec<(usize, usize)> = Vec::new();
        let mut item_start = 0;
        let mut balanced = true;
        for (i, t) in tokens.iter().enumerate() {
            match t.kind {
                Kind::Open => {
                    open.push((i, item_start));
                    item_start = i + 1;
                }
                Kind::Close => match open.pop() {
                    // A `{ .. }` ends an item; `( .. )` and `[ .. ]` belong to the one they are in.
                    Some((_, outer)) => item_start = if t.text(&source) == "}" { i + 1 } else { outer },
                    None => balanced = false, // not a file this reads with certainty
                },
                Kind::Punct if t.text(&source) == ";" => item_start = i + 1,
                Kind::Ident if i > 0 && tokens[i - 1].text(&source) == "fn" => {
                    let around = match open.last() {
                        _ if !balanced => Around::Unbalanced,
                        None => Around::Top,
                        Some(&(open, header)) => Around::Group { open, header },
                    };
                    names.push((i, around));
                }
                _ => {}
            }
        }
        let line_starts = std::iter::once(0).chain(source.match_indices('\n').map(|(at, _)| at + 1)).collect();
        Lexed { source, tokens, line_starts, names }
    }

    /// The line (from 1) of the byte at `at`.
    fn line(&self, at: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= at)
    }

    /// The column (from 0, in characters) of the byte at `at`.
    fn column(&self, at: usize) -> usize {
        let start = self.line_starts[self.line(at) - 1];
        self.source.get(start..at).map_or(0, |s| s.chars().count())
    }
}

/// The file at `path`, lexed. A crate's files hold many annotated functions, and rustc may
/// expand a file's functions around those of a module file it includes: each file lexed is kept
/// by path while its length and modification time are unchanged (a long-lived macro server, as
/// rust-analyzer's, sees edits).
pub(crate) fn lexed(path: PathBuf) -> Option<Arc<Lexed>> {
    type Stamp = (u64, Option<std::time::SystemTime>);
    type Files = HashMap<PathBuf, (Stamp, Arc<Lexed>)>;
    static FILES: Mutex<Option<Files>> = Mutex::new(None);
    let meta = std::fs::metadata(&path).ok()?;
    let stamp = (meta.len(), meta.modified().ok());
    let mut files = FILES.lock().unwrap_or_else(|e| e.into_inner());
    let files = files.get_or_insert_with(HashMap::new);
    if let Some((s, file)) = files.get(&path) {
        if *s == stamp {
            return Some(file.clone());
        }
    }
    let file = Arc::new(Lexed::new(std::fs::read_to_string(&path).ok()?));
    files.insert(path, (stamp, file.clone()));
    Some(file)
}

// Input:  a lexed file, and where the function's name is in it (line from 1, column from 0, in
//         characters)
// Output: the placement of the innermost `{ .. }` block around that name
pub(crate) fn classify(file: &Lexed, line: usize, column: usize, name: &str) -> Placement {
    let (source, tokens) = (file.source.as_str(), file.tokens.as_slice());
    let name = name.strip_prefix("r#").unwrap_or(name);
    // The `fn` names on that line (they are in file order).
    let first = file.names.partition_point(|&(i, _)| file.line(tokens[i].start) < line);
    let on_line: Vec<_> = file.names[first..]
        .iter()
        .take_while(|&&(i, _)| file.line(tokens[i].start) == line)
        .filter(|&&(i, _)| tokens[i].text(source).trim_start_matches("r#") == name)
        .collect();
    let found = match on_line.iter().find(|&&&(i, _)| file.column(tokens[i].start) == column) {
        Some(found) => found,
        None if on_line.len() == 1 => on_line[0],
        None => return Placement::Unknown, // the name is not where its span says (a macro moved it)
    };
    match found.1 {
        Around::Unbalanced => Placement::Unknown,
        Around::Top => Placement::Module,
        Around::Group { open, .. } if tokens[open].text(source) != "{" => Placement::Unknown,
        Around::Group { open, header: start } => header(source, &tokens[start..open]),
    }
}

// Input:  the tokens of a block's header, e.g. `#[cfg(x)] unsafe impl<T> Tr for X<T> where ..`
// Output: what that block is, `Unknown` unless it is a plain `impl`, `mod` or `fn`
fn header(source: &str, tokens: &[Token]) -> Placement {
    let text = |t: &Token| t.text(source);
    let mut i = 0;
    // Outer attributes, visibility and qualifiers.
    loop {
        match tokens.get(i).map(text) {
            Some("#") => {
                let Some(end) = tokens.get(i + 1).filter(|t| text(t) == "[").and_then(|_| matching(tokens, i + 1))
                else {
                    return Placement::Unknown;
                };
                i = end + 1;
            }
            Some("pub") => {
                i += 1;
                if tokens.get(i).map(text) == Some("(") {
                    let Some(end) = matching(tokens, i) else { return Placement::Unknown };
                    i = end + 1;
                }
            }
            Some("unsafe" | "default" | "async" | "const") => i += 1,
            Some("extern") => {
                i += 1;
                if tokens.get(i).is_some_and(|t| t.kind == Kind::Literal) {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    match tokens.get(i).map(text) {
        Some("mod" | "fn") => Placement::Module,
        Some("impl") => impl_header(source, &tokens[i + 1..]),
        _ => Placement::Unknown,
    }
}

// Input:  what follows `impl` in an `impl` block's header: `<T> Trait for Type<T> where ..`
// Output: `TraitImpl` if a `for` stands outside every bracket (and is not the `for<'a>` of a
//         higher-ranked bound), else `InherentImpl`
fn impl_header(source: &str, tokens: &[Token]) -> Placement {
    let text = |t: &Token| t.text(source);
    // The `>` of `->` closes nothing.
    let arrow = |i: usize| i > 0 && text(&tokens[i - 1]) == "-" && tokens[i - 1].end == tokens[i].start;
    let mut depth = 0usize; // of `<>`, `()` and `[]` together
    let mut split = None;
    let mut end = tokens.len();
    // The trait path starts after the impl's own generics: after the `>` that closes a leading `<`.
    let generics = tokens.first().map(text) == Some("<");
    let mut first = 0;
    for (i, t) in tokens.iter().enumerate() {
        match text(t) {
            "<" | "(" | "[" => depth += 1,
            ">" if arrow(i) => {}
            ">" | ")" | "]" => {
                depth = depth.saturating_sub(1);
                if depth == 0 && generics && first == 0 {
                    first = i + 1;
                }
            }
            "for" if depth == 0 && tokens.get(i + 1).map(text) != Some("<") && split.is_none() => split = Some(i),
            "where" if depth == 0 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let Some(split) = split else { return Placement::InherentImpl };
    let span_text = |from: usize, to: usize| -> String {
        match (tokens.get(from), to.checked_sub(1).and_then(|l| tokens.get(l))) {
            (Some(a), Some(b)) if from < to => source[a.start..b.end].split_whitespace().collect::<Vec<_>>().join(" "),
            _ => String::new(),
        }
    };
    let trait_path = span_text(first, split);
    let self_ty = span_text(split + 1, end);
    if trait_path.is_empty() || self_ty.is_empty() {
        return Placement::Unknown;
    }
    Placement::TraitImpl { trait_path, self_ty }
}

/// The index of the delimiter closing the one at `open` (all within `tokens`).
fn matching(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An identifier or keyword (raw ones included).
    Ident,
    /// A lifetime or label.
    Lifetime,
    /// A string, char, byte or number literal.
    Literal,
    Open,
    Close,
    /// A single punctuation character (`->` is `-` then `>`).
    Punct,
}

#[derive(Debug)]
pub(crate) struct Token {
    kind: Kind,
    /// Byte range in the source.
    start: usize,
    end: usize,
}

impl Token {
    fn text<'s>(&self, source: &'s str) -> &'s str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

// Input:  Rust source text
// Output: its tokens, with comments and the insides of literals skipped, and `<`/`>` as
//         punctuation (the brackets that matter here are `{}`, `()` and `[]`)
// Works on bytes with plain loops: the attribute lexes each file once, in a debug build of the
// macro, and most of a file is whitespace, comments and bodies. Any non-ASCII byte counts as part
// of an identifier (non-ASCII text outside literals and comments is identifiers).
fn lex(source: &str) -> Vec<Token> {
    let b = source.as_bytes();
    let n = b.len();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < n {
        let c = b[i];
        let start = i;
        let kind;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        } else if c == b'/' && i + 1 < n && b[i + 1] == b'/' {
            while i < n && b[i] != b'\n' {
                i += 1;
            }
            continue;
        } else if c == b'/' && i + 1 < n && b[i + 1] == b'*' {
            let mut depth = 0usize;
            while i < n {
                if b[i] == b'/' && i + 1 < n && b[i + 1] == b'*' {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && i + 1 < n && b[i + 1] == b'/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            continue;
        } else if c == b'"' {
            i = skip_quoted(b, i + 1, b'"');
            kind = Kind::Literal;
        } else if c == b'\'' {
            // A char literal ('a', '{', '\n', '\u{1F600}', 'é') or a lifetime ('a, 'static).
            let next_len = b.get(i + 1).map_or(1, |&c| utf8_len(c));
            if b.get(i + 1) == Some(&b'\\') || b.get(i + 1 + next_len) == Some(&b'\'') {
                i = skip_quoted(b, i + 1, b'\'');
                kind = Kind::Literal;
            } else {
                i += 1;
                while i < n && word(b[i]) {
                    i += 1;
                }
                kind = Kind::Lifetime;
            }
        } else if word(c) && !c.is_ascii_digit() {
            while i < n && word(b[i]) {
                i += 1;
            }
            let raw_prefix = matches!(&b[start..i], b"r" | b"br" | b"cr");
            if let Some(end) = raw_string_end(b, i).filter(|_| raw_prefix) {
                i = end;
                kind = Kind::Literal;
            } else {
                if &b[start..i] == b"r" && i < n && b[i] == b'#' {
                    // A raw identifier, `r#type`.
                    i += 1;
                    while i < n && word(b[i]) {
                        i += 1;
                    }
                }
                kind = Kind::Ident;
            }
        } else if c.is_ascii_digit() {
            // `1..2` is a range, not a float: stop before two dots.
            while i < n && (word(b[i]) || (b[i] == b'.' && b.get(i + 1) != Some(&b'.'))) {
                i += 1;
            }
            kind = Kind::Literal;
        } else {
            kind = match c {
                b'{' | b'(' | b'[' => Kind::Open,
                b'}' | b')' | b']' => Kind::Close,
                _ => Kind::Punct,
            };
            i += 1;
        }
        tokens.push(Token { kind, start, end: i });
    }
    tokens
}

/// The length of the UTF-8 character that starts with byte `c`.
fn utf8_len(c: u8) -> usize {
    match c {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// The index just past the closing `quote` of a literal whose contents start at `from`.
fn skip_quoted(b: &[u8], from: usize, quote: u8) -> usize {
    let mut j = from;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            c if c == quote => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// For a raw string whose `#`s or opening `"` start at `from`: the index just past its end.
fn raw_string_end(b: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    let mut hashes = 0;
    while j < b.len() && b[j] == b'#' {
        hashes += 1;
        j += 1;
    }
    if j >= b.len() || b[j] != b'"' {
        return None;
    }
    j += 1;
    while j < b.len() {
        if b[j] == b'"' && b[j + 1..].len() >= hashes && b[j + 1..j + 1 + hashes].iter().all(|&c| c == b'#') {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(b.len())
}
