//! The progress bar of a long check: files done of all, files per second, findings so far and
//! an estimate of the time left, on standard error, on a terminal only.
//!
//! The engine only counts ([`Progress`]: two atomic increments per file); a thread of the CLI
//! ([`ProgressDisplay`]) reads the counts ten times a second and draws with `indicatif`. The bar
//! stays hidden for the first second of the run, so quick runs never flash one, and it is
//! cleared before the report is printed.

use std::ffi::OsStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::report::Format;

/// A run shorter than this shows no bar.
pub const REVEAL_AFTER: Duration = Duration::from_secs(1);
/// How often the drawing thread reads the counts.
const POLL: Duration = Duration::from_millis(100);

/// Counts the engine updates as files are checked (shared with the drawing thread).
#[derive(Debug, Default)]
pub struct Progress {
    files_done: AtomicUsize,
    findings: AtomicUsize,
}

impl Progress {
    pub fn new() -> Progress {
        Progress::default()
    }

    /// One more file checked, with this many findings of its own (before suppressions and the
    /// corpus pass: the bar's count is an estimate, the report's is exact).
    pub fn file_checked(&self, findings: usize) {
        self.files_done.fetch_add(1, Ordering::Relaxed);
        if findings > 0 {
            self.findings.fetch_add(findings, Ordering::Relaxed);
        }
    }

    pub fn files_done(&self) -> usize {
        self.files_done.load(Ordering::Relaxed)
    }

    pub fn findings(&self) -> usize {
        self.findings.load(Ordering::Relaxed)
    }
}

/// Whether a run may show a progress bar at all: only when standard error is a terminal, not
/// in CI (`CI` set to anything but empty, `0` or `false`), and not for the machine formats
/// (whose readers are programs, even when a person watches the terminal).
pub fn progress_allowed(stderr_is_terminal: bool, ci: Option<&OsStr>, format: Format) -> bool {
    let in_ci = ci.is_some_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"));
    let human_format = matches!(format, Format::Human | Format::Concise);
    stderr_is_terminal && !in_ci && human_format
}

/// Whether an allowed bar is drawn yet: once the run has lasted [`REVEAL_AFTER`].
pub fn reveal(elapsed: Duration) -> bool {
    elapsed >= REVEAL_AFTER
}

/// The bar's look: `=====>     1200/20000 files · 2400 files/s · 37 findings · ETA 7s`, the
/// bar taking what the terminal's width leaves, so the line never wraps (a fixed bar wrapped
/// onto two lines in an 80-column terminal, and in one that tells no width).
pub fn style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{wide_bar:.cyan/blue} {pos}/{len} files · {rate} · {msg} · ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .with_key(
        "rate",
        |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0} files/s", state.per_sec());
        },
    )
    .progress_chars("=> ")
}

fn findings_message(findings: usize) -> String {
    if findings == 1 {
        "1 finding".into()
    } else {
        format!("{findings} findings")
    }
}

/// The drawing thread; [`ProgressDisplay::finish`] (or dropping it) stops it and clears the bar.
pub struct ProgressDisplay {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl ProgressDisplay {
    /// Draw `progress` of `total` files on standard error, from [`REVEAL_AFTER`] after `started`.
    pub fn start(progress: Arc<Progress>, total: usize, started: Instant) -> ProgressDisplay {
        ProgressDisplay::start_on(progress, total, started, ProgressDrawTarget::stderr)
    }

