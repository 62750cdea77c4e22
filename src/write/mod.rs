//! Writers: model → bytes, one module per output format.
//!
//! A writer takes a normalised [`Compilation`] and options and returns the
//! bytes of one output file; only the pipeline writes files. Two writers
//! still read files the user named, once per compilation: the PDF writer
//! the font files of `fonts.serif` / `fonts.sans`, the EPUB writer the
//! templates of `--templates` (moving these reads to the pipeline, once a
//! run, is left to issue 13's point 4).

use std::path::PathBuf;

use crate::model::Compilation;

pub(crate) mod deflate;
pub mod epub;
pub mod json;
pub mod markdown;
pub mod pdf;
pub(crate) mod stamp;

pub use crate::fonts::{FontOptions, FontSpec};
pub use crate::format::{Format, PageSize};

/// Options shared by the writers. Built once per run by the pipeline.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// EPUB: embed a subset of the bundled fonts.
    pub embed_fonts: bool,
    /// PDF paper size.
    pub page_size: PageSize,
    /// A folder of user templates overriding the bundled ones (`templates/`).
    pub template_dir: Option<PathBuf>,
    /// Font files overriding the bundled body (serif) and heading (sans) fonts.
    pub fonts: FontOptions,
    /// Seconds since the epoch for every date a writer stamps
    /// (`SOURCE_DATE_EPOCH`); `None` means "derive a fixed value from the
    /// content", never the wall clock.
    pub source_date_epoch: Option<i64>,
}

/// A writer failed; the message says why.
#[derive(Debug, thiserror::Error)]
#[error("{format} writer: {message}")]
pub struct WriteError {
    pub format: &'static str,
    pub message: String,
}

impl WriteError {
    pub fn new(format: Format, message: impl Into<String>) -> Self {
        WriteError { format: format.name(), message: message.into() }
    }
}

/// The bytes of one output, plus warnings the writer raised (missing glyphs…).
#[derive(Debug, Default)]
pub struct Output {
    pub bytes: Vec<u8>,
    pub warnings: Vec<crate::model::Warning>,
}

/// Checks the user's templates before a build: a missing template folder, a
/// syntax error or a link leading out of the folder is a configuration error
/// (the message names the file and line), found before any output is written.
pub fn check_templates(options: &WriteOptions) -> Result<(), String> {
    epub::templates::Templates::new(options.template_dir.clone()).check()
}

/// Checks the user's fonts before a build: a font file that cannot be read
/// or parsed is a configuration error, found before anything is built
/// rather than as a failed PDF of every compilation.
pub fn check_fonts(options: &WriteOptions) -> Result<(), String> {
    crate::fonts::check(&options.fonts).map_err(|e| e.to_string())
}

/// Writes `compilation` in `format`.
pub fn write(format: Format, compilation: &Compilation, options: &WriteOptions) -> Result<Output, WriteError> {
    match format {
        Format::Md => markdown::write(compilation).map(|bytes| Output { bytes, warnings: vec![] }),
        Format::Json => json::write(compilation).map(|bytes| Output { bytes, warnings: vec![] }),
        Format::Epub => epub::write(compilation, options),
        Format::Pdf => pdf::write(compilation, options),
    }
}
