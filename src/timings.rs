//! Stage timings for whoever tunes the pipeline: with `ARTLINT_TIMINGS` set, each stage prints
//! how long it took on stderr, and the resident memory after it
//! (`artlint: discover 0.041 s (resident 12 MB)`). Off by default; never in reports.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("ARTLINT_TIMINGS").is_some())
}

/// Print how long `stage` took since `since`, and start the next stage's clock.
pub fn lap(stage: &str, since: &mut Instant) {
    if enabled() {
        eprintln!(
            "artlint: {stage} {:.3} s{}",
            since.elapsed().as_secs_f64(),
            resident_megabytes().map_or(String::new(), |mb| format!(" (resident {mb} MB)"))
        );
    }
    *since = Instant::now();
}

/// Resident memory now, where the system tells it (Linux).
fn resident_megabytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / 1_000_000)
}
