//! Family BP: boilerplate and leftovers, from declarative packs (`rules/*.yaml`, user packs).
//! One engine serves every pack entry: `pack_rule.rs`.

mod pack_rule;

pub use pack_rule::PackRule;
