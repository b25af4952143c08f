//! The floor of the HTML checks: html5ever alone (its tokenizer and tree builder, into a sink
//! that only counts errors) over the body of every file under a folder, single-threaded.
//! `scripts/bench/html-overhead.sh` compares its instruction count with artlint's.
//!
//! cargo run --release --example html5ever_floor -- FOLDER [--read-only]
//!
//! `--read-only` reads and splits the files without parsing them: the difference between the
//! two runs is html5ever's own cost.

use std::path::{Path, PathBuf};

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: html5ever_floor FOLDER");
        std::process::exit(2);
    };
    let parse = std::env::args().nth(2).as_deref() != Some("--read-only");
    let mut errors = 0usize;
    for path in files(Path::new(&dir)) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // The body: what follows a YAML front matter block, if there is one.
        let body = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.find("\n---\n").map(|end| &rest[end + 5..]))
            .unwrap_or(&text);
        if parse {
            errors += artlint::document::html_parse::html5ever_only(body);
        } else {
            errors += usize::from(body.is_empty());
        }
    }
    println!("{errors} parse errors");
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}
