//! One compilation built: read, normalised, written in every requested
//! format, its outputs written atomically, and described in its report; a
//! panic fails that compilation only.

use std::time::Instant;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::input::{file_name, read_page, read_text};
use super::output::{io_reason, temp_file_in, write_atomically};
use super::{Observer, Plan, Request, Unit};
use crate::model::{Compilation, Warning};
use crate::read::page::Page;
use crate::read::InputKind;
use crate::report::{
    ArticleReport, CompilationReport, InputReport, OutputReport, Problem, ProblemKind, Report, Status,
};
use crate::write::stamp::hex;
use crate::write::{self, Format};
use crate::{normalize, read};

/// Builds a planned batch: each compilation in parallel, its outputs
/// written atomically. A compilation that fails (even by a panic) is
/// reported and the others are still built.
pub fn build(req: &Request, plan: Plan, observer: &dyn Observer) -> Report {
    let Plan { units, mut file_errors, warnings, .. } = plan;
    observer.planned(units.len());
    let shard = req.shard.map(|s| s.to_string());
    if req.write_outputs && !units.is_empty() {
        // A folder that cannot be written fails the batch once, before any
        // work, rather than every output of every compilation.
        let unusable = match std::fs::create_dir_all(&req.output) {
            Err(e) => Some(format!("cannot create the output folder: {}", io_reason(&e))),
            Ok(()) => temp_file_in(&req.output)
                .err()
                .map(|e| format!("cannot write into the output folder: {}", io_reason(&e))),
        };
        if let Some(message) = unusable {
            file_errors.push(Problem::in_file(ProblemKind::Output, message, &req.output));
            return Report::new(vec![], file_errors, warnings, shard);
        }
    }

    // 3. Build each compilation; each drops its text once written.
    let compilations: Vec<CompilationReport> = units
        .into_par_iter()
        .map(|u| {
            let report = build_guarded(req, u, observer);
            observer.finished(&report);
            report
        })
        .collect();
    if req.strict && !warnings.is_empty() {
        file_errors.push(Problem::new(
            ProblemKind::Strict,
            format!("--strict: {} batch warning(s)", warnings.len()),
            None,
        ));
    }
    Report::new(compilations, file_errors, warnings, shard)
}

/// [`build_one`] behind a barrier: a panic (a bug in folio) fails that
/// compilation with an internal error instead of ending the batch.
fn build_guarded(req: &Request, unit: Unit, observer: &dyn Observer) -> CompilationReport {
    let (name, title) = (unit.name.clone(), unit.title.clone());
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build_one(req, unit, observer))).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        CompilationReport {
            name,
            title,
            status: Status::Failed,
            errors: vec![Problem::new(
                ProblemKind::Internal,
                format!("internal error (a bug in folio, please report it with this input): {what}"),
                None,
            )],
            ..Default::default()
        }
    })
}

/// Milliseconds since `start`.
fn ms(start: Instant) -> f64 {
    (start.elapsed().as_secs_f64() * 1e4).round() / 10.0
}

