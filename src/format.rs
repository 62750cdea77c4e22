//! The output formats and the PDF's paper sizes: the names the config file,
//! the CLI, the pipeline and the writers share (with their serde and clap
//! forms), kept apart from the writers so that configuration does not depend
//! on them.

/// An output format.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Md,
    Json,
    Epub,
    Pdf,
}

impl Format {
    /// Every format, in the order outputs are listed.
    pub const ALL: [Format; 4] = [Format::Md, Format::Json, Format::Epub, Format::Pdf];

    /// File extension of the output.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Json => "json",
            Format::Epub => "epub",
            Format::Pdf => "pdf",
        }
    }

    pub fn name(self) -> &'static str {
        self.extension()
    }
}

/// Paper size of the PDF.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum PageSize {
    A4,
    #[default]
    A5,
    B5,
}
