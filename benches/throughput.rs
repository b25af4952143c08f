//! Throughput on the benchmark corpus: artlint against the floor (read every file, split the
//! front matter, parse it with serde-saphyr), on the same rayon pool: once with the rules that
//! read the front matter and text (FM, DT, ENC, IO, CORPUS), once with every default rule (which
//! adds a Markdown/HTML scan of every body).
//!
//!     python3 ../shared/bench/make-corpus.py target/bench-corpus --files 20000
//!     cargo bench --bench throughput
//!
//! `ARTLINT_BENCH_CORPUS` names another corpus folder. Compare the two medians in one run:
//! the ratio is the figure (the machines are shared and noisy).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use artlint::config::{CliOverrides, ConfigResolver};
use artlint::discover::{self, Targets};
use artlint::engine::{self, CheckOptions};
use artlint::floor::Floor;
use rayon::prelude::*;

fn corpus_dir() -> PathBuf {
    std::env::var_os("ARTLINT_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus"))
}

fn targets() -> Targets {
    targets_with(CliOverrides::default())
}

fn targets_with(cli: CliOverrides) -> Targets {
    let dir = corpus_dir();
    assert!(
        dir.is_dir(),
        "no corpus at {}: run `python3 ../shared/bench/make-corpus.py target/bench-corpus --files 20000`",
        dir.display()
    );
    let mut resolver = ConfigResolver::new(None, cli).expect("default config");
    discover::discover(&[dir], &mut resolver).expect("discovery")
}

/// The floor: what any front-matter linter must do at least.
fn floor(paths: &[Arc<Path>]) -> usize {
    paths
        .par_iter()
        .map(|path| artlint::floor::file(path, Floor::FrontMatter))
        .sum()
}

/// The floor of issue 9: the front-matter floor plus an html5ever parse of every body.
fn floor_with_html5ever(paths: &[Arc<Path>]) -> usize {
    paths
        .par_iter()
        .map(|path| artlint::floor::file(path, Floor::WithHtml))
        .sum()
}

// The allocator the artlint binary uses, for the floor and artlint alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// Time `engine::run` with only the `select`ed rules.
fn bench_selecting(bencher: divan::Bencher, select: &[&str]) {
    let targets = targets_with(CliOverrides {
        select: Some(select.iter().map(|s| s.to_string()).collect()),
        ..CliOverrides::default()
    });
    bencher.bench(|| {
        engine::run(&targets, CheckOptions::default(), &Default::default())
            .diagnostics
            .len()
    });
}

/// Time `engine::run` with the default configuration less the `ignore`d rules.
fn bench_ignoring(bencher: divan::Bencher, ignore: &[&str]) {
    let targets = targets_with(CliOverrides {
        ignore: ignore.iter().map(|s| s.to_string()).collect(),
        ..CliOverrides::default()
    });
    bencher.bench(|| {
        engine::run(&targets, CheckOptions::default(), &Default::default())
            .diagnostics
            .len()
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn floor_read_split_parse(bencher: divan::Bencher) {
    let paths: Vec<Arc<Path>> = targets().iter().map(|t| t.path).collect();
    bencher.bench(|| floor(&paths));
}

/// The rules that read only the front matter and the text (FM, DT, ENC, IO, ART, duplicate
/// titles): the same work as the floor plus the checks.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn artlint_front_matter_and_text_rules(bencher: divan::Bencher) {
    bench_ignoring(
        bencher,
        &[
            "IMG",
            "BP",
            "HTML",
            "CORPUS002",
            "CORPUS003",
            "CORPUS004",
            "CORPUS005",
        ],
    );
}

/// Every default rule but the learned-boilerplate and near-duplicate pass, to measure what that
/// pass adds (the target: under 25%).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn artlint_without_learned_boilerplate(bencher: divan::Bencher) {
    bench_ignoring(bencher, &["CORPUS002", "CORPUS005"]);
}

/// Every default rule: adds the body scans (images, boilerplate packs, text blocks).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn artlint_all_default_rules(bencher: divan::Bencher) {
    bench_ignoring(bencher, &[]);
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn floor_with_html5ever_parse(bencher: divan::Bencher) {
    let paths: Vec<Arc<Path>> = targets().iter().map(|t| t.path).collect();
    bencher.bench(|| floor_with_html5ever(&paths));
}

/// The core rules alone (front matter, dates, encoding, files), against which the HTML family's
/// cost is measured.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn artlint_core_rules(bencher: divan::Bencher) {
    bench_selecting(bencher, &["FM", "DT", "ENC", "IO"]);
}

/// The core rules and the HTML family: one html5ever parse of every body.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn artlint_core_and_html_rules(bencher: divan::Bencher) {
    bench_selecting(bencher, &["FM", "DT", "ENC", "IO", "HTML"]);
}
