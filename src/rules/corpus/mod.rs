//! Family CORPUS: findings that need every file. Their checks run in the corpus pass
//! (`src/corpus.rs`); the per-file `check` of these rules reports nothing by design.

mod duplicate_title;

pub use duplicate_title::DuplicateTitle;
