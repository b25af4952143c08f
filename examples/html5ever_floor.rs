//! The floor of the HTML checks: html5ever alone (its tokenizer and tree builder, into a sink
//! that only counts errors) over the body of every file under a folder, single-threaded.
//! `scripts/bench/html-overhead.sh` compares its instruction count with artlint's.
//!
//! cargo run --release --example html5ever_floor -- FOLDER [--read-only | --with-yaml]
//!
//! `--read-only` reads and splits the files without parsing them: the difference between the
//! two runs is html5ever's own cost. `--with-yaml` is issue 9's whole floor, as the divan bench
//! `floor_with_html5ever_parse` computes it: each file read, its front matter split and parsed
//! with serde-saphyr, its body parsed with html5ever (`scripts/bench/instructions.sh` compares
//! artlint with it).

use std::path::{Path, PathBuf};

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: html5ever_floor FOLDER");
        std::process::exit(2);
    };
    let mode = std::env::args().nth(2);
    if mode.as_deref() == Some("--with-yaml") {
        let fields: usize = files(Path::new(&dir))
            .iter()
            .map(|p| artlint::floor::file(p, artlint::floor::Floor::WithHtml))
            .sum();
        println!("{fields} fields and parse errors");
        return;
    }
    let parse = mode.as_deref() != Some("--read-only");
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
