//! The `folio` command line: parses flags, builds a [`pipeline::Request`],
//! runs it, prints the summary and sets the exit code
//! (0 built, 1 something failed, 2 usage or configuration error).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use folio::config::{self, Config};
use folio::pipeline::{self, Built, Request};
use folio::read::profile::Profile;
use folio::write::{Format, PageSize, WriteOptions};

/// Formats built when neither `--format` nor the config names any.
const DEFAULT_FORMATS: &[Format] = &[Format::Md, Format::Json];

#[derive(Parser)]
#[command(
    name = "folio",
    version,
    about = "Turn compilations of Chinese articles (scraped paginated pages) into books: EPUB 3, printable PDF, Markdown and JSON.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    build: BuildArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Build every compilation found in the inputs (the default command).
    Build(BuildArgs),
}

#[derive(Args, Clone)]
struct BuildArgs {
    /// Page files or folders of them (`.txt` pages, folio `.md` files). Default: `inputs/`.
    inputs: Vec<PathBuf>,
    /// Output folder. Default: `out/` (or `output` in folio.toml).
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Output formats, comma-separated. Default: md,json (or `formats` in folio.toml).
    #[arg(short, long, value_delimiter = ',', value_name = "FORMATS")]
    format: Vec<Format>,
    /// PDF paper size.
    #[arg(long, value_name = "SIZE")]
    page_size: Option<PageSize>,
    /// EPUB: embed a subset of the bundled fonts (only the characters used).
    #[arg(long)]
    embed_fonts: bool,
    /// Folder of templates overriding the bundled ones.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Config file. Default: folio.toml next to the inputs, else in the working folder.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Worker threads (default: all cores). Output is identical whatever the count.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// No progress and no summary; errors are still printed.
    #[arg(short, long)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let args = match cli.command {
        Some(Command::Build(a)) => a,
        None => cli.build,
    };
    match build(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("folio: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs a build; `Err` is a usage or configuration error (exit 2).
fn build(args: BuildArgs) -> Result<ExitCode, String> {
    let inputs = if args.inputs.is_empty() { vec![PathBuf::from("inputs")] } else { args.inputs.clone() };
    let config_path = args.config.clone().or_else(|| config::find(&inputs));
    let config = match &config_path {
        Some(p) => config::load(p).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    let mut profile = Profile::builtin();
    for p in &config.profiles {
        profile = Profile::with_user(p).map_err(|e| format!("{}: {e}", config_path.as_ref().unwrap().display()))?;
    }
    if let Some(jobs) = args.jobs {
        rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build_global().map_err(|e| e.to_string())?;
    }
    let formats = if !args.format.is_empty() {
        args.format.clone()
    } else {
        config.formats.clone().unwrap_or_else(|| DEFAULT_FORMATS.to_vec())
    };
    let mut formats_sorted = formats;
    formats_sorted.sort();
    formats_sorted.dedup();
    let source_date_epoch = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            Some(v.trim().parse::<i64>().map_err(|_| format!("SOURCE_DATE_EPOCH is not a number of seconds: `{v}`"))?)
        }
        Err(_) => None,
    };
    let request = Request {
        output: args.output.clone().or(config.output.clone()).unwrap_or_else(|| PathBuf::from("out")),
        formats: formats_sorted,
        options: WriteOptions {
            embed_fonts: args.embed_fonts || config.embed_fonts.unwrap_or(false),
            page_size: args.page_size.or(config.page_size).unwrap_or_default(),
            template_dir: args.templates.clone().or(config.templates.clone()),
            fonts: folio::write::FontOptions { serif: config.fonts.serif.clone(), sans: config.fonts.sans.clone() },
            source_date_epoch,
        },
        profile,
        write_outputs: true,
        inputs,
    };
    let files = pipeline::discover(&request.inputs).map_err(|e| e.to_string())?;
    if files.is_empty() {
        return Err(format!("no page files (.txt) or folio Markdown files (.md) in {}", show(&request.inputs)));
    }

    let terminal = std::io::stderr().is_terminal() && !args.quiet;
    let bar = if terminal {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} compilations built {msg}").expect("valid template"),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Some(bar)
    } else {
        None
    };
    let on_done = |b: &Built| {
        if let Some(bar) = &bar {
            bar.inc(1);
            bar.set_message(b.title.clone());
        }
    };
    let outcome = pipeline::run(&request, &files, &on_done);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    for e in &outcome.file_errors {
        eprintln!("error: {e}");
    }
    for b in &outcome.built {
        if !args.quiet {
            eprintln!(
                "{}: {} articles from pages {}, {} warnings",
                b.title,
                b.articles.len(),
                folio::read::ranges(&b.pages),
                b.warnings.len()
            );
            for (i, a) in b.articles.iter().enumerate() {
                let title = if a.title.is_empty() { "(title on a missing page)" } else { &a.title };
                let mut line = format!("  {:>3}. {title}", i + 1);
                if !a.authors.is_empty() {
                    line += &format!(" — {}", a.authors.join("、"));
                }
                if let Some(d) = &a.date {
                    line += &format!(" ({d})");
                }
                if a.continued {
                    line += " [start missing]";
                }
                if a.truncated {
                    line += " [end missing]";
                }
                eprintln!("{line}");
            }
            for w in &b.warnings {
                let at = w.origin.as_ref().map(|o| format!(" ({}:{})", o.file, o.line)).unwrap_or_default();
                eprintln!("  warning: {}{at}", w.message);
            }
            for o in &b.outputs {
                eprintln!("  wrote {}", o.display());
            }
        }
        for e in &b.errors {
            eprintln!("error: {}: {e}", b.title);
        }
    }
    Ok(if outcome.failed() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn show(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
