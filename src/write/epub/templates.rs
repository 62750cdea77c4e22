//! The template environment: bundled templates (embedded in the binary),
//! each overridable by a file of the same name in the user's template folder.
//!
//! User templates are untrusted input, so the environment is a sandbox:
//! - the loader answers only the bundled names, read from the template
//!   folder itself (a name with a path in it, `..` or an absolute path is not
//!   found, and a file that is a link leading out of the folder is refused);
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

use std::path::{Path, PathBuf};

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
const MAX_TEMPLATE_BYTES: u64 = 4 * 1024 * 1024;

/// Bundled templates: (name, text).
const BUNDLED: &[(&str, &str)] = &[
    ("article.xhtml", include_str!("../../../templates/article.xhtml")),
    ("title.xhtml", include_str!("../../../templates/title.xhtml")),
    ("cover.xhtml", include_str!("../../../templates/cover.xhtml")),
    ("style.css", include_str!("../../../templates/style.css")),
];

pub(crate) struct Templates {
    env: Environment<'static>,
    dir: Option<PathBuf>,
}

impl Templates {
    pub(crate) fn new(template_dir: Option<PathBuf>) -> Templates {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        if template_dir.is_some() {
            env.set_fuel(Some(USER_FUEL));
        }
        let dir = template_dir.clone();
        env.set_loader(move |name| {
            let Some((_, bundled)) = BUNDLED.iter().find(|(n, _)| *n == name) else {
                return Ok(None);
            };
            match dir.as_deref().map(|d| user_file(d, name)).transpose() {
                Ok(Some(Some(path))) => {
                    crate::files::read_text_bounded(&path, MAX_TEMPLATE_BYTES).map(Some).map_err(|e| {
                        Error::new(ErrorKind::InvalidOperation, format!("cannot read template {}: {e}", path.display()))
                    })
                }
                Ok(_) => Ok(Some((*bundled).to_string())),
                Err(message) => Err(Error::new(ErrorKind::InvalidOperation, message)),
            }
        });
        Templates { env, dir: template_dir }
    }

    /// Loads and compiles every template, so that a missing template folder or
    /// a syntax error is found before anything is built. The message names
    /// the file and line.
    pub(crate) fn check(&self) -> Result<(), String> {
        if let Some(dir) = &self.dir {
            if !dir.is_dir() {
                return Err(format!("template folder {}: not a folder", dir.display()));
            }
        }
        for (name, _) in BUNDLED {
            self.env.get_template(name).map_err(|e| self.describe(name, &e))?;
        }
        Ok(())
    }

    pub(crate) fn render<S: Serialize>(&self, name: &str, ctx: S) -> Result<String, String> {
        let template = self.env.get_template(name).map_err(|e| self.describe(name, &e))?;
        let user = match self.dir.as_deref().map(|d| user_file(d, name)) {
            Some(Ok(Some(path))) => path,
            _ => return template.render(ctx).map_err(|e| self.describe(name, &e)),
        };
        let mut out = Capped { bytes: Vec::new(), over: false };
        if let Err(e) = template.render_captured_to(ctx, &mut out) {
            if out.over {
                return Err(format!(
                    "{}: the document grew past {} MiB; the template runs away",
                    user.display(),
                    MAX_USER_OUTPUT_BYTES / 1024 / 1024
                ));
            }
            if e.kind() == ErrorKind::OutOfFuel {
                return Err(format!(
                    "{}: ran out of fuel ({USER_FUEL} instructions for one document); the template runs away",
                    user.display()
                ));
            }
            return Err(self.describe(name, &e));
        }
        let text = String::from_utf8(out.bytes).map_err(|_| format!("{}: the output is not UTF-8", user.display()))?;
        if name.ends_with(".xhtml") {
            let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
            if let Err(e) = roxmltree::Document::parse_with_options(&text, options) {
                return Err(format!("{}: the rendered document is not well-formed XML: {e}", user.display()));
            }
        }
        Ok(text)
    }

