//! The template environment: bundled templates (embedded in the binary),
//! each overridable by a file of the same name in the user's template folder.
//! Only the known names are ever looked up, so a template cannot read
//! anything outside that folder. HTML escaping is forced for every template:
//! minijinja would not auto-escape `*.xhtml` by itself.

use std::path::PathBuf;

use minijinja::{AutoEscape, Environment, Error, ErrorKind};
use serde::Serialize;

/// Bundled templates: (name, text).
const BUNDLED: &[(&str, &str)] = &[
    ("article.xhtml", include_str!("../../../templates/article.xhtml")),
    ("title.xhtml", include_str!("../../../templates/title.xhtml")),
    ("cover.xhtml", include_str!("../../../templates/cover.xhtml")),
    ("style.css", include_str!("../../../templates/style.css")),
];

pub(crate) struct Templates {
    env: Environment<'static>,
}

impl Templates {
    pub(crate) fn new(template_dir: Option<PathBuf>) -> Templates {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_loader(move |name| {
            let Some((_, bundled)) = BUNDLED.iter().find(|(n, _)| *n == name) else {
                return Ok(None);
            };
            if let Some(dir) = &template_dir {
                let path = dir.join(name);
                if path.is_file() {
                    return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                        Error::new(ErrorKind::InvalidOperation, format!("cannot read template {}: {e}", path.display()))
                    });
                }
            }
            Ok(Some((*bundled).to_string()))
        });
        Templates { env }
    }

    pub(crate) fn render<S: Serialize>(&self, name: &str, ctx: S) -> Result<String, String> {
        let template = self.env.get_template(name).map_err(|e| format!("template {name}: {e:#}"))?;
        template.render(ctx).map_err(|e| format!("template {name}: {e:#}"))
    }
}
