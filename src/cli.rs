//! The command line: `artlint [PATH...]`, `artlint rules`, `artlint rule CODE`.
//! Exit codes: 0 no error-level finding, 1 findings at error level (or too many warnings),
//! 2 usage, configuration or internal error.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::{CliOverrides, ConfigError, ConfigResolver, validate_selector};
use crate::diagnostic::Severity;
use crate::engine::{self, CheckOptions};
use crate::fix::FixMode;
use crate::report::{self, Format, Summary};
use crate::rules;

#[derive(Parser, Debug)]
#[command(
    name = "artlint",
    version,
    about = "A fast linter for article corpora: front matter, dates, images, boilerplate, HTML."
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Lint files and folders (the default command).
    Check(Box<CheckArgs>),
    /// List every rule: code, name, family, default severity, fix.
    Rules,
    /// Find text that recurs across the posts of each folder and write it as a pack to review.
    Learn {
        /// Files, folders or glob patterns (default: the current folder).
        paths: Vec<PathBuf>,
        /// Where to write the pack (default: print it).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The pack's name (and its rules' name prefix).
        #[arg(long, default_value = "learned")]
        name: String,
        /// A block must occur in at least this many posts of a folder (2 or more).
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(2..=1_000_000))]
        min_files: u64,
        /// And in at least this percentage of the folder's posts (1 to 100).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=100))]
        min_percent: u64,
    },
    /// Print one rule's documentation.
    Rule {
        /// A code (FM004) or a name (required-field).
        code: String,
    },
    /// Run the language server (LSP over standard input and output), for editors.
    Server,
    /// Compute the cross-file findings of a sharded run from its shards' `--emit-facts` files.
    Merge {
        /// The facts files of every shard.
        #[arg(required = true)]
        facts: Vec<PathBuf>,
        #[command(flatten)]
        report: ReportArgs,
        /// Where online image results are cached (default: .artlint-cache).
        #[arg(long, default_value = ".artlint-cache")]
        cache_dir: PathBuf,
    },
}

/// How a run's findings are reported and what its exit code says: shared by `check` and
/// `merge`, so that a sharded CI job reads like a whole one.
#[derive(Args, Debug, Default)]
struct ReportArgs {
    /// Output format (default: human on a terminal, concise when piped).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    exit_zero: bool,
    /// Exit 1 when there are more warnings than this.
    #[arg(long)]
    max_warnings: Option<usize>,
    /// Report only findings not recorded in this baseline file.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Record every finding in this baseline file (and exit 0). It is the run's only output
    /// (no report is printed): not with --statistics or --output-file.
    #[arg(long, conflicts_with_all = ["statistics", "output_file"])]
    write_baseline: Option<PathBuf>,
    /// Print counts per rule instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o')]
    output_file: Option<PathBuf>,
    /// Disable colour (also off when piped or when NO_COLOR is set).
    #[arg(long)]
    no_color: bool,
}

impl ReportArgs {
    /// The format asked for, or the one for where standard output goes.
    fn format(&self, stdout_tty: bool) -> Format {
        self.format.unwrap_or(if stdout_tty {
            Format::Human
        } else {
            Format::Concise
        })
    }

    /// The files this run will write, with the option that names each.
    fn outputs(&self) -> Vec<(&'static str, &Path)> {
        let mut outputs = Vec::new();
        outputs.extend(self.output_file.as_deref().map(|p| ("--output-file", p)));
        outputs.extend(
            self.write_baseline
                .as_deref()
                .map(|p| ("--write-baseline", p)),
        );
        outputs
    }

    /// Whether the report on standard output is coloured.
    fn color(&self, stdout_tty: bool) -> bool {
        stdout_tty
            && !self.no_color
            && self.output_file.is_none()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    }
}

