//! Family CORPUS: findings that need every file. Their checks run in the corpus pass
//! (`src/corpus/`); the per-file `check` of these rules reports nothing by design.

mod duplicate_body;
mod duplicate_slug;
mod duplicate_title;
mod learned_boilerplate;
mod near_duplicate_body;

pub use duplicate_body::DuplicateBody;
pub use duplicate_slug::DuplicateSlug;
pub use duplicate_title::DuplicateTitle;
pub use learned_boilerplate::LearnedBoilerplate;
pub use near_duplicate_body::NearDuplicateBody;