    /// `path:line: what went wrong`, naming the user's file when it is the
    /// one in use.
    fn describe(&self, name: &str, e: &Error) -> String {
        let name = e.name().unwrap_or(name);
        let file = match self.dir.as_deref().map(|d| user_file(d, name)) {
            Some(Ok(Some(path))) => path.display().to_string(),
            // The user's file cannot be used (a link leading out, a FIFO): the
            // message names it and says why.
            Some(Err(message)) => return message,
            _ => format!("bundled template {name}"),
        };
        let line = e.line().map(|l| format!(":{l}")).unwrap_or_default();
        let what = match e.detail() {
            Some(detail) => format!("{}: {detail}", e.kind()),
            None => e.kind().to_string(),
        };
        format!("{file}{line}: {what}")
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

/// The user's file for template `name` in `dir`: `None` when there is none
/// (the bundled one is used), an error when it is a link leading outside the
/// folder or not a regular file (a FIFO would block the build).
fn user_file(dir: &Path, name: &str) -> Result<Option<PathBuf>, String> {
    let path = dir.join(name);
    match std::fs::metadata(&path) {
        Err(_) => return Ok(None),
        Ok(m) if !m.is_file() => {
            return Err(format!("template {}: {}, not a regular file", path.display(), crate::files::kind_of(&m)));
        }
        Ok(_) => {}
    }
    let inside = match (path.canonicalize(), dir.canonicalize()) {
        (Ok(file), Ok(dir)) => file.starts_with(dir),
        _ => false,
    };
    if !inside {
        return Err(format!("template {}: a link leading outside the template folder is not followed", path.display()));
    }
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn only_the_bundled_names_can_be_loaded() {
        let dir = folder(&[("secret.txt", "SECRET"), ("article.xhtml", "<p>user {{ 1 + 1 }}</p>")]);
        let t = Templates::new(Some(dir.path().to_path_buf()));
        assert_eq!(t.render("article.xhtml", ()).unwrap(), "<p>user 2</p>");
        let outside = dir.path().join("secret.txt");
        for name in ["secret.txt", "../secret.txt", "/etc/passwd", outside.to_str().unwrap(), "./article.xhtml"] {
            let e = t.env.get_template(name).err().unwrap_or_else(|| panic!("{name} was loaded"));
            assert_eq!(e.kind(), ErrorKind::TemplateNotFound, "{name}");
        }
    }

    #[test]
    fn a_link_leading_out_of_the_folder_is_refused() {
        let outside = folder(&[("secret.txt", "SECRET")]);
        let dir = folder(&[]);
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("article.xhtml")).unwrap();
        let t = Templates::new(Some(dir.path().to_path_buf()));
        let e = t.render("article.xhtml", ()).unwrap_err();
        assert!(e.contains("article.xhtml") && e.contains("outside the template folder"), "{e}");
        assert!(!e.contains("SECRET"));
        assert!(t.check().is_err());
        // A link to another file inside the folder is fine.
        let inner = folder(&[("mine.xhtml", "<p>mine</p>")]);
        std::os::unix::fs::symlink(inner.path().join("mine.xhtml"), inner.path().join("article.xhtml")).unwrap();
        let t = Templates::new(Some(inner.path().to_path_buf()));
        assert_eq!(t.render("article.xhtml", ()).unwrap(), "<p>mine</p>");
    }

    #[test]
    fn include_import_and_extends_are_not_available() {
        let secret = folder(&[("secret.txt", "SECRET")]);
        let secret = secret.path().join("secret.txt");
        let secret = secret.display();
        for text in [
            format!("{{% include \"{secret}\" %}}"),
            "{% include \"../secret.txt\" %}".into(),
            "{% include \"title.xhtml\" %}".into(),
            format!("{{% import \"{secret}\" as s %}}"),
            format!("{{% from \"{secret}\" import x %}}"),
            format!("{{% extends \"{secret}\" %}}"),
        ] {
            let dir = folder(&[("article.xhtml", &text)]);
            let t = Templates::new(Some(dir.path().to_path_buf()));
            let e = t.check().unwrap_err();
            assert!(e.starts_with(&format!("{}:1: syntax error", dir.path().join("article.xhtml").display())), "{e}");
            assert!(!e.contains("SECRET"));
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
        let dir = folder(&[("title.xhtml", "<p>\n{{ book.title }}\n{% if %}\n</p>")]);
        let t = Templates::new(Some(dir.path().to_path_buf()));
        let e = t.check().unwrap_err();
        assert!(e.starts_with(&format!("{}:3: syntax error", dir.path().join("title.xhtml").display())), "{e}");
        assert_eq!(
            Templates::new(Some(dir.path().join("nowhere"))).check().unwrap_err(),
            format!("template folder {}: not a folder", dir.path().join("nowhere").display())
        );
        assert!(Templates::new(None).check().is_ok());
    }
}
