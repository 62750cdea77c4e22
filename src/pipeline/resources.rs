//! The user's resources — the template files of `--templates` and the font
//! files of `fonts.serif` / `fonts.sans` — read once a run, before anything
//! is built, and handed to the writers as [`Resources`]: neither the writers
//! nor the layout read a file. Reads are bounded (a file may be a FIFO or a
//! device), and what cannot be used — a missing folder, a link leading out
//! of it, a file that is not a regular one, a template with a syntax error, a
//! font that does not parse or is not TrueType — is a configuration error
//! naming the file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::files::{kind_of, read_bounded, read_text_bounded, ReadError};
use crate::fonts::{FontError, FontOptions, FontSpec, UserFont, UserFonts, MAX_FONT_BYTES};
use crate::format::Format;
use crate::write::epub::templates::MAX_TEMPLATE_BYTES;
use crate::write::{self, Resources, UserTemplate, UserTemplates};

/// Where the user's resources are (flags and `folio.toml`).
#[derive(Debug, Clone, Default)]
pub struct ResourcePaths {
    /// A folder of templates overriding the bundled ones.
    pub templates: Option<PathBuf>,
    /// Font files overriding the bundled ones.
    pub fonts: FontOptions,
}

/// A resource of the user's that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ResourceError {
    #[error("template folder {}: not a folder", .0.display())]
    TemplateFolder(PathBuf),
    #[error("template {}: {kind}, not a regular file", path.display())]
    TemplateNotAFile { path: PathBuf, kind: &'static str },
    #[error("template {}: a link leading outside the template folder is not followed", path.display())]
    TemplateOutside { path: PathBuf },
    #[error("cannot read template {}: {source}", path.display())]
    TemplateRead { path: PathBuf, source: ReadError },
    /// A template that does not compile: `path:line: what`.
    #[error(transparent)]
    TemplateSyntax(#[from] write::TemplateError),
    #[error(transparent)]
    Font(#[from] FontError),
}

/// Reads what the writers of `formats` use of `paths`: the templates for an
/// EPUB (and compiles them), the fonts for a PDF.
pub fn load_resources(paths: &ResourcePaths, formats: &[Format]) -> Result<Resources, ResourceError> {
    let mut resources = Resources::default();
    if let (true, Some(dir)) = (formats.contains(&Format::Epub), &paths.templates) {
        let templates = Arc::new(load_templates(dir)?);
        write::check_templates(&templates)?;
        resources.templates = Some(templates);
    }
    if formats.contains(&Format::Pdf) {
        resources.fonts = load_fonts(&paths.fonts)?;
    }
    Ok(resources)
}

/// The user's templates in `dir`: a file for each bundled name that has one.
pub fn load_templates(dir: &Path) -> Result<UserTemplates, ResourceError> {
    if !dir.is_dir() {
        return Err(ResourceError::TemplateFolder(dir.to_path_buf()));
    }
    let mut files = Vec::new();
    for name in UserTemplates::names() {
        let Some(path) = user_file(dir, name)? else { continue };
        let text = read_text_bounded(&path, MAX_TEMPLATE_BYTES)
            .map_err(|source| ResourceError::TemplateRead { path: path.clone(), source })?;
        files.push(UserTemplate { name: name.to_string(), path, text });
    }
    Ok(UserTemplates { files })
}

/// The user's file for template `name` in `dir`: `None` when there is none
/// (the bundled one is used), an error when it is a link leading outside the
/// folder or not a regular file (a FIFO would block the build).
fn user_file(dir: &Path, name: &str) -> Result<Option<PathBuf>, ResourceError> {
    let path = dir.join(name);
    match std::fs::metadata(&path) {
        Err(_) => return Ok(None),
        Ok(m) if !m.is_file() => return Err(ResourceError::TemplateNotAFile { path, kind: kind_of(&m) }),
        Ok(_) => {}
    }
    let inside = match (path.canonicalize(), dir.canonicalize()) {
        (Ok(file), Ok(dir)) => file.starts_with(dir),
        _ => false,
    };
    if !inside {
        return Err(ResourceError::TemplateOutside { path });
    }
    Ok(Some(path))
}

/// The user's fonts, read and parsed.
pub fn load_fonts(options: &FontOptions) -> Result<UserFonts, FontError> {
    let load = |spec: &FontSpec| -> Result<Arc<UserFont>, FontError> {
        let bytes = read_bounded(&spec.path, MAX_FONT_BYTES)
            .map_err(|source| FontError::Read { path: spec.path.clone(), source })?;
        Ok(Arc::new(UserFont::parse(spec, bytes)?))
    };
    Ok(UserFonts {
        serif: options.serif.as_ref().map(load).transpose()?,
        sans: options.sans.as_ref().map(load).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Compilation, Declared, Source, SCHEMA_VERSION};
    use crate::write::WriteOptions;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn only_the_bundled_names_are_read() {
        let dir = folder(&[("secret.txt", "SECRET"), ("article.xhtml", "<p>user</p>")]);
        let t = load_templates(dir.path()).unwrap();
        assert_eq!(t.files.len(), 1);
        assert_eq!((t.files[0].name.as_str(), t.files[0].text.as_str()), ("article.xhtml", "<p>user</p>"));
        assert_eq!(t.files[0].path, dir.path().join("article.xhtml"));
    }

    #[test]
    fn a_link_leading_out_of_the_folder_is_refused() {
        let outside = folder(&[("secret.txt", "SECRET")]);
        let dir = folder(&[]);
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("article.xhtml")).unwrap();
        let e = load_templates(dir.path()).unwrap_err().to_string();
        assert!(e.contains("article.xhtml") && e.contains("outside the template folder"), "{e}");
        assert!(!e.contains("SECRET"));
        // A link to another file inside the folder is fine.
        let inner = folder(&[("mine.xhtml", "<p>mine</p>")]);
        std::os::unix::fs::symlink(inner.path().join("mine.xhtml"), inner.path().join("article.xhtml")).unwrap();
        assert_eq!(load_templates(inner.path()).unwrap().files[0].text, "<p>mine</p>");
    }

    #[test]
    fn a_missing_folder_or_a_syntax_error_is_found_on_loading() {
        let dir = folder(&[("title.xhtml", "<p>\n{{ book.title }}\n{% if %}\n</p>")]);
        let paths = ResourcePaths { templates: Some(dir.path().to_path_buf()), ..Default::default() };
        let e = load_resources(&paths, &[Format::Epub]).unwrap_err().to_string();
        assert!(e.starts_with(&format!("{}:3: syntax error", dir.path().join("title.xhtml").display())), "{e}");
        // Templates are not read when no EPUB is built.
        assert!(load_resources(&paths, &[Format::Md, Format::Pdf]).is_ok());
        let nowhere = dir.path().join("nowhere");
        assert_eq!(
            load_templates(&nowhere).unwrap_err().to_string(),
            format!("template folder {}: not a folder", nowhere.display())
        );
    }

    /// A user's CFF font is refused with an error naming the file, before
    /// anything is laid out: the text is painted one way only.
    #[test]
    fn a_cff_font_is_refused_by_name() {
        let c = Compilation {
            schema_version: SCHEMA_VERSION,
            title: "书名".into(),
            source: Source::default(),
            declared: Declared::default(),
            metadata: Default::default(),
            articles: vec![Article { title: "标题".into(), ..Default::default() }],
            warnings: vec![],
        };
        let path = PathBuf::from("tests/data/fonts/LibertinusSerif-BoldItalic.otf");
        let mut fonts = FontOptions { sans: Some(FontSpec { path: path.clone(), face: 0 }), ..Default::default() };
        let err = load_fonts(&fonts).expect_err("a CFF font is refused").to_string();
        assert!(err.contains("LibertinusSerif-BoldItalic.otf") && err.contains("CFF"), "{err}");
        // A TrueType file of the user's is taken, and a PDF set in it.
        fonts.sans = Some(FontSpec { path: "fonts/DejaVuSans.ttf".into(), face: 0 });
        let mut options = WriteOptions::default();
        options.resources.fonts = load_fonts(&fonts).unwrap();
        assert!(write::pdf::write(&c, &options).is_ok());
    }
}