fn build_one(req: &Request, mut unit: Unit, observer: &dyn Observer) -> CompilationReport {
    let mut report = CompilationReport { name: unit.name.clone(), title: unit.title.clone(), ..Default::default() };
    #[cfg(debug_assertions)]
    test_panic(&unit.title);

    // Read.
    observer.stage(&unit.name, "read");
    let start = Instant::now();
    let kind = unit.key.kind();
    let compilation = if kind == InputKind::Markdown {
        read_text(&unit.files[0]).and_then(|d| {
            read::markdown::read(&d.text, &file_name(&unit.files[0]))
                .map_err(|e| Problem::in_file(ProblemKind::NoContent, e.to_string(), &unit.files[0]))
        })
    } else {
        let kept = std::mem::take(&mut unit.kept);
        unit.files
            .iter()
            .zip(kept)
            .map(|(f, kept)| kept.map_or_else(|| read_page(f, &req.profile), |p| Ok(*p)))
            .collect::<Result<Vec<Page>, Problem>>()
            .map(|pages| read::assemble(pages, &req.profile.lexicon))
    };
    report.timings_ms.insert("read".into(), ms(start));
    let compilation = match compilation {
        Ok(c) => c,
        Err(e) => {
            report.errors.push(e);
            report.status = Status::Failed;
            return report;
        }
    };
    report.inputs = inputs_of(&unit, &compilation);

    // Normalise.
    observer.stage(&unit.name, "normalize");
    let start = Instant::now();
    let mut compilation = match kind {
        InputKind::Markdown => normalize::reread(compilation),
        InputKind::Page => normalize::normalize(compilation),
    };
    if let Some(o) = req.overrides.get(&unit.key.to_string()) {
        o.apply(&mut compilation);
    }
    report.timings_ms.insert("normalize".into(), ms(start));
    describe(&mut report, &compilation);

    // Write every format.
    if req.write_outputs {
        let results: Vec<(Format, f64, Result<write::Output, write::WriteError>)> = req
            .formats
            .par_iter()
            .map(|&f| {
                observer.stage(&unit.name, f.name());
                let start = Instant::now();
                let out = write::write(f, &compilation, &req.options);
                (f, ms(start), out)
            })
            .collect();
        drop(compilation);
        for (format, took, result) in results {
            report.timings_ms.insert(format.name().into(), took);
            match result {
                Ok(out) => {
                    report.warnings.extend(out.warnings);
                    let path = req.output.join(format!("{}.{}", unit.name, format.extension()));
                    match write_atomically(&path, &out.bytes) {
                        Ok(()) => report.outputs.push(OutputReport {
                            format: format.name().into(),
                            path: path.display().to_string(),
                            bytes: out.bytes.len() as u64,
                            sha256: if req.checksums { hex(&Sha256::digest(&out.bytes)) } else { String::new() },
                        }),
                        Err(e) => report.errors.push(Problem::in_file(ProblemKind::Output, io_reason(&e), &path)),
                    }
                }
                Err(e) => report.errors.push(Problem::new(ProblemKind::Writer, e.to_string(), None)),
            }
        }
    }

    if req.strict && !report.warnings.is_empty() {
        report.errors.push(Problem::new(
            ProblemKind::Strict,
            format!("--strict: {} warning(s)", report.warnings.len()),
            None,
        ));
    }
    if !report.errors.is_empty() {
        report.status = Status::Failed;
    }
    report
}

fn inputs_of(unit: &Unit, c: &Compilation) -> Vec<InputReport> {
    unit.files
        .iter()
        .map(|f| {
            let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let page = c.source.pages.iter().find(|p| p.file == name);
            InputReport {
                path: f.display().to_string(),
                encoding: page.map_or_else(|| "UTF-8".into(), |p| p.encoding.clone()),
                page: page.map(|p| p.number),
            }
        })
        .collect()
}

/// Fills the report's description of the compilation.
fn describe(report: &mut CompilationReport, c: &Compilation) {
    report.title = c.title.clone();
    report.pages_found = c.source.pages.iter().map(|p| p.number).collect();
    report.pages_missing = c.source.missing_pages.clone();
    report.warnings = c.all_warnings().cloned().collect::<Vec<Warning>>();
    report.articles = c
        .articles
        .iter()
        .map(|a| ArticleReport {
            title: a.title.clone(),
            authors: a.authors.clone(),
            date: a.date.clone(),
            continued: a.continued,
            truncated: a.truncated,
            warnings: a.warnings.clone(),
        })
        .collect();
}

/// Test hook, in debug builds only (release builds have none):
/// `FOLIO_TEST_PANIC=<title>` makes the build of that compilation panic, so
/// the tests can check the barrier around each compilation without a real
/// bug to trigger.
#[cfg(debug_assertions)]
fn test_panic(title: &str) {
    if std::env::var_os("FOLIO_TEST_PANIC").is_some_and(|t| t == title) {
        panic!("FOLIO_TEST_PANIC asked the build of {title} to panic");
    }
}
