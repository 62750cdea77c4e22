//! The `folio` command line: parses flags, builds a [`pipeline::Request`],
//! runs it with progress suited to where stderr goes, prints the summary,
//! writes the report and sets the exit code (0 built, 1 something failed,
//! 2 usage or configuration error).
//!
//! One file though over 500 lines: it is the binary's only module (all the
//! work is in the library), and its parts — the flags, the run, the summary
//! and the progress lines — are the one job of talking to the user.
//!
//! Its own functions (`build`, `check_targets`, `merge`) return `String`
//! errors on purpose: each is the one line printed before the exit code 2,
//! made here from the typed errors of the library (configuration, profile,
//! destination, report), which keep their sources up to this point.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use folio::config::{self, Config};
use folio::files::{self, Destination};
use folio::pipeline::{self, Observer, Request, Shard};
use folio::read::profile::Profile;
use folio::report::{printable, CompilationReport, Report, Status};
use folio::write::{Format, PageSize, WriteOptions};

/// Formats built when neither `--format` nor the config names any.
const DEFAULT_FORMATS: &[Format] = &Format::ALL;
/// `-j` is capped at this many worker threads per core.
const MAX_THREADS_PER_CORE: usize = 4;
/// Largest report `report merge` reads.
const MAX_REPORT_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Parser)]
#[command(
    name = "folio",
    version,
    about = "Turn compilations of Chinese articles (scraped paginated pages) into books: EPUB 3, printable PDF, Markdown and JSON.",
    long_about = "Turn compilations of Chinese articles (scraped paginated pages) into books: EPUB 3, printable PDF, Markdown and JSON.\n\nWith no command, `folio` builds (`folio build`). Exit codes: 0 all built; 1 a file or compilation failed (the others were still built), or --strict and a warning; 2 usage or configuration error.",
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
    /// Read and validate the inputs without writing outputs (same report and exit codes).
    Check(CommonArgs),
    /// Work with reports.
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Combine shard reports (from `--shard K/N --report FILE`) into one.
    Merge {
        /// Reports to merge.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        /// Where to write the merged report (`-` for stdout).
        #[arg(short, long, value_name = "FILE", default_value = "-")]
        output: PathBuf,
    },
}

/// Options shared by `build` and `check`.
#[derive(Args, Clone)]
struct CommonArgs {
    /// Page files or folders of them (`.txt` pages, folio `.md` files). Default: `inputs/`.
    inputs: Vec<PathBuf>,
    /// Config file. Default: folio.toml next to the inputs, else in the working folder.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Worker threads (default: all cores). Output is identical whatever the count.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// Treat warnings (missing page, missing glyph, article without author, low-confidence segmentation, …) as failures (exit 1).
    #[arg(long)]
    strict: bool,
    /// Write a JSON report (see README) to FILE, or `-` for stdout.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Progress lines on stderr when it is not a terminal: plain text or NDJSON events.
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    log_format: LogFormat,
    /// Build only shard K of N (0 <= K < N): compilations are assigned by a hash of their title.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// No progress and no summary; errors are still printed.
    #[arg(short, long)]
    quiet: bool,
    /// Summary in full: every article, every warning and every file written (by default, per compilation one
    /// line of warning counts by kind and the first few warnings; the report keeps them all).
    #[arg(short, long, conflicts_with = "quiet")]
    verbose: bool,
}

