//! artlint: a linter and validator for article corpora (Hexo, Jekyll, Hugo posts, scraped feeds).
//!
//! The pipeline reads top to bottom, one module per stage:
//! [`discover`] → [`source`] (load) → [`document`] (parse once) → [`engine`] (check, parallel)
//! → [`corpus`] (cross-file) → [`report`].

pub mod atomic_write;
pub mod baseline;
pub mod cache;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod dates;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod engine;
pub mod fix;
pub mod floor;
#[cfg(feature = "online")]
pub mod online;
pub mod packs;
pub mod position;
pub mod presets;
pub mod progress;
pub mod report;
pub mod rules;
pub mod server;
pub mod shard;
pub mod source;
mod span_index;
pub mod suggest;
pub mod suppress;
mod swar;
#[cfg(test)]
mod test_rng;
pub mod timings;
