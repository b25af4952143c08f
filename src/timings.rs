//! Stage timings for whoever tunes the pipeline: with `ARTLINT_TIMINGS` set, each stage prints
//! how long it took on stderr, and the resident memory after it
//! (`artlint: discover 0.041 s (resident 12 MB)`). Off by default; never in reports. Built with
//! the `heap-probe` feature, each stage also prints the bytes allocated and live after it and
//! their peak during it (`cargo build --release --features heap-probe`).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
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
        if cfg!(feature = "heap-probe") {
            eprintln!(
                "artlint:   heap live {:.2} MB, peak {:.2} MB",
                HEAP_LIVE.load(Ordering::Relaxed) as f64 / 1e6,
                // The next stage's peak starts from what is live now.
                HEAP_PEAK.swap(HEAP_LIVE.load(Ordering::Relaxed), Ordering::Relaxed) as f64 / 1e6
            );
        }
    }
    *since = Instant::now();
}

/// Bytes allocated and not yet freed, as the `heap-probe` allocator counts them.
static HEAP_LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most of them live at once since the last stage ended.
static HEAP_PEAK: AtomicUsize = AtomicUsize::new(0);

/// Count `bytes` more live (the `heap-probe` allocator calls this).
pub fn heap_grew(bytes: usize) {
    // Wrapping, as the atomic add is: an allocator must not panic.
    let live = HEAP_LIVE
        .fetch_add(bytes, Ordering::Relaxed)
        .wrapping_add(bytes);
    HEAP_PEAK.fetch_max(live, Ordering::Relaxed);
}

/// Count `bytes` fewer live.
pub fn heap_shrank(bytes: usize) {
    HEAP_LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

/// Resident memory now, where the system tells it (Linux).
fn resident_megabytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / 1_000_000)
}
