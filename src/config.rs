//! The config file (`folio.toml`): typed, with unknown keys rejected so a
//! typo is an error naming the key. CLI flags override it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::fonts::FontSpec;
use crate::format::{Format, PageSize};
use crate::read::profile::ProfileConfig;

/// Name of the config file looked for next to the inputs.
pub const FILE_NAME: &str = "folio.toml";
/// Largest config file read (a real one is a few kilobytes).
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Formats built when `--format` is not given.
    #[serde(default)]
    pub formats: Option<Vec<Format>>,
    /// Output folder when `-o` is not given.
    #[serde(default)]
    pub output: Option<PathBuf>,
    #[serde(default)]
    pub page_size: Option<PageSize>,
    #[serde(default)]
    pub embed_fonts: Option<bool>,
    /// Folder of templates overriding the bundled ones.
    #[serde(default)]
    pub templates: Option<PathBuf>,
    #[serde(default)]
    pub fonts: Fonts,
    /// Site profiles: chrome lines, page counter and stats patterns.
    #[serde(default, rename = "profile")]
    pub profiles: Vec<ProfileConfig>,
    /// Per-compilation overrides, keyed by the title in the page counter.
    #[serde(default, rename = "compilation")]
    pub compilations: BTreeMap<String, Override>,
}

/// Metadata a user sets for one compilation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub title: Option<String>,
    pub authors: Option<Vec<String>>,
    pub publisher: Option<String>,
    pub cover_text: Option<String>,
}

impl Override {
    /// Applies the override to a compilation.
    pub fn apply(&self, c: &mut crate::model::Compilation) {
        if let Some(t) = &self.title {
            c.title = t.clone();
        }
        if let Some(a) = &self.authors {
            c.metadata.authors = a.clone();
        }
        if let Some(p) = &self.publisher {
            c.metadata.publisher = Some(p.clone());
        }
        if let Some(t) = &self.cover_text {
            c.metadata.cover_text = Some(t.clone());
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    pub serif: Option<FontSpec>,
    pub sans: Option<FontSpec>,
}

/// A config file that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

/// Loads `path`; relative paths inside it are resolved against its folder.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let err = |message: String| ConfigError { path: path.to_path_buf(), message };
    let text = crate::files::read_text_bounded(path, MAX_CONFIG_BYTES).map_err(|e| err(e.to_string()))?;
    let mut config: Config = toml::from_str(&text).map_err(|e| err(e.to_string()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let resolve = |p: &mut PathBuf| {
        if p.is_relative() {
            *p = base.join(&*p);
        }
    };
    if let Some(p) = &mut config.output {
        resolve(p);
    }
    if let Some(p) = &mut config.templates {
        resolve(p);
    }
    for f in [&mut config.fonts.serif, &mut config.fonts.sans].into_iter().flatten() {
        resolve(&mut f.path);
    }
    Ok(config)
}

/// The config next to the inputs: `folio.toml` in the first input folder
/// (or the folder of the first input file), else in the working folder.
pub fn find(inputs: &[PathBuf]) -> Option<PathBuf> {
    let first = inputs.first()?;
    [folder_of(first).join(FILE_NAME), PathBuf::from(FILE_NAME)].into_iter().find(|p| p.is_file())
}

/// The `folio.toml` files beside the other inputs that do not apply: only
/// one config is read (`used`), so each of these is worth a warning.
pub fn unused(inputs: &[PathBuf], used: Option<&Path>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for input in inputs {
        let candidate = folder_of(input).join(FILE_NAME);
        let applies = used.is_some_and(|u| crate::files::same_place(u, &candidate));
        if candidate.is_file() && !applies && !out.iter().any(|o| crate::files::same_place(o, &candidate)) {
            out.push(candidate);
        }
    }
    out
}

/// The folder an input is in (itself when it is one).
fn folder_of(input: &Path) -> PathBuf {
    if input.is_dir() {
        input.to_path_buf()
    } else {
        input.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors() {
        let e = toml::from_str::<Config>("fromats = [\"md\"]").unwrap_err();
        assert!(e.to_string().contains("fromats"), "{e}");
        let c: Config =
            toml::from_str("formats = [\"md\", \"json\"]\n[[profile]]\nname = \"x\"\nchrome = [\"^广告$\"]").unwrap();
        assert_eq!(c.formats, Some(vec![Format::Md, Format::Json]));
        assert_eq!(c.profiles[0].chrome, vec!["^广告$"]);
    }
}
