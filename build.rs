//! Embeds each rule's documentation (the doc comment on its struct, in
//! `src/rules/<family>/<rule_name>.rs`) so that `artlint rule CODE` prints it and the docs
//! are generated from the same text, as ruff and oxlint do.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let rules_dir = Path::new("src/rules");
    println!("cargo:rerun-if-changed=src/rules");
    let mut entries = Vec::new();
    let mut families: Vec<_> = fs::read_dir(rules_dir)
        .expect("src/rules exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.path())
        .collect();
    families.sort();
    for family in families {
        let mut files: Vec<_> = fs::read_dir(&family)
            .expect("family dir is readable")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs") && !p.ends_with("mod.rs"))
            .collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let source = fs::read_to_string(&file).expect("rule file is UTF-8");
            let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
            if let Some(doc) = struct_doc(&source) {
                entries.push((stem, doc));
            }
        }
    }
    let mut out = String::from("/// Rule docs by file stem, extracted by build.rs.\n");
    out.push_str("pub static RULE_DOCS: &[(&str, &str)] = &[\n");
    for (stem, doc) in entries {
        writeln!(out, "    ({stem:?}, {doc:?}),").unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("rule_docs.rs");
    fs::write(dest, out).unwrap();
    build_id();
}

/// The `///` block right above the first `pub struct`.
fn struct_doc(source: &str) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let at = lines.iter().position(|l| l.starts_with("pub struct "))?;
    let mut doc = Vec::new();
    for line in lines[..at].iter().rev() {
        let trimmed = line.trim_start();
        if let Some(text) = trimmed.strip_prefix("///") {
            doc.push(text.strip_prefix(' ').unwrap_or(text));
        } else if trimmed.starts_with("#[") {
            continue;
        } else {
            break;
        }
    }
    doc.reverse();
    (!doc.is_empty()).then(|| doc.join("\n"))
}

/// A hash of everything the binary's findings come from (the sources, the embedded rule packs,
/// the locked dependencies): the result cache is keyed by it, so a build with other rules never
/// trusts another build's results, whatever its version number says.
fn build_id() {
    use std::hash::{Hash, Hasher};
    fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, files);
            } else {
                files.push(path);
            }
        }
    }
    let mut files = vec![
        Path::new("Cargo.lock").to_path_buf(),
        Path::new("build.rs").to_path_buf(),
    ];
    for dir in ["src", "rules"] {
        println!("cargo:rerun-if-changed={dir}");
        walk(Path::new(dir), &mut files);
    }
    println!("cargo:rerun-if-changed=Cargo.lock");
    files.sort();
    let mut hasher = std::hash::DefaultHasher::new();
    for file in files {
        file.hash(&mut hasher);
        fs::read(&file).unwrap_or_default().hash(&mut hasher);
    }
    println!("cargo:rustc-env=ARTLINT_BUILD_ID={:016x}", hasher.finish());
}
