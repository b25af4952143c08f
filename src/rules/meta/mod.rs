//! Family ART: artlint's own markers in posts (suppression comments). Checked by the engine
//! once every finding of a file is known (`src/suppress.rs`).

mod unknown_suppression_code;
mod unused_suppression;

pub use unknown_suppression_code::UnknownSuppressionCode;
pub use unused_suppression::UnusedSuppression;
