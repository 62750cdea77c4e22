//! The template environment: bundled templates (embedded in the binary),
//! each overridable by a user's template of the same name, which the
//! pipeline read from the user's template folder once a run
//! ([`UserTemplates`]); nothing here reads a file.
//!
//! User templates are untrusted input, so the environment is a sandbox:
//! - the loader answers only the bundled names, from the texts it was given
//!   (the pipeline reads only those names from the template folder itself
//!   and refuses a file that is a link leading out of it);
//! - minijinja is built without `multi_template` (so `include`, `import` and
//!   `extends` are syntax errors) and without the `loader` feature's
//!   filesystem loader; its built-in functions and filters touch no file,
//!   environment variable or process;
//! - HTML escaping is forced for every template: minijinja would not
//!   auto-escape `*.xhtml` by itself;
//! - a user's template runs on a budget: [`USER_FUEL`] instructions and
//!   [`MAX_USER_OUTPUT_BYTES`] of output per document, so a runaway loop
//!   fails that EPUB instead of the whole process; and what it renders must
//!   be well-formed XML (epubcheck would refuse the book otherwise).

use std::path::PathBuf;
use std::sync::Arc;

use minijinja::{AutoEscape, Environment, Error, ErrorKind};
use serde::Serialize;

/// Instructions a user's template may run for one document. The bundled
/// article template, as a user's, runs about 6 per block (949 for bench13's
/// longest article, 160 blocks), so an article of three million paragraphs
/// fits; `{% for i in range(100000) %}{% for j in range(100000) %}` does not.
/// Running out takes about a second.
pub(crate) const USER_FUEL: u64 = 20_000_000;
/// Output a user's template may write for one document (the bundled article
/// template writes a few times its article's text).
pub(crate) const MAX_USER_OUTPUT_BYTES: usize = 128 * 1024 * 1024;
/// Largest user template read.
pub const MAX_TEMPLATE_BYTES: u64 = 4 * 1024 * 1024;

/// Bundled templates: (name, text).
const BUNDLED: &[(&str, &str)] = &[
    ("article.xhtml", include_str!("../../../templates/article.xhtml")),
    ("title.xhtml", include_str!("../../../templates/title.xhtml")),
    ("cover.xhtml", include_str!("../../../templates/cover.xhtml")),
    ("style.css", include_str!("../../../templates/style.css")),
];

/// The user's templates, as the pipeline read them from the template folder:
/// for each bundled name the user's file of that name, when there is one.
#[derive(Debug, Clone, Default)]
pub struct UserTemplates {
    pub files: Vec<UserTemplate>,
}

/// One template of the user's: its bundled name, the file it was read from
/// (which messages name) and its text.
#[derive(Debug, Clone)]
pub struct UserTemplate {
    pub name: String,
    pub path: PathBuf,
    pub text: String,
}

impl UserTemplates {
    /// The names a user's template may have: those of the bundled ones.
    pub fn names() -> impl Iterator<Item = &'static str> {
        BUNDLED.iter().map(|(name, _)| *name)
    }

    fn get(&self, name: &str) -> Option<&UserTemplate> {
        self.files.iter().find(|t| t.name == name)
    }
}

/// A template that cannot be compiled or rendered; the message names the
/// file (the user's, or the bundled template) and the line.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// minijinja failed: `file:line: kind: detail`.
    #[error("{file}{}: {what}", .line.map(|l| format!(":{l}")).unwrap_or_default())]
    Failed { file: String, line: Option<usize>, what: String, source: Error },
    #[error("{}: the document grew past {} MiB; the template runs away", .path.display(), MAX_USER_OUTPUT_BYTES / 1024 / 1024)]
    TooLarge { path: PathBuf },
    #[error("{}: ran out of fuel ({USER_FUEL} instructions for one document); the template runs away", .path.display())]
    OutOfFuel { path: PathBuf },
    #[error("{}: the output is not UTF-8", .path.display())]
    NotUtf8 { path: PathBuf },
    #[error("{}: the rendered document is not well-formed XML: {source}", .path.display())]
    IllFormed { path: PathBuf, source: roxmltree::Error },
}

pub(crate) struct Templates {
    env: Environment<'static>,
    user: Option<Arc<UserTemplates>>,
}

impl Templates {
    pub(crate) fn new(user: Option<Arc<UserTemplates>>) -> Templates {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        if user.is_some() {
            env.set_fuel(Some(USER_FUEL));
        }
        let texts = user.clone();
        env.set_loader(move |name| {
            let Some((_, bundled)) = BUNDLED.iter().find(|(n, _)| *n == name) else {
                return Ok(None);
            };
            let text = texts.as_deref().and_then(|u| u.get(name)).map_or(*bundled, |t| t.text.as_str());
            Ok(Some(text.to_string()))
        });
        Templates { env, user }
    }

    /// The user's template of that name, if one is in use.
    fn user_file(&self, name: &str) -> Option<&PathBuf> {
        self.user.as_deref().and_then(|u| u.get(name)).map(|t| &t.path)
    }

    /// Compiles every template, so that a syntax error is found before
    /// anything is built. The message names the file and line.
    pub(crate) fn check(&self) -> Result<(), TemplateError> {
        for (name, _) in BUNDLED {
            self.env.get_template(name).map_err(|e| self.describe(name, e))?;
        }
        Ok(())
    }