#[derive(Args, Debug, Default)]
struct CheckArgs {
    /// Files, folders or glob patterns to lint (default: the current folder).
    paths: Vec<PathBuf>,
    /// Only these rules (codes, prefixes, names, families or ALL; comma-separated).
    #[arg(long, value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// Add these rules to the selection (e.g. off-by-default ones).
    #[arg(long, value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Skip these rules.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Use this configuration file instead of looking for artlint.toml.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Site-generator preset: auto, generic, hexo, jekyll, hugo.
    #[arg(long)]
    preset: Option<String>,
    #[command(flatten)]
    report: ReportArgs,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Treat this moment as now when judging future dates (RFC 3339), for reproducible runs.
    #[arg(long, value_parser = parse_now)]
    now: Option<jiff::Timestamp>,
    /// Apply safe fixes (and, with --unsafe-fixes, unsafe ones), then report what is left.
    #[arg(long)]
    fix: bool,
    /// Also apply fixes marked unsafe (with --fix or --diff).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff; write nothing. Exits 1 when there is a diff (0 with
    /// --exit-zero). (Not with --write-baseline: the findings left would be of texts that are
    /// not on disk.)
    #[arg(long, conflicts_with = "write_baseline")]
    diff: bool,
    /// Check image URLs over HTTP (also `online = true` in artlint.toml).
    #[arg(long)]
    online: bool,
    /// Lint only shard K of N (1-based): a stable share of the files, by path. The cross-file
    /// rules then wait for `artlint merge` (see --emit-facts).
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<(u64, u64)>,
    /// Write this run's corpus facts to FILE, for `artlint merge`. (Not with --diff: the facts
    /// would be of texts that are not on disk.)
    #[arg(long, value_name = "FILE", conflicts_with = "diff")]
    emit_facts: Option<PathBuf>,
    /// Do not read or write the result cache.
    #[arg(long)]
    no_cache: bool,
    /// Where results are cached (default: .artlint-cache).
    #[arg(long, default_value = ".artlint-cache")]
    cache_dir: PathBuf,
}

fn parse_shard(text: &str) -> Result<(u64, u64), String> {
    let parsed = text
        .split_once('/')
        .and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
    match parsed {
        Some((k, n)) if n >= 1 && (1..=n).contains(&k) => Ok((k, n)),
        _ => Err("expected K/N with 1 ≤ K ≤ N, such as 2/5".into()),
    }
}

fn parse_now(text: &str) -> Result<jiff::Timestamp, String> {
    text.parse()
        .map_err(|e| format!("expected an RFC 3339 timestamp such as 2022-01-01T00:00:00Z ({e})"))
}

pub fn main() -> ExitCode {
    let mut cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    // `-o -` is standard output, as for most tools that take an output file.
    for report in [
        Some(&mut cli.check.report),
        match &mut cli.command {
            Some(Command::Check(args)) => Some(&mut args.report),
            Some(Command::Merge { report, .. }) => Some(report),
            _ => None,
        },
    ]
    .into_iter()
    .flatten()
    {
        report.output_file.take_if(|p| p.as_os_str() == "-");
    }
    if let Some(Command::Learn { output, .. }) = &mut cli.command {
        output.take_if(|p| p.as_os_str() == "-");
    }
    if cli.command.is_none()
        && let Some(code) = misplaced_command(&cli.check.paths)
    {
        return code;
    }
    match cli.command {
        Some(Command::Rules) => print_rules(),
        Some(Command::Rule { code }) => print_rule(&code),
        Some(Command::Learn {
            paths,
            output,
            name,
            min_files,
            min_percent,
        }) => learn(paths, output, &name, min_files, min_percent),
        Some(Command::Server) => crate::server::run(),
        Some(Command::Merge {
            facts,
            report,
            cache_dir,
        }) => merge(&facts, &report, cache_dir),
        Some(Command::Check(args)) => check(*args),
        None => check(cli.check),
    }
}

