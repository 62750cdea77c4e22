//! Writers: model → bytes, one module per output format.
//!
//! A writer takes a normalised [`Compilation`] and options and returns the
//! bytes of one output file. Writers touch no file: the user's templates
//! (`--templates`) and fonts (`fonts.serif` / `fonts.sans`) reach them as
//! [`Resources`], read once a run by the pipeline (`pipeline::resources`),
//! and only the pipeline writes files.

use std::sync::Arc;

use crate::model::Compilation;

pub(crate) mod deflate;
pub mod epub;
pub mod json;
pub mod markdown;
pub mod pdf;
pub(crate) mod stamp;

pub use crate::fonts::{FontOptions, FontSpec, UserFont, UserFonts};
pub use crate::format::{Format, PageSize};
pub use epub::templates::{TemplateError, UserTemplate, UserTemplates};

/// Options shared by the writers. Built once per run by the pipeline.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// EPUB: embed a subset of the bundled fonts.
    pub embed_fonts: bool,
    /// PDF paper size.
    pub page_size: PageSize,
    /// The user's templates and fonts, read once a run.
    pub resources: Resources,
    /// Seconds since the epoch for every date a writer stamps
    /// (`SOURCE_DATE_EPOCH`); `None` means "derive a fixed value from the
    /// content", never the wall clock.
    pub source_date_epoch: Option<i64>,
}

/// What the writers use of the user's files, read once a run by the
/// pipeline (`pipeline::load_resources`) so no writer reads a file; the
/// default is the bundled templates and fonts.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    /// Templates overriding the bundled ones of the same name (`--templates`).
    pub templates: Option<Arc<UserTemplates>>,
    /// Fonts overriding the bundled body (serif) and heading (sans) fonts.
    pub fonts: UserFonts,
}

/// A writer failed: which one, and the error it failed on.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("md writer: {0}")]
    Markdown(#[from] markdown::MarkdownError),
    #[error("json writer: {0}")]
    Json(#[from] serde_json::Error),
    #[error("epub writer: {0}")]
    Epub(#[from] epub::EpubError),
    #[error("pdf writer: {0}")]
    Pdf(#[from] pdf::PdfError),
}

impl WriteError {
    /// The format whose writer failed.
    pub fn format(&self) -> Format {
        match self {
            WriteError::Markdown(_) => Format::Md,
            WriteError::Json(_) => Format::Json,
            WriteError::Epub(_) => Format::Epub,
            WriteError::Pdf(_) => Format::Pdf,
        }
    }
}

/// The bytes of one output, plus warnings the writer raised (missing glyphs…).
#[derive(Debug, Default)]
pub struct Output {
    pub bytes: Vec<u8>,
    pub warnings: Vec<crate::model::Warning>,
}

/// Compiles the user's templates before a build: a syntax error is a
/// configuration error (the message names the file and line), found before
/// any output is written.
pub fn check_templates(templates: &Arc<UserTemplates>) -> Result<(), TemplateError> {
    epub::templates::Templates::new(Some(templates.clone())).check()
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