#[derive(Args, Clone)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output folder. Default: `out/` (or `output` in folio.toml).
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Output formats, comma-separated. Default: every format (or `formats` in folio.toml).
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
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Build(a)) => build(a, true),
        None => build(cli.build, true),
        Some(Command::Check(common)) => build(
            BuildArgs { common, output: None, format: vec![], page_size: None, embed_fonts: false, templates: None },
            false,
        ),
        Some(Command::Report(ReportCommand::Merge { reports, output })) => merge(&reports, &output),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("folio: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs a build (or a check); `Err` is a usage or configuration error (exit 2).
fn build(args: BuildArgs, write_outputs: bool) -> Result<ExitCode, String> {
    let common = &args.common;
    let inputs = if common.inputs.is_empty() { vec![PathBuf::from("inputs")] } else { common.inputs.clone() };
    let config_path = common.config.clone().or_else(|| config::find(&inputs));
    let config = match &config_path {
        Some(p) => config::load(p).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    if common.config.is_none() {
        for unused in config::unused(&inputs, config_path.as_deref()) {
            let used = config_path.as_ref().map_or("none is".into(), |p| format!("{} is", p.display()));
            eprintln!(
                "folio: warning: {}: not used; one config applies to a run ({used}); name one with --config",
                unused.display()
            );
        }
    }
    // An interrupted run leaves no partial file: its temporaries are removed
    // on Ctrl-C. Set first: the handler's thread starts while the other
    // cores are still idle.
    let _ = ctrlc::set_handler(move || {
        pipeline::remove_temporaries();
        eprintln!("folio: interrupted");
        std::process::exit(130);
    });
    // This thread is one of the pool's: it works in the parallel phases
    // instead of waiting for them, and the run has one thread fewer to
    // start, each with its own allocator heap (a fresh huge page to zero).
    let mut pool = rayon::ThreadPoolBuilder::new().use_current_thread();
    if let Some(jobs) = common.jobs {
        pool = pool.num_threads(worker_threads(jobs, common.quiet));
    }
    pool.build_global().map_err(|e| e.to_string())?;
    let mut formats = if !args.format.is_empty() {
        args.format.clone()
    } else {
        config.formats.clone().unwrap_or_else(|| DEFAULT_FORMATS.to_vec())
    };
    formats.sort();
    pipeline::warm_up(if write_outputs { &formats } else { &[] });
    let mut profile = Profile::builtin();
    for p in &config.profiles {
        let path = config_path.as_ref().expect("profiles come from a config file");
        profile.add_user(p).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    formats.dedup();
    let source_date_epoch = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            Some(v.trim().parse::<i64>().map_err(|_| format!("SOURCE_DATE_EPOCH is not a number of seconds: `{v}`"))?)
        }
        Err(_) => None,
    };
    let mut request = Request {
        output: args.output.clone().or(config.output.clone()).unwrap_or_else(|| PathBuf::from("out")),
        formats,
        options: WriteOptions {
            embed_fonts: args.embed_fonts || config.embed_fonts.unwrap_or(false),
            page_size: args.page_size.or(config.page_size).unwrap_or_default(),
            resources: Default::default(),
            source_date_epoch,
        },
        profile,
        write_outputs,
        strict: common.strict,
        shard: common.shard,
        overrides: config.compilations.clone(),
        checksums: common.report.is_some(),
        inputs,
    };
    if write_outputs {
        // The user's templates and fonts, read once for the whole run: one
        // that cannot be used fails the run before anything is built.
        let paths = pipeline::ResourcePaths {
            templates: args.templates.clone().or(config.templates.clone()),
            fonts: folio::fonts::FontOptions { serif: config.fonts.serif.clone(), sans: config.fonts.sans.clone() },
        };
        request.options.resources = pipeline::load_resources(&paths, &request.formats).map_err(|e| e.to_string())?;
    }
    // Where the report goes is checked (and a FIFO or device opened) before
    // anything is built.
    let made = write_outputs.then_some(request.output.as_path());
    let destination = common
        .report
        .as_deref()
        .map(|p| Destination::open(p, made))
        .transpose()
        .map_err(|e| format!("--report {e}"))?;
    let found = pipeline::discover(&request.inputs, &request.output).map_err(|e| e.to_string())?;
    if found.files.is_empty() {
        for w in &found.skipped {
            eprintln!("{}", printable(&format!("warning: {w}")));
        }
        let shown: Vec<String> = request.inputs.iter().map(|p| p.display().to_string()).collect();
        return Err(format!("no page files (.txt) or folio Markdown files (.md) in {}", shown.join(", ")));
    }
    let plan = pipeline::plan(&request, found);
    check_targets(&request, &plan, destination.as_ref())?;

    let progress: Box<dyn Observer> = if common.quiet {
        Box::new(pipeline::Silent)
    } else if std::io::stderr().is_terminal() {
        Box::new(Bars::new())
    } else {
        Box::new(Lines {
            json: common.log_format == LogFormat::Json,
            verb: if write_outputs { "built" } else { "checked" },
        })
    };
    let report = pipeline::build(&request, plan, progress.as_ref());
    drop(progress);

    if !common.quiet {
        for w in &report.warnings {
            eprintln!("{}", printable(&format!("warning: {w}")));
        }
    }
    for e in &report.file_errors {
        eprintln!("{}", printable(&format!("error: {e}")));
    }
    for c in &report.compilations {
        if !common.quiet {
            print_summary(c, common.verbose);
        }
        for e in &c.errors {
            eprintln!("{}", printable(&format!("error: {}: {e}", c.name)));
        }
    }
    if let Some(destination) = destination {
        let mut json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        json.push('\n');
        let shown = destination.display();
        if let Err(e) = destination.write(json.as_bytes()) {
            eprintln!("{}", printable(&format!("error: {shown}: {e}")));
            return Ok(ExitCode::from(1));
        }
    }
    Ok(if report.failed() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Refuses, before anything is built, a run that would write over one of its
/// inputs: an output named like an input in the same folder (a folio
/// Markdown file built into its own folder), or a report that is an input or
/// an output.
fn check_targets(request: &Request, plan: &pipeline::Plan, report: Option<&Destination>) -> Result<(), String> {
    let inputs: std::collections::HashMap<files::FileId, &Path> =
        plan.inputs().iter().filter_map(|p| Some((files::identity(p)?, p.as_path()))).collect();
    if request.write_outputs {
        for output in plan.outputs(request) {
            if let Some(input) = files::identity(&output).and_then(|id| inputs.get(&id)) {
                let markdown = input
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| pipeline::MARKDOWN_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
                let named = if markdown {
                    "a Markdown book's outputs are named after its file"
                } else {
                    "outputs are named after the title in the page counter"
                };
                return Err(format!(
                    "{}: the output {} would overwrite this input ({named}); build into another folder (-o)",
                    input.display(),
                    output.display()
                ));
            }
        }
    }
    if let Some(report) = report {
        if let Some(input) = report.identity().and_then(|id| inputs.get(&id)) {
            return Err(format!("--report {}: that is an input file", input.display()));
        }
        if request.write_outputs {
            if let Some(output) = plan.outputs(request).find(|o| report.is(o)) {
                return Err(format!("--report {}: that is where an output goes", output.display()));
            }
        }
    }
    Ok(())
}

/// Worker threads for `-j N`: more than a few per core only costs memory
/// and start-up time (`-j 100000` used to abort creating them), so N is
/// capped at 4 per core, with a note.
fn worker_threads(asked: usize, quiet: bool) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most = cores * MAX_THREADS_PER_CORE;
    if asked > most {
        if !quiet {
            eprintln!("folio: -j {asked}: using {most} threads ({MAX_THREADS_PER_CORE} per core, {cores} cores)");
        }
        return most;
    }
    asked.max(1)
}

/// Warnings shown per compilation without `--verbose`.
const FIRST_WARNINGS: usize = 2;

/// The summary of one compilation. By default a few lines, like cargo's: what
/// was built and where, the warnings counted by kind, the first of them;
/// `verbose` lists every article, warning and file.
fn print_summary(c: &CompilationReport, verbose: bool) {
    if !verbose {
        let failed = if c.status == Status::Failed { ", FAILED" } else { "" };
        let wrote = if c.outputs.is_empty() { String::new() } else { format!(" → {}", outputs_line(c)) };
        eprintln!(
            "{}",
            printable(&format!(
                "{}: {} articles from pages {}{failed}{wrote}",
                c.title,
                c.articles.len(),
                folio::read::ranges(&c.pages_found)
            ))
        );
        if !c.warnings.is_empty() {
            let more = if c.warnings.len() > FIRST_WARNINGS { "; -v shows them all" } else { "" };
            eprintln!("  {} warnings: {}{more}", c.warnings.len(), warning_counts(&c.warnings));
        }
        for w in c.warnings.iter().take(FIRST_WARNINGS) {
            print_warning(w);
        }
        return;
    }
    eprintln!(
        "{}: {} articles from pages {}, {} warnings{}",
        printable(&c.title),
        c.articles.len(),
        folio::read::ranges(&c.pages_found),
        c.warnings.len(),
        if c.status == Status::Failed { ", FAILED" } else { "" }
    );
    for (i, a) in c.articles.iter().enumerate() {
        let title = match (a.title.is_empty(), a.continued) {
            (false, _) => &a.title,
            (true, true) => "(title on a missing page)",
            (true, false) => "(untitled)",
        };
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
        eprintln!("{}", printable(&line));
    }
    for w in &c.warnings {
        print_warning(w);
    }
    for o in &c.outputs {
        eprintln!("{}", printable(&format!("  wrote {} ({} bytes)", o.path, o.bytes)));
    }
}

fn print_warning(w: &folio::model::Warning) {
    let at = w.origin.as_ref().map(|o| format!(" ({}:{})", o.file, o.line)).unwrap_or_default();
    eprintln!("{}", printable(&format!("  warning: {}{at}", w.message)));
}

/// `58 no-author, 10 low-confidence`: warnings counted by kind (the names
/// the report uses), most frequent first.
fn warning_counts(warnings: &[folio::model::Warning]) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for w in warnings {
        let kind = serde_json::to_value(w.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        *counts.entry(kind).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.iter().map(|(kind, n)| format!("{n} {kind}")).collect::<Vec<_>>().join(", ")
}

/// The files written, on one line: `out/书名.{epub,json,md,pdf}` when they
/// share a name (as folio names them), else listed.
fn outputs_line(c: &CompilationReport) -> String {
    let paths: Vec<&Path> = c.outputs.iter().map(|o| Path::new(o.path.as_str())).collect();
    let stem = |p: &Path| p.with_extension("");
    let exts: Option<Vec<&str>> = paths.iter().map(|p| p.extension().and_then(|e| e.to_str())).collect();
    match exts {
        Some(exts) if paths.len() > 1 && paths.iter().all(|p| stem(p) == stem(paths[0])) => {
            format!("{}.{{{}}}", stem(paths[0]).display(), exts.join(","))
        }
        _ => c.outputs.iter().map(|o| o.path.as_str()).collect::<Vec<_>>().join(", "),
    }
}

fn merge(reports: &[PathBuf], output: &Path) -> Result<ExitCode, String> {
    let destination = Destination::open(output, None).map_err(|e| format!("-o {e}"))?;
    let mut parsed = Vec::new();
    for p in reports {
        if destination.is(p) {
            return Err(format!("-o {}: that is one of the reports merged", p.display()));
        }
        let text = files::read_text_bounded(p, MAX_REPORT_BYTES).map_err(|e| format!("{}: {e}", p.display()))?;
        let report = serde_json::from_str::<Report>(&text).map_err(|e| format!("{}: {e}", p.display()))?;
        parsed.push((p.display().to_string(), report));
    }
    let merged = Report::merge(parsed).map_err(|e| e.to_string())?;
    for w in &merged.warnings {
        eprintln!("{}", printable(&format!("warning: {w}")));
    }
    let mut json = serde_json::to_string_pretty(&merged).map_err(|e| e.to_string())?;
    json.push('\n');
    let shown = destination.display();
    destination.write(json.as_bytes()).map_err(|e| format!("{shown}: {e}"))?;
    Ok(if merged.failed() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Terminal progress: a bar for the batch, a line per compilation in flight.
struct Bars {
    multi: MultiProgress,
    batch: ProgressBar,
    lines: Mutex<BTreeMap<String, ProgressBar>>,
}

impl Bars {
    fn new() -> Bars {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let batch = multi.add(ProgressBar::new(0));
        batch.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} compilations {elapsed}").expect("valid template"),
        );
        Bars { multi, batch, lines: Mutex::new(BTreeMap::new()) }
    }
}

impl Observer for Bars {
    fn planned(&self, count: usize) {
        self.batch.set_length(count as u64);
    }
    fn stage(&self, name: &str, stage: &str) {
        let mut lines = self.lines.lock().expect("progress lock");
        let line = lines.entry(name.to_string()).or_insert_with(|| {
            let bar = self.multi.add(ProgressBar::new_spinner());
            bar.set_style(ProgressStyle::with_template("  {spinner} {prefix}: {msg}").expect("valid template"));
            bar.set_prefix(name.to_string());
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        line.set_message(stage.to_string());
    }
    fn finished(&self, report: &CompilationReport) {
        if let Some(bar) = self.lines.lock().expect("progress lock").remove(&report.name) {
            bar.finish_and_clear();
            self.multi.remove(&bar);
        }
        self.batch.inc(1);
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        self.batch.finish_and_clear();
    }
}

/// Progress for CI logs: one timestamp-free line (or NDJSON event) per compilation finished.
struct Lines {
    json: bool,
    /// `built`, or `checked` for `folio check`.
    verb: &'static str,
}

impl Observer for Lines {
    fn finished(&self, c: &CompilationReport) {
        if self.json {
            let event = serde_json::json!({
                "event": "compilation-finished",
                "name": c.name,
                "title": c.title,
                "status": c.status,
                "articles": c.articles.len(),
                "warnings": c.warnings.len(),
                "errors": c.errors.len(),
                "outputs": c.outputs.iter().map(|o| &o.path).collect::<Vec<_>>(),
            });
            eprintln!("{event}");
        } else {
            let status = if c.status == Status::Failed { "failed" } else { self.verb };
            eprintln!(
                "folio: {status} {} ({} articles, {} warnings, {} errors)",
                printable(&c.name),
                c.articles.len(),
                c.warnings.len(),
                c.errors.len()
            );
        }
    }
}