/// Print clap's error, help or version: 2 for a usage error, and for help or version that
/// could not be written (a full disk; a closed pipe is not an error), else 0.
fn clap_exit(e: &clap::Error) -> ExitCode {
    let printed = e.print().and_then(|()| std::io::stdout().flush());
    if e.use_stderr() {
        return ExitCode::from(2);
    }
    match printed {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write to standard output: {err}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// A command name among the paths of the default command, where no such file exists:
/// `artlint --exit-zero merge a.facts` put an option before the command, and clap, which takes
/// what follows an option as the default command's arguments, would lint a file `merge`.
fn misplaced_command(paths: &[PathBuf]) -> Option<ExitCode> {
    use clap::CommandFactory;
    let cli = Cli::command();
    let path = paths.iter().find(|p| {
        // clap adds `help` after `command()` is built.
        (p.as_os_str() == "help" || cli.get_subcommands().any(|c| p.as_os_str() == c.get_name()))
            && std::fs::symlink_metadata(p).is_err()
    })?;
    let name = path.display();
    eprintln!(
        "error: `{name}` is a command, but it comes after an option, where the paths to lint go\n  \
         help: put the command first, then its options: `artlint {name} [OPTIONS] ...`"
    );
    Some(ExitCode::from(2))
}

fn print_rules() -> ExitCode {
    let mut out = String::new();
    out.push_str(&format!(
        "{:<10} {:<28} {:<13} {:<8} {}\n",
        "CODE", "NAME", "FAMILY", "SEVERITY", "FIX"
    ));
    for rule in rules::registry() {
        let m = rule.meta();
        let severity = if m.default_enabled {
            m.severity.as_str()
        } else {
            "off"
        };
        let fix = if m.fix == rules::FixKind::None {
            ""
        } else {
            m.fix.as_str()
        };
        out.push_str(&format!(
            "{:<10} {:<28} {:<13} {:<8} {}\n",
            m.code,
            m.name,
            m.family.name(),
            severity,
            fix
        ));
    }
    write_stdout(&out).err().unwrap_or(ExitCode::SUCCESS)
}

fn print_rule(code: &str) -> ExitCode {
    let Some(rule) = rules::find(code) else {
        match validate_selector(code) {
            Err(help) => eprintln!("error: unknown rule `{code}`\n  help: {help}"),
            // A prefix, a family or ALL: a selector, but no one rule's page.
            Ok(()) => eprintln!(
                "error: `{code}` names several rules, not one\n  help: `artlint rules` lists them; name one by its code (FM004) or its name (required-field)"
            ),
        }
        return ExitCode::from(2);
    };
    write_stdout(&rule_page(rule.meta()))
        .err()
        .unwrap_or(ExitCode::SUCCESS)
}

/// A rule's documentation page, as `artlint rule CODE` prints it (Markdown).
pub fn rule_page(m: &rules::RuleMeta) -> String {
    let severity = if m.default_enabled {
        m.severity.as_str()
    } else {
        "off by default"
    };
    let fix = m.fix.as_str();
    let mut out = format!(
        "# {} ({})\n\nFamily: {} · Default severity: {} · Fix: {}\n\n{}\n",
        m.name,
        m.code,
        m.family.name(),
        severity,
        fix,
        m.docs()
    );
    if !m.options.is_empty() {
        out.push_str("\n## Options\n");
        for o in m.options {
            out.push_str(&format!("- `{}`: {}\n", o.name, o.help));
        }
    }
    out
}

fn learn(
    paths: Vec<PathBuf>,
    output: Option<PathBuf>,
    name: &str,
    min_files: u64,
    min_percent: u64,
) -> ExitCode {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        eprintln!("error: --name must be kebab-case (lower-case letters, digits, `-`)");
        return ExitCode::from(2);
    }
    let mut resolver = match ConfigResolver::new(None, CliOverrides::default()) {
        Ok(r) => r,
        Err(e) => return config_error(&e),
    };
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let targets = match crate::discover::discover(&paths, &mut resolver) {
        Ok(t) => t,
        Err(e) => return config_error(&e),
    };
    if let Some(path) = &output
        && let Err(code) = refuse_inputs_as_outputs(&[("--output", path)], &targets, &[])
    {
        return code;
    }
    for pattern in targets.unmatched_patterns() {
        eprintln!("warning: the pattern `{pattern}` matches no file to learn from");
    }
    let to_count = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let learned = crate::corpus::learn(&targets, to_count(min_files), to_count(min_percent), name);
    // A path that names nothing, or a post that cannot be read, is not learned from: said, and
    // with nothing left to learn from the run fails (it wrote an empty pack and passed).
    for (path, reason) in &learned.unread {
        eprintln!(
            "warning: {}: {}; not learned from",
            path.display(),
            crate::source::skip_reason_text(reason)
        );
    }
    if learned.read == 0 {
        eprintln!("error: no post to learn from");
        return ExitCode::from(2);
    }
    let (pack, entries) = (learned.pack, learned.entries);
    if entries == 0 {
        eprintln!(
            "warning: no block recurs in {min_files} or more posts and {min_percent}% of a folder's posts ({} posts read)",
            learned.read
        );
    }
    match output {
        Some(path) => {
            let written = crate::atomic_write::replace_file(
                &path,
                crate::atomic_write::Fallback::Refuse,
                |out| out.write_all(pack.as_bytes()),
            );
            if let Err(e) = written {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
            eprintln!(
                "Wrote {entries} recurring block(s) to {}; review them before use.",
                path.display()
            );
        }
        None => {
            if let Err(code) = write_stdout(&pack) {
                return code;
            }
        }
    }
    ExitCode::SUCCESS
}

fn write_stdout(text: &str) -> Result<(), ExitCode> {
    stream_stdout(|out| out.write_all(text.as_bytes()))
}

/// Run `write` on a buffered standard output. A closed pipe (`artlint … | head`) ends it
/// quietly: a reader that has read enough is no error. Any other failure (a full disk) is
/// told, and is exit 2: a report that was not written is no pass. (A standard output closed
/// before the run is not seen: Rust's std writes to it as to a sink.)
fn stream_stdout(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ExitCode> {
    let mut out = std::io::BufWriter::with_capacity(
        crate::atomic_write::BUFFER_BYTES,
        std::io::stdout().lock(),
    );
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write to standard output: {e}");
            Err(ExitCode::from(2))
        }
        _ => Ok(()),
    }
}

fn config_error(error: &ConfigError) -> ExitCode {
    let mut message = String::new();
    if error.source_text.is_empty() || error.span.is_none() {
        message.push_str(&format!("error: {}", error.message));
        if !error.path.as_os_str().is_empty() {
            message.push_str(&format!(" ({})", error.path.display()));
        }
        message.push('\n');
        if let Some(help) = &error.help {
            message.push_str(&format!("  help: {help}\n"));
        }
    } else {
        let span = error.span.clone().unwrap_or(0..0);
        let report = miette::MietteDiagnostic::new(error.message.clone())
            .with_code("config")
            .with_label(miette::LabeledSpan::at(span, "here"));
        let report = match &error.help {
            Some(h) => report.with_help(h.clone()),
            None => report,
        };
        let report = miette::Report::new(report).with_source_code(miette::NamedSource::new(
            error.path.display().to_string(),
            error.source_text.clone(),
        ));
        message.push_str(&format!("{report:?}\n"));
    }
    eprint!("{message}");
    ExitCode::from(2)
}

fn check(args: CheckArgs) -> ExitCode {
    let started = std::time::Instant::now();
    let mut outputs = args.report.outputs();
    outputs.extend(args.emit_facts.as_deref().map(|p| ("--emit-facts", p)));
    if let Err(code) = refuse_unwritable(&outputs) {
        return code;
    }
    if let Err(code) = refuse_statistics_format(&args.report) {
        return code;
    }
    if args.diff
        && (args.report.statistics
            || args
                .report
                .format
                .is_some_and(|f| !matches!(f, Format::Human | Format::Concise)))
    {
        eprintln!(
            "error: --diff prints a unified diff: not with --statistics or a machine --format\n  help: run --diff alone, or the report without it"
        );
        return ExitCode::from(2);
    }
    if let Some(preset) = args
        .preset
        .as_ref()
        .filter(|p| !crate::presets::PRESET_NAMES.contains(&p.as_str()))
    {
        eprintln!(
            "error: unknown preset `{preset}`\n  help: presets: {}",
            crate::presets::PRESET_NAMES.join(", ")
        );
        return ExitCode::from(2);
    }
    // Parsers recurse: give workers the main thread's stack size, not the 2 MiB default.
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(8 * 1024 * 1024);
    if let Some(threads) = args.threads {
        pool = pool.num_threads(threads.max(1));
    }
    // Fails only if a pool was already built, which cannot happen this early.
    let _ = pool.build_global();
    // Selectors are sets (a rule is on if any names it): held sorted, so that `--select FM,DT`
    // and `--select DT,FM` are one configuration, for the cache and for shards alike.
    let set = |list: &[String]| {
        let mut list = list.to_vec();
        list.sort();
        list.dedup();
        list
    };
    let cli = CliOverrides {
        preset: args.preset.clone(),
        now: args.now,
        online: args.online,
        select: args.select.as_deref().map(set),
        extend_select: set(&args.extend_select),
        ignore: set(&args.ignore),
    };
    // Runs with other overrides keep their own cache file.
    let cache_file = crate::cache::file_name(&cli, args.config.as_deref());
    let mut resolver = match ConfigResolver::new(args.config.as_deref(), cli) {
        Ok(r) => r,
        Err(e) => return config_error(&e),
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut clock = std::time::Instant::now();
    // The cache is read (and checked) on another thread while this one walks the folders: the
    // walk is one thread's work, and a warm run waits for both.
    let (discovered, cache) = std::thread::scope(|scope| {
        let cache = (!args.no_cache)
            .then(|| scope.spawn(|| crate::cache::Cache::open_named(&args.cache_dir, cache_file)));
        let discovered = crate::discover::discover(&paths, &mut resolver);
        let cache = cache.map(|opening| {
            opening
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (discovered, cache)
    });
    let mut targets = match discovered {
        Ok(t) => t,
        Err(e) => return config_error(&e),
    };
    for pattern in targets.unmatched_patterns() {
        eprintln!("warning: the pattern `{pattern}` matches no file to lint");
    }
    let read: Vec<&Path> = args.report.baseline.as_deref().into_iter().collect();
    if let Err(code) = refuse_inputs_as_outputs(&outputs, &targets, &read) {
        return code;
    }
    // Discovery's sorting and merging freed most of what it held: hand those pages back now,
    // or they stay resident through the checks (the allocator returns freed pages only after
    // a delay, and returning them at once everywhere cost a sixth of a run).
    // SAFETY: `mi_collect` has no preconditions; it only frees the allocator's unused pages.
    unsafe { libmimalloc_sys::mi_collect(true) };
    crate::timings::lap("discover, and open the cache", &mut clock);
    // Checked after the configurations are loaded: a user pack's codes are selectors too.
    for selector in args
        .select
        .iter()
        .flatten()
        .chain(&args.ignore)
        .chain(&args.extend_select)
    {
        let in_user_pack = targets
            .configs()
            .any(|config| config.pack_rules.iter().any(|r| r.meta().matches(selector)));
        if in_user_pack {
            continue;
        }
        if let Err(help) = validate_selector(selector) {
            eprintln!("error: `{selector}` selects no rule\n  help: {help}");
            return ExitCode::from(2);
        }
    }
    // Selectors are checked on the whole corpus first: every shard must agree about them.
    let scope = if args.shard.is_some() || args.emit_facts.is_some() {
        engine::RunScope::Shard
    } else {
        engine::RunScope::Whole
    };
    let corpus_key =
        (scope == engine::RunScope::Shard).then(|| crate::shard::split(&mut targets, args.shard));
    match (args.shard, &args.emit_facts) {
        (Some(_), None) => eprintln!(
            "warning: --shard without --emit-facts: the cross-file rules of this split will never run"
        ),
        (None, Some(_)) => eprintln!(
            "warning: --emit-facts: this run's cross-file findings are left to `artlint merge`"
        ),
        _ => {}
    }
    let stdout_tty = std::io::stdout().is_terminal();
    let format = args.report.format(stdout_tty);
    let show_progress = crate::progress::progress_allowed(
        std::io::stderr().is_terminal(),
        std::env::var_os("CI").as_deref(),
        format,
    );
    let progress = show_progress.then(|| std::sync::Arc::new(crate::progress::Progress::new()));
    let display = progress
        .clone()
        .map(|p| crate::progress::ProgressDisplay::start(p, targets.len(), started));
    // Code frames for the human report, which `--diff` replaces by the diffs: the checks and
    // the corpus pass make them alike (the cross-file findings the cache keeps under a key
    // that says whether they have frames are then what the key says).
    let snippets = format == Format::Human && !args.diff;
    let (result, shard_facts) = engine::run_with(
        &targets,
        CheckOptions {
            snippets,
            fix: match (args.fix || args.diff, args.unsafe_fixes) {
                (false, _) => FixMode::Off,
                (true, false) => FixMode::Safe,
                (true, true) => FixMode::Unsafe,
            },
            diff_only: args.diff,
            // A shard's run asks for it.
            content_hash: false,
        },
        &crate::corpus::CorpusEnv {
            cache_dir: (!args.no_cache).then(|| args.cache_dir.clone()),
            progress: show_progress,
            snippets,
        },
        engine::RunWith {
            cache: cache.as_ref(),
            scope,
            progress: progress.as_deref(),
            ..engine::RunWith::default()
        },
    );
    // Cleared before anything else is printed.
    if let Some(display) = display {
        display.finish();
    }
    if let Some(cache) = &cache
        && std::env::var_os("ARTLINT_CACHE_STATS").is_some()
    {
        eprintln!(
            "cache: {} of {} files from the cache, {} of them not read",
            cache.hits(),
            targets.len(),
            cache.unread()
        );
    }
    crate::timings::lap("run", &mut clock);
    if let Some(cache) = cache
        && let Err(e) = cache.save()
    {
        eprintln!(
            "warning: cannot write the cache in {}: {e}",
            args.cache_dir.display()
        );
    }
    if let (Some(path), Some(facts), Some(corpus)) = (&args.emit_facts, shard_facts, corpus_key)
        && let Err(e) = crate::shard::write_facts(path, args.shard, corpus, facts)
    {
        eprintln!("error: cannot write the facts to {}: {e}", path.display());
        return ExitCode::from(2);
    }
    let mut result = result;
    // Files a fix could not write are told before anything else ends the run (a baseline
    // written instead of a report, too): each is an error, and the exit code says so.
    let write_failed = result.fixed.iter().any(|f| f.error.is_some());
    for fixed in &result.fixed {
        if let Some(error) = &fixed.error {
            eprintln!("{}: {error}", fixed.path.display());
        }
    }
    if args.fix && !args.diff {
        let fixes: usize = result
            .fixed
            .iter()
            .filter(|f| f.error.is_none())
            .map(|f| f.fixes)
            .sum();
        let files = result.fixed.iter().filter(|f| f.error.is_none()).count();
        eprintln!(
            "Fixed {fixes} problem{} in {files} file{}.",
            if fixes == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" }
        );
    }
    // What this run looked for: a recorded finding elsewhere is not "gone".
    let checked: std::collections::HashMap<String, usize> = if args.report.baseline.is_some() {
        (0..targets.len())
            .filter_map(|i| Some((targets.path(i)?.display().to_string(), i)))
            .collect()
    } else {
        Default::default()
    };
    // Posts that could not be checked (unreadable, binary, too large) were not looked at.
    let skipped: std::collections::HashSet<String> = if args.report.baseline.is_some() {
        result
            .diagnostics
            .iter()
            .filter(|d| d.rule.family == rules::Family::Io)
            .map(|d| report::display_path(d).into_owned())
            .collect()
    } else {
        Default::default()
    };
    let ran = |path: &str, code: &str| {
        let deferred = scope == engine::RunScope::Shard && crate::corpus::is_cross_file(code);
        !deferred
            && !skipped.contains(path)
            && checked
                .get(path)
                .and_then(|&i| targets.get(i))
                .is_some_and(|t| {
                    (t.config.online.enabled || !crate::corpus::is_online(code))
                        && t.config
                            .rules_for(&t.path)
                            .iter()
                            .any(|r| r.rule.meta().code == code)
                })
    };
    let baseline_scope = crate::baseline::Scope {
        checked: &|path| checked.contains_key(path),
        ran: &ran,
    };
    if let Err(code) = apply_baseline(&args.report, &mut result, &baseline_scope) {
        return if write_failed {
            ExitCode::from(2)
        } else {
            code
        };
    }
    result.elapsed = Some(started.elapsed());
    if args.diff {
        let diffs: String = result.fixed.iter().filter_map(|f| f.diff.clone()).collect();
        if let Err(code) = deliver(args.report.output_file.as_deref(), |out| {
            out.write_all(diffs.as_bytes())
        }) {
            return code;
        }
        let fixes: usize = result.fixed.iter().map(|f| f.fixes).sum();
        eprintln!(
            "Would fix {fixes} problem{} in {} file{}.",
            if fixes == 1 { "" } else { "s" },
            result.fixed.len(),
            if result.fixed.len() == 1 { "" } else { "s" }
        );
        print_internal_errors(&result);
        return if !result.internal_errors.is_empty() {
            ExitCode::from(2)
        } else if result.fixed.is_empty() || args.report.exit_zero {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }
    let code = report_and_exit(&args.report, &result, format, stdout_tty, write_failed);
    crate::timings::lap("write the report", &mut clock);
    // The process ends here: the findings and targets are left to the OS, which takes the
    // memory back at once. Freeing them one by one (tens of thousands of small allocations)
    // would only delay the exit.
    std::mem::forget(result);
    std::mem::forget(targets);
    code
}

/// `--write-baseline` (record the findings, and end the run: `Err` holds its exit code) and
/// `--baseline` (drop the recorded findings).
fn apply_baseline(
    args: &ReportArgs,
    result: &mut engine::RunResult,
    scope: &crate::baseline::Scope<'_>,
) -> Result<(), ExitCode> {
    if let Some(path) = &args.write_baseline {
        return Err(match crate::baseline::write(path, &result.diagnostics) {
            Ok(n) => {
                eprintln!(
                    "Wrote {n} finding{} to the baseline {}.",
                    if n == 1 { "" } else { "s" },
                    path.display()
                );
                // The baseline lacks whatever a file that failed to check would have found.
                print_internal_errors(result);
                if result.internal_errors.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(2)
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        });
    }
    if let Some(path) = &args.baseline {
        match crate::baseline::filter(path, &mut result.diagnostics, scope) {
            Ok(gone) => result.baseline_gone = Some(gone),
            Err(e) => {
                eprintln!("error: {e}");
                return Err(ExitCode::from(2));
            }
        }
    }
    Ok(())
}

/// Write the report (or the statistics), then the exit code: 2 for an internal error or a file
/// that could not be written, 0 with `--exit-zero`, 1 for an error finding or more warnings
/// than `--max-warnings`, else 0.
fn report_and_exit(
    args: &ReportArgs,
    result: &engine::RunResult,
    format: Format,
    stdout_tty: bool,
    write_failed: bool,
) -> ExitCode {
    let delivered = deliver(args.output_file.as_deref(), |out| {
        if args.statistics {
            report::write_statistics(format, result, out)
        } else {
            report::write(format, result, args.color(stdout_tty), out)
        }
    });
    if let Err(code) = delivered {
        return code;
    }
    if format != Format::Human || args.statistics {
        print_internal_errors(result);
    }
    let summary = Summary::of(result);
    let too_many_warnings = args.max_warnings.is_some_and(|max| summary.warnings > max);
    let has_errors = result
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    if !result.internal_errors.is_empty() || write_failed {
        ExitCode::from(2)
    } else if args.exit_zero {
        ExitCode::SUCCESS
    } else if has_errors || too_many_warnings {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_internal_errors(result: &engine::RunResult) {
    for e in &result.internal_errors {
        eprintln!(
            "{}: internal error: {} (please report this bug)",
            e.path.display(),
            e.message
        );
    }
}

/// Stream the report into `output_file` (which it replaces only once complete), or to standard
/// output.
fn deliver(
    output_file: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ExitCode> {
    match output_file {
        Some(path) => {
            match crate::atomic_write::replace_file(
                path,
                crate::atomic_write::Fallback::InPlace,
                write,
            ) {
                // A pipe named by path (`-o /dev/stdout | head`) closed early, as on stdout.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    Err(ExitCode::from(2))
                }
                _ => Ok(()),
            }
        }
        None => stream_stdout(write),
    }
}

/// Refuse a file to write that is one of the posts to lint (`-o posts/a.md`, a baseline or
/// facts file named like a post) or the baseline the run reads (`--baseline b.json -o b.json`):
/// the run would replace it with its report. Compared by the file itself (device and inode,
/// through links and hard links), which costs a look at every post only when a file to
/// write already exists.
fn refuse_inputs_as_outputs(
    outputs: &[(&str, &Path)],
    targets: &crate::discover::Targets,
    read: &[&Path],
) -> Result<(), ExitCode> {
    let existing: Vec<(&str, &Path, FileId)> = outputs
        .iter()
        .filter_map(|&(option, path)| Some((option, path, file_id(path)?)))
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    let inputs = (0..targets.len())
        .filter_map(|i| targets.path(i))
        .chain(read.iter().copied());
    for input in inputs {
        let Some(id) = file_id(input) else {
            continue;
        };
        if let Some((option, path, _)) = existing.iter().find(|(_, _, out)| *out == id) {
            let what = if read.contains(&input) {
                "the baseline"
            } else {
                "the post"
            };
            eprintln!(
                "error: {option} {}: that file is {what} {}; this run would overwrite it",
                path.display(),
                input.display()
            );
            return Err(ExitCode::from(2));
        }
    }
    Ok(())
}

/// What a path's file is, whatever the path: its device and inode (on Unix), else its
/// resolved path.
#[cfg(unix)]
type FileId = (u64, u64);
#[cfg(not(unix))]
type FileId = PathBuf;

fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let metadata = std::fs::metadata(path).ok()?;
        Some((metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok()
    }
}

/// Refuse, before any work, `--statistics` in a format that has no place for counts (SARIF,
/// GitHub annotations, JUnit, Checkstyle): a tool reading those would read a table as garbage.
fn refuse_statistics_format(args: &ReportArgs) -> Result<(), ExitCode> {
    use clap::ValueEnum;
    match args.format {
        Some(format) if args.statistics && !report::statistics_format(format) => {
            let name = format
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_owned());
            eprintln!(
                "error: --statistics cannot be written as --format {name}\n  help: use a table (--format human or concise) or JSON (--format json or jsonl)"
            );
            Err(ExitCode::from(2))
        }
        _ => Ok(()),
    }
}

/// Refuse, before any work, a file to write that is a folder or whose folder does not exist:
/// otherwise a long run ends in that error with nothing to show for it.
fn refuse_unwritable(outputs: &[(&str, &Path)]) -> Result<(), ExitCode> {
    for (option, path) in outputs {
        let text = path.to_string_lossy();
        let folder = path.parent().filter(|f| !f.as_os_str().is_empty());
        let problem = if path.is_dir() || text.ends_with(std::path::MAIN_SEPARATOR) {
            "is a folder; name a file".to_string()
        } else if let Some(folder) = folder.filter(|f| !f.is_dir()) {
            format!("its folder {} does not exist", folder.display())
        } else {
            continue;
        };
        eprintln!("error: {option} {}: {problem}", path.display());
        return Err(ExitCode::from(2));
    }
    Ok(())
}

/// `artlint merge`: the cross-file findings of a sharded run.
fn merge(paths: &[PathBuf], args: &ReportArgs, cache_dir: PathBuf) -> ExitCode {
    let started = std::time::Instant::now();
    if let Err(code) = refuse_unwritable(&args.outputs()) {
        return code;
    }
    if let Err(code) = refuse_statistics_format(args) {
        return code;
    }
    // Two passes, one facts file in memory at a time: the first counts every key in a sketch,
    // the second keeps of each file only what another file shares (as a whole run's spill does):
    // a merge holds what the corpus repeats, not every file's facts. (A facts file that is a
    // pipe is held whole from the first pass: it cannot be read again.)
    let sketch = crate::corpus::spill::Sketch::with_slots(crate::corpus::spill::SKETCH_SLOTS);
    let read = |path: &PathBuf| {
        crate::shard::read_facts(path).map_err(|e| {
            eprintln!("error: {}: {e}", path.display());
            ExitCode::from(2)
        })
    };
    let mut heads = Vec::new();
    for path in paths {
        match read(path) {
            Ok(read) => {
                read.facts.count_keys(&sketch);
                // A pipe (`<(gsutil cat …)`) cannot be read twice: what it held is kept.
                let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
                let (shard, corpus, checksum) = (read.shard, read.corpus, read.checksum);
                let kept = (!regular).then_some(read.facts);
                heads.push((path.as_path(), shard, corpus, checksum, kept));
            }
            Err(code) => return code,
        }
    }
    let split: Vec<_> = heads.iter().map(|(p, s, c, ..)| (*p, *s, *c)).collect();
    if let Err(e) = crate::shard::check_split(&split) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let mut shards = Vec::new();
    let mut files_checked = 0;
    // Told after the facts files' own problems (a post in two of them, say).
    let mut stale = Vec::new();
    for (path, _, _, checksum, kept) in heads {
        let read = match kept {
            Some(facts) => Ok(Ok(facts)),
            None => read(&path.to_path_buf())
                .map(|read| (read.checksum == checksum).then_some(read.facts).ok_or(())),
        };
        match read {
            Ok(Ok(mut facts)) => {
                files_checked += facts.len();
                stale.extend(crate::shard::stale_posts(&facts));
                facts.prune(&sketch);
                shards.push((path.display().to_string(), facts));
            }
            Ok(Err(())) => {
                eprintln!(
                    "error: {}: changed between artlint's two reads of it",
                    path.display()
                );
                return ExitCode::from(2);
            }
            Err(code) => return code,
        }
    }
    drop(sketch);
    let stdout_tty = std::io::stdout().is_terminal();
    let format = args.format(stdout_tty);
    let facts = match engine::ShardFacts::merge(shards) {
        Ok(facts) => facts,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if !stale.is_empty() {
        report_stale_posts(stale);
        return ExitCode::from(2);
    }
    let env = crate::corpus::CorpusEnv {
        cache_dir: Some(cache_dir),
        progress: crate::progress::progress_allowed(
            std::io::stderr().is_terminal(),
            std::env::var_os("CI").as_deref(),
            format,
        ),
        snippets: format == Format::Human,
    };
    let (diagnostics, internal_errors) = facts.finish(&env, None, &|_| None);
    let mut result = engine::RunResult {
        diagnostics,
        internal_errors,
        files_checked,
        ..engine::RunResult::default()
    };
    // A merge reports the cross-file findings only.
    let scope = crate::baseline::Scope {
        checked: &|_| true,
        ran: &|_, code| crate::corpus::is_cross_file(code),
    };
    if let Err(code) = apply_baseline(args, &mut result, &scope) {
        return code;
    }
    result.elapsed = Some(started.elapsed());
    report_and_exit(args, &result, format, stdout_tty, false)
}

/// Why a merge stops when posts are not as their shards checked them: the first few, and what
/// to do.
fn report_stale_posts(mut stale: Vec<(std::sync::Arc<std::path::Path>, String)>) {
    const SHOWN: usize = 10;
    stale.sort();
    eprintln!(
        "error: {} post{} not as the shards checked {}: the merge cannot place its findings",
        stale.len(),
        if stale.len() == 1 { " is" } else { "s are" },
        if stale.len() == 1 { "it" } else { "them" },
    );
    for (path, problem) in stale.iter().take(SHOWN) {
        eprintln!("  {}: {problem}", path.display());
    }
    if stale.len() > SHOWN {
        eprintln!("  … and {} more", stale.len() - SHOWN);
    }
    eprintln!(
        "  help: run `artlint merge` in the folder the shards ran in (facts name posts relative \
         to it), on the files they checked"
    );
}
