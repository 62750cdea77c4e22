//! The Markdown form of the model: what its writer (`src/write/markdown.rs`)
//! and its reader ([`crate::read::markdown`]) agree on — the YAML front
//! matter and the inline HTML around a caption.

use serde::{Deserialize, Serialize};

use super::{Declared, Metadata, Source};

/// Inline HTML opening a caption.
pub const CAPTION_OPEN: &str = "<small>";
/// Inline HTML closing a caption.
pub const CAPTION_CLOSE: &str = "</small>";

/// The YAML front matter: what a reader needs to rebuild the compilation.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub authors: Vec<String>,
    #[serde(default)]
    pub page_range: Option<String>,
    pub schema_version: u32,
    pub source: Source,
    pub declared: Declared,
    #[serde(default, skip_serializing_if = "is_unset")]
    pub metadata: Metadata,
}

fn is_unset(m: &Metadata) -> bool {
    *m == Metadata::default()
}