    pub(crate) fn render<S: Serialize>(&self, name: &str, ctx: S) -> Result<String, TemplateError> {
        let template = self.env.get_template(name).map_err(|e| self.describe(name, e))?;
        let Some(user) = self.user_file(name) else {
            return template.render(ctx).map_err(|e| self.describe(name, e));
        };
        let mut out = Capped { bytes: Vec::new(), over: false };
        if let Err(e) = template.render_captured_to(ctx, &mut out) {
            if out.over {
                return Err(TemplateError::TooLarge { path: user.clone() });
            }
            if e.kind() == ErrorKind::OutOfFuel {
                return Err(TemplateError::OutOfFuel { path: user.clone() });
            }
            return Err(self.describe(name, e));
        }
        let text = String::from_utf8(out.bytes).map_err(|_| TemplateError::NotUtf8 { path: user.clone() })?;
        if name.ends_with(".xhtml") {
            let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
            if let Err(source) = roxmltree::Document::parse_with_options(&text, options) {
                return Err(TemplateError::IllFormed { path: user.clone(), source });
            }
        }
        Ok(text)
    }

    /// `path:line: what went wrong`, naming the user's file when it is the
    /// one in use.
    fn describe(&self, name: &str, e: Error) -> TemplateError {
        let name = e.name().unwrap_or(name);
        let file = match self.user_file(name) {
            Some(path) => path.display().to_string(),
            None => format!("bundled template {name}"),
        };
        let what = match e.detail() {
            Some(detail) => format!("{}: {detail}", e.kind()),
            None => e.kind().to_string(),
        };
        TemplateError::Failed { file, line: e.line(), what, source: e }
    }
}

/// The output of a user's template, refused past [`MAX_USER_OUTPUT_BYTES`].
struct Capped {
    bytes: Vec<u8>,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_USER_OUTPUT_BYTES {
            self.over = true;
            return Err(std::io::Error::other("the document is too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The user's templates `files`, as if read from the folder `/user`.
    fn user(files: &[(&str, &str)]) -> Templates {
        let files = files
            .iter()
            .map(|(name, text)| UserTemplate {
                name: name.to_string(),
                path: PathBuf::from("/user").join(name),
                text: text.to_string(),
            })
            .collect();
        Templates::new(Some(Arc::new(UserTemplates { files })))
    }

    #[test]
    fn only_the_bundled_names_can_be_loaded() {
        let t = user(&[("secret.txt", "SECRET"), ("article.xhtml", "<p>user {{ 1 + 1 }}</p>")]);
        assert_eq!(t.render("article.xhtml", ()).unwrap(), "<p>user 2</p>");
        for name in ["secret.txt", "../secret.txt", "/etc/passwd", "/user/secret.txt", "./article.xhtml"] {
            let e = t.env.get_template(name).err().unwrap_or_else(|| panic!("{name} was loaded"));
            assert_eq!(e.kind(), ErrorKind::TemplateNotFound, "{name}");
        }
    }

    #[test]
    fn include_import_and_extends_are_not_available() {
        for text in [
            "{% include \"/etc/passwd\" %}",
            "{% include \"../secret.txt\" %}",
            "{% include \"title.xhtml\" %}",
            "{% import \"/etc/passwd\" as s %}",
            "{% from \"/etc/passwd\" import x %}",
            "{% extends \"/etc/passwd\" %}",
        ] {
            let e = user(&[("article.xhtml", text)]).check().unwrap_err().to_string();
            assert!(e.starts_with("/user/article.xhtml:1: syntax error"), "{e}");
        }
    }

    #[test]
    fn no_function_reaches_the_system() {
        // The globals minijinja's builtins define; none reads a file, the
        // environment or runs a command. A new one (after an upgrade or a
        // feature change) must be looked at before this list grows.
        let t = Templates::new(None);
        let mut globals: Vec<&str> = t.env.globals().map(|(n, _)| n).collect();
        globals.sort();
        assert_eq!(globals, ["debug", "dict", "namespace", "range"]);
        for probe in ["{{ env() }}", "{{ open('/etc/passwd') }}", "{{ '/etc/passwd' | read }}", "{{ lipsum() }}"] {
            assert!(t.env.render_str(probe, ()).is_err(), "{probe}");
        }
        // What is not defined renders as nothing, never as a value from outside.
        assert_eq!(t.env.render_str("{{ HOME }}{{ PATH }}{{ config }}{{ self }}", ()).unwrap(), "");
    }

    #[test]
    fn syntax_errors_name_the_file_and_line() {
        let err = user(&[("title.xhtml", "<p>\n{{ book.title }}\n{% if %}\n</p>")]).check().unwrap_err();
        assert!(matches!(err, TemplateError::Failed { line: Some(3), .. }), "{err:?}");
        assert!(std::error::Error::source(&err).is_some(), "minijinja's error is kept as the source");
        let e = err.to_string();
        assert!(e.starts_with("/user/title.xhtml:3: syntax error"), "{e}");
        assert!(Templates::new(None).check().is_ok());
    }
}