    /// As [`ProgressDisplay::start`], drawing on the target `target` makes (tests draw on an
    /// in-memory terminal).
    pub fn start_on(
        progress: Arc<Progress>,
        total: usize,
        started: Instant,
        target: impl FnOnce() -> ProgressDrawTarget + Send + 'static,
    ) -> ProgressDisplay {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            // Hidden at first, so the rate and ETA count from the start of the run.
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden())
                    .with_style(style());
            let mut target = Some(target);
            loop {
                let done = progress.files_done();
                bar.set_position(done as u64);
                bar.set_message(findings_message(progress.findings()));
                if reveal(started.elapsed())
                    && let Some(target) = target.take()
                {
                    bar.set_draw_target(target());
                }
                // Once every file is checked the corpus pass runs (with a bar of its own for
                // `--online`): this one is done.
                if done >= total {
                    break;
                }
                match stopped.recv_timeout(POLL) {
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    _ => break,
                }
            }
            bar.finish_and_clear();
        });
        ProgressDisplay {
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Stop drawing and clear the bar (before the report is printed).
    pub fn finish(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ProgressDisplay {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::sync::Mutex;

    #[test]
    fn allowed_only_on_a_terminal_outside_ci_for_human_formats() {
        assert!(progress_allowed(true, None, Format::Human));
        assert!(progress_allowed(true, None, Format::Concise));
        assert!(progress_allowed(true, Some(OsStr::new("")), Format::Human));
        assert!(progress_allowed(
            true,
            Some(OsStr::new("false")),
            Format::Human
        ));
        assert!(!progress_allowed(false, None, Format::Human));
        assert!(!progress_allowed(
            true,
            Some(OsStr::new("true")),
            Format::Human
        ));
        assert!(!progress_allowed(
            true,
            Some(OsStr::new("1")),
            Format::Human
        ));
        for machine in [
            Format::Json,
            Format::Jsonl,
            Format::Sarif,
            Format::Github,
            Format::Junit,
            Format::Checkstyle,
        ] {
            assert!(!progress_allowed(true, None, machine), "{machine:?}");
        }
    }

    #[test]
    fn revealed_after_one_second() {
        assert!(!reveal(Duration::ZERO));
        assert!(!reveal(Duration::from_millis(999)));
        assert!(reveal(Duration::from_secs(1)));
    }

    #[test]
    fn counts_files_and_findings() {
        let p = Progress::new();
        p.file_checked(0);
        p.file_checked(3);
        assert_eq!((p.files_done(), p.findings()), (2, 3));
    }

    /// A terminal of some width that keeps what is written to it and counts the lines
    /// cleared.
    #[derive(Debug, Clone)]
    struct Recorder(Arc<Mutex<(String, usize, Vec<String>)>>, u16);

    impl indicatif::TermLike for Recorder {
        fn width(&self) -> u16 {
            self.1
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.write_str(&format!("{s}\n"))
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            let mut recorded = self.0.lock().unwrap();
            recorded.0.push_str(s);
            recorded.2.push(s.to_owned());
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            self.0.lock().unwrap().1 += 1;
            Ok(())
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    fn draw(started: Instant, run_for: Duration) -> (String, usize) {
        let (text, cleared, _) = draw_on(started, run_for, 120);
        (text, cleared)
    }

    /// What was drawn, how many lines were cleared, and each write.
    fn draw_on(started: Instant, run_for: Duration, width: u16) -> (String, usize, Vec<String>) {
        let term = Recorder(Arc::default(), width);
        let progress = Arc::new(Progress::new());
        for _ in 0..40 {
            progress.file_checked(1);
        }
        let target = {
            let term = term.clone();
            move || ProgressDrawTarget::term_like(Box::new(term))
        };
        let display = ProgressDisplay::start_on(progress, 100, started, target);
        std::thread::sleep(run_for);
        display.finish();
        term.0.lock().unwrap().clone()
    }

    #[test]
    fn a_long_run_draws_files_rate_findings_and_eta_then_clears() {
        let (text, cleared) = draw(Instant::now() - Duration::from_secs(2), POLL * 3);
        assert!(text.contains("40/100 files"), "{text:?}");
        assert!(text.contains("files/s"), "{text:?}");
        assert!(text.contains("40 findings"), "{text:?}");
        assert!(text.contains("ETA"), "{text:?}");
        assert!(cleared > 0, "the bar is cleared when the run ends");
    }

    /// The characters of `line` outside ANSI escape sequences (the bar's are one column each).
    fn visible_columns(line: &str) -> usize {
        let mut columns = 0;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                // `ESC [ parameters letter`
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                columns += 1;
            }
        }
        columns
    }

    #[test]
    fn the_bar_fits_the_terminal_width() {
        // 79 columns is also what a terminal that tells no width is taken to have.
        for width in [79, 120, 200] {
            let (_, _, writes) = draw_on(Instant::now() - Duration::from_secs(2), POLL * 3, width);
            let lines: Vec<&str> = writes
                .iter()
                .flat_map(|w| w.lines())
                .filter(|l| !l.is_empty())
                .collect();
            assert!(!lines.is_empty(), "{writes:?}");
            for line in lines {
                let columns = visible_columns(line);
                assert!(
                    columns <= usize::from(width) && columns + 2 >= usize::from(width),
                    "{columns} columns in a {width}-column terminal: {line:?}"
                );
            }
        }
    }

    #[test]
    fn a_short_run_draws_nothing() {
        let (text, _) = draw(Instant::now(), POLL * 3);
        assert_eq!(text, "");
    }
}
