//! The build report (`--report FILE`): what each compilation was read from,
//! what came out of it, its warnings and errors, and stage timings. A
//! versioned JSON interface for CI; two runs on the same inputs give the same
//! report apart from `timings_ms`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Origin, Warning};

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

/// An error, with where it applies when known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    pub message: String,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub line: Option<u32>,
}

impl Problem {
    pub fn new(message: impl Into<String>, origin: Option<Origin>) -> Self {
        let (file, line) = origin.map_or((None, None), |o| (Some(o.file), Some(o.line)));
        Problem { message: message.into(), file, line }
    }
}

impl Problem {
    /// A problem with a whole file (no line).
    pub fn in_file(message: impl Into<String>, file: &std::path::Path) -> Self {
        Problem { message: message.into(), file: Some(file.display().to_string()), line: None }
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

impl Report {
    pub fn new(compilations: Vec<CompilationReport>, file_errors: Vec<Problem>, shard: Option<String>) -> Report {
        let mut r = Report {
            report_version: REPORT_VERSION,
            generator: format!("folio {}", env!("CARGO_PKG_VERSION")),
            shards: shard.into_iter().collect(),
            compilations,
            file_errors,
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
            warnings: self.compilations.iter().map(|c| c.warnings.len()).sum(),
            errors: self.compilations.iter().map(|c| c.errors.len()).sum::<usize>() + self.file_errors.len(),
        };
    }

    pub fn failed(&self) -> bool {
        self.summary.failed > 0 || !self.file_errors.is_empty()
    }

    /// Combines shard reports into one: compilations in name order.
    pub fn merge(reports: Vec<Report>) -> Result<Report, String> {
        let mut out = Report { report_version: REPORT_VERSION, ..Report::default() };
        for r in reports {
            if r.report_version != REPORT_VERSION {
                return Err(format!(
                    "report version {} cannot be merged into version {REPORT_VERSION}",
                    r.report_version
                ));
            }
            out.generator = r.generator;
            out.shards.extend(r.shards);
            out.compilations.extend(r.compilations);
            out.file_errors.extend(r.file_errors);
        }
        out.compilations.sort_by(|a, b| a.name.cmp(&b.name));
        out.shards.sort();
        out.shards.dedup();
        out.summarize();
        Ok(out)
    }
}
