//! Family IO: files that could not be linted at all. These rules run on skipped documents only.

mod binary_file;
mod file_too_large;
mod unreadable_file;

pub use binary_file::BinaryFile;
pub use file_too_large::FileTooLarge;
pub use unreadable_file::UnreadableFile;
