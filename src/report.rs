//! The build report (`--report FILE`): what each compilation was read from,
//! what came out of it, its warnings and errors, and stage timings. A
//! versioned JSON interface for CI; two runs on the same inputs give the same
//! report apart from `timings_ms`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::{Origin, Warning};

/// Why shard reports cannot be merged; `from` names a report by where it was read.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{from}: report version {version} cannot be merged into version {REPORT_VERSION}")]
    Version { from: String, version: u32 },
    #[error("{from}: `{shard}` is not a shard (K/N)")]
    NotAShard { from: String, shard: String },
    #[error("{from} is a shard of {count} and {other} a shard of {other_count}: shards of one batch share N")]
    Counts { from: String, count: u64, other: String, other_count: u64 },
    #[error("shard {shard} is in both {other} and {from}")]
    Twice { shard: String, other: String, from: String },
    #[error("{whole} is a whole batch (no --shard) and {shard} one shard: they overlap")]
    Overlap { whole: String, shard: String },
    #[error("the compilation {name} is in both {other} and {from}")]
    Compilation { name: String, other: String, from: String },
}

/// Version of the report's JSON form. Bump on any incompatible change.
pub const REPORT_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub report_version: u32,
    /// `folio <version>` that wrote the report.
    pub generator: String,
    /// `K/N` when the run was one shard of a batch.
    #[serde(default)]
    pub shards: Vec<String>,
    pub compilations: Vec<CompilationReport>,
    /// Files that could not be read at all (empty, binary, unreadable).
    pub file_errors: Vec<Problem>,
    /// Batch warnings: entries of an input folder that were skipped (a FIFO,
    /// a device, a symlink loop), compilations sharing a title. Absent when
    /// there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Problem>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub compilations: usize,
    pub failed: usize,
    pub articles: usize,
    pub warnings: usize,
    pub errors: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompilationReport {
    /// Output base name (the sanitised title).
    pub name: String,
    pub title: String,
    /// `ok` or `failed`.
    pub status: Status,
    pub inputs: Vec<InputReport>,
    pub pages_found: Vec<u32>,
    pub pages_missing: Vec<u32>,
    pub articles: Vec<ArticleReport>,
    pub outputs: Vec<OutputReport>,
    pub warnings: Vec<Warning>,
    pub errors: Vec<Problem>,
    /// Milliseconds per stage (`read`, `normalize`, `md`, `json`, `epub`, `pdf`).
    pub timings_ms: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Ok,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputReport {
    pub path: String,
    pub encoding: String,
    pub page: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleReport {
    pub title: String,
    pub authors: Vec<String>,
    pub date: Option<String>,
    pub continued: bool,
    pub truncated: bool,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputReport {
    pub format: String,
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// An error, with where it applies when known, and its kind (so a report
/// can be filtered by it, as warnings are by theirs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// Absent in the reports of folio before it had kinds.
    #[serde(default)]
    pub kind: ProblemKind,
    pub message: String,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub line: Option<u32>,
}

/// What kind of problem it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// An input that could not be read: missing, unreadable, too large.
    Unreadable,
    /// An input whose bytes are not text in an encoding folio reads.
    Undecodable,
    /// An input with nothing to build from: a page of site chrome only, a
    /// Markdown file not in folio's form.
    NoContent,
    /// An entry of an input folder that was skipped (a FIFO, a device, a
    /// symlink loop, a folder kept out by an unsafe ignore file).
    Skipped,
    /// Compilations whose titles give the same output name.
    NameClash,
    /// An output that could not be written (the output folder, a file).
    Output,
    /// A writer failed on a compilation.
    Writer,
    /// `--strict` made warnings an error.
    Strict,
    /// A bug in folio (a panic), caught so that the batch goes on.
    Internal,
    /// Shards missing from a merged report.
    MissingShards,
    /// A problem in a report written before problems had kinds.
    #[default]
    Other,
}

impl Problem {
    pub fn new(kind: ProblemKind, message: impl Into<String>, origin: Option<Origin>) -> Self {
        let (file, line) = origin.map_or((None, None), |o| (Some(o.file), Some(o.line)));
        Problem { kind, message: message.into(), file, line }
    }

    /// A problem with a whole file (no line).
    pub fn in_file(kind: ProblemKind, message: impl Into<String>, file: &std::path::Path) -> Self {
        Problem { kind, message: message.into(), file: Some(file.display().to_string()), line: None }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: {}", self.message),
            (Some(file), None) => write!(f, "{file}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// `text` as it may be shown on a terminal: control characters, and
/// invisible ones that reorder or hide what follows (a right-to-left
/// override in a title would turn the rest of the line around), written as
/// `\u{202e}` escapes.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
    };
    if !text.chars().any(hidden) {
        return text.into();
    }
    text.chars().map(|c| if hidden(c) { format!("\\u{{{:x}}}", c as u32) } else { c.to_string() }).collect()
}

impl Report {
    pub fn new(
        compilations: Vec<CompilationReport>,
        file_errors: Vec<Problem>,
        warnings: Vec<Problem>,
        shard: Option<String>,
    ) -> Report {
        let mut r = Report {
            report_version: REPORT_VERSION,
            generator: format!("folio {}", env!("CARGO_PKG_VERSION")),
            shards: shard.into_iter().collect(),
            compilations,
            file_errors,
            warnings,
            summary: Summary::default(),
        };
        r.summarize();
        r
    }

    fn summarize(&mut self) {
        self.summary = Summary {
            compilations: self.compilations.len(),
            failed: self.compilations.iter().filter(|c| c.status == Status::Failed).count(),
            articles: self.compilations.iter().map(|c| c.articles.len()).sum(),
            warnings: self.compilations.iter().map(|c| c.warnings.len()).sum::<usize>() + self.warnings.len(),
            errors: self.compilations.iter().map(|c| c.errors.len()).sum::<usize>() + self.file_errors.len(),
        };
    }

    pub fn failed(&self) -> bool {
        self.summary.failed > 0 || !self.file_errors.is_empty()
    }

    /// Combines shard reports into one: compilations in name order. Each
    /// report comes with where it was read from (for messages). Refused: a
    /// shard given twice, shards of different counts (`1/4` and `0/5`), a
    /// sharded report with an unsharded one, a compilation in two reports.
    /// Shards missing from the set are a warning in the merged report.
    /// Every shard reads every file, so the file errors and batch warnings
    /// they share appear once.
    pub fn merge(reports: Vec<(String, Report)>) -> Result<Report, MergeError> {
        let mut out = Report { report_version: REPORT_VERSION, ..Report::default() };
        let mut shards: BTreeMap<(u64, u64), String> = BTreeMap::new();
        let mut unsharded: Option<String> = None;
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let (mut errors_seen, mut warnings_seen) = (BTreeSet::new(), BTreeSet::new());
        for (from, r) in reports {
            if r.report_version != REPORT_VERSION {
                return Err(MergeError::Version { from, version: r.report_version });
            }
            if r.shards.is_empty() {
                unsharded.get_or_insert_with(|| from.clone());
            }
            for shard in &r.shards {
                let parsed = parse_shard(shard)
                    .ok_or_else(|| MergeError::NotAShard { from: from.clone(), shard: shard.clone() })?;
                if let Some(((_, n), other)) = shards.iter().find(|((_, n), _)| *n != parsed.1) {
                    return Err(MergeError::Counts { from, count: parsed.1, other: other.clone(), other_count: *n });
                }
                if let Some(other) = shards.insert(parsed, from.clone()) {
                    return Err(MergeError::Twice { shard: shard.clone(), other, from });
                }
            }
            if let (Some(u), Some((_, s))) = (&unsharded, shards.iter().next()) {
                return Err(MergeError::Overlap { whole: u.clone(), shard: s.clone() });
            }
            for c in &r.compilations {
                if let Some(other) = seen.insert(c.name.clone(), from.clone()) {
                    return Err(MergeError::Compilation { name: c.name.clone(), other, from });
                }
            }
            out.generator = r.generator;
            out.compilations.extend(r.compilations);
            let key = |p: &Problem| (p.file.clone(), p.line, p.message.clone());
            for p in r.file_errors {
                if errors_seen.insert(key(&p)) {
                    out.file_errors.push(p);
                }
            }
            for w in r.warnings {
                if warnings_seen.insert(key(&w)) {
                    out.warnings.push(w);
                }
            }
        }
        if let Some(&(_, count)) = shards.keys().next() {
            let missing: Vec<String> =
                (0..count).filter(|k| !shards.contains_key(&(*k, count))).map(|k| format!("{k}/{count}")).collect();
            if !missing.is_empty() {
                out.warnings.push(Problem::new(
                    ProblemKind::MissingShards,
                    format!("{} of {count} shards missing: {}", missing.len(), missing.join(", ")),
                    None,
                ));
            }
        }
        out.shards = shards.keys().map(|(k, n)| format!("{k}/{n}")).collect();
        out.compilations.sort_by(|a, b| a.name.cmp(&b.name));
        out.summarize();
        Ok(out)
    }
}

/// `K/N` → (K, N), with 0 <= K < N.
fn parse_shard(s: &str) -> Option<(u64, u64)> {
    let (k, n) = s.split_once('/')?;
    let (k, n): (u64, u64) = (k.trim().parse().ok()?, n.trim().parse().ok()?);
    (k < n).then_some((k, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_have_a_kind_and_older_reports_still_read() {
        let p = Problem::in_file(ProblemKind::NameClash, "two compilations share the title x", "in/a.txt".as_ref());
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["kind"], "name-clash");
        let old: Problem = serde_json::from_str(r#"{"message": "m", "file": null, "line": null}"#).unwrap();
        assert_eq!(old.kind, ProblemKind::Other);
    }
}
