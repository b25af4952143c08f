//! Load: read a file's bytes and decode them to text, recording every encoding fact the
//! ENC rules report. Never panics on bad bytes; a file that cannot be linted becomes a
//! [`SkipReason`] instead.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// What a byte-order mark announced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bom {
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// Where the bytes stopped being UTF-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// Byte offset of the first invalid byte in the file.
    pub file_offset: usize,
    /// Offset of the same place in the decoded text.
    pub text_offset: usize,
    /// The whole file decodes cleanly as GB18030 (a superset of GBK and GB2312), and was
    /// decoded that way.
    pub decoded_as_gb18030: bool,
}

/// Facts about the file's encoding that the decoded text no longer shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EncodingFacts {
    pub bom: Option<Bom>,
    pub invalid_utf8: Option<InvalidUtf8>,
}

/// A file as text, ready to parse.
#[derive(Clone, Debug)]
pub struct LoadedSource {
    /// The decoded text. A UTF-8 BOM is kept as U+FEFF at offset 0, so that for UTF-8 files
    /// text offsets are file offsets and fixes edit exactly the bytes they name.
    pub text: String,
    pub encoding: EncodingFacts,
}

/// Why a file was not linted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// The file could not be read (permission, vanished, link loop, …).
    Unreadable(String),
    /// A folder on the way could not be read: the posts in it were not found.
    UnreadableFolder(String),
    /// A NUL byte was found: the file is not text.
    Binary { nul_offset: usize },
    /// Larger than the configured cap.
    TooLarge { size: u64, limit: u64 },
}

/// Why a file was skipped, in words: `cannot read file: permission denied` (IO001's message
/// and `artlint learn`'s warnings).
pub fn skip_reason_text(reason: &SkipReason) -> String {
    match reason {
        SkipReason::Unreadable(why) => format!("cannot read file: {why}"),
        SkipReason::UnreadableFolder(why) => format!("cannot read folder: {why}"),
        SkipReason::Binary { nul_offset } => {
            format!("binary file (a NUL byte at offset {nul_offset})")
        }
        SkipReason::TooLarge { size, limit } => {
            format!("{size} bytes, over the {limit}-byte limit")
        }
    }
}

/// How many leading bytes are searched for a NUL to call a file binary (as git does).
const BINARY_SNIFF_LEN: usize = 8000;

/// Read and decode `path`, refusing files over `max_size` bytes before reading them.
pub fn load(path: &Path, max_size: u64) -> Result<LoadedSource, SkipReason> {
    let bytes = read_capped(path, max_size)?;
    decode(bytes)
}

/// The file's bytes, when it is a regular file within `max_size`.
pub fn read_capped(path: &Path, max_size: u64) -> Result<Vec<u8>, SkipReason> {
    let (file, size) = open_regular(path)?;
    if size > max_size {
        return Err(SkipReason::TooLarge {
            size,
            limit: max_size,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // `take` guards against a file that grows while it is read.
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| SkipReason::Unreadable(describe_io_error(&e)))?;
    if bytes.len() as u64 > max_size {
        return Err(SkipReason::TooLarge {
            size: bytes.len() as u64,
            limit: max_size,
        });
    }
    Ok(bytes)
}

/// The regular file at `path`, opened, and its size; anything else (a folder, a FIFO, a
/// device) refused without waiting, as opening a FIFO for reading waits for a writer. On Linux
/// the path is opened non-blocking and the open file asked what it is (one path lookup, not
/// two: a tenth of what reading a post costs); elsewhere the path is asked first.
fn open_regular(path: &Path) -> Result<(File, u64), SkipReason> {
    let unreadable = |e: io::Error| SkipReason::Unreadable(describe_io_error(&e));
    let not_regular =
        || SkipReason::Unreadable("not a regular file (a folder, FIFO, socket or device)".into());
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking changes nothing for a regular file's reads.
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(path)
            .map_err(unreadable)?;
        let metadata = file.metadata().map_err(unreadable)?;
        if !metadata.is_file() {
            return Err(not_regular());
        }
        Ok((file, metadata.len()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let metadata = std::fs::metadata(path).map_err(unreadable)?;
        if !metadata.is_file() {
            return Err(not_regular());
        }
        Ok((File::open(path).map_err(unreadable)?, metadata.len()))
    }
}

/// A short, user-facing reason for an I/O failure.
pub fn describe_io_error(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => {
            "the file no longer exists (deleted or moved after it was found)".into()
        }
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "it is a directory, not a file".into(),
        _ if error.raw_os_error() == Some(40) => {
            "too many levels of symbolic links (a link loop)".into()
        }
        _ => error.to_string(),
    }
}

/// Decode bytes to text: BOM, UTF-16, binary sniffing, UTF-8 with a GB18030 fallback.
/// Only plain UTF-8 (with or without BOM) keeps text offsets equal to file offsets.
pub fn decode(bytes: Vec<u8>) -> Result<LoadedSource, SkipReason> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        let mut loaded = decode_utf8(bytes)?;
        loaded.encoding.bom = Some(Bom::Utf8);
        return Ok(loaded);
    }
    for (bom, encoding, marker) in [
        (Bom::Utf16Le, encoding_rs::UTF_16LE, b"\xFF\xFE"),
        (Bom::Utf16Be, encoding_rs::UTF_16BE, b"\xFE\xFF"),
    ] {
        if let Some(rest) = bytes.strip_prefix(marker) {
            let (text, _had_errors) = encoding.decode_without_bom_handling(rest);
            return Ok(LoadedSource {
                text: text.into_owned(),
                encoding: EncodingFacts {
                    bom: Some(bom),
                    invalid_utf8: None,
                },
            });
        }
    }
    decode_utf8(bytes)
}

/// `bytes` as a string if they are UTF-8, checked with simdutf8 (several times faster than
/// std on long texts); the bytes back if not.
pub(crate) fn utf8_string(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return Err(bytes);
    }
    // SAFETY: simdutf8 has just validated every byte as UTF-8.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

fn decode_utf8(bytes: Vec<u8>) -> Result<LoadedSource, SkipReason> {
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    if let Some(nul_offset) = memchr::memchr(0, sniff) {
        return Err(SkipReason::Binary { nul_offset });
    }
    // Fast SIMD validation for the common case; std's error tells where it fails otherwise.
    let bytes = match utf8_string(bytes) {
        Ok(text) => {
            return Ok(LoadedSource {
                text,
                encoding: EncodingFacts::default(),
            });
        }
        Err(bytes) => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(LoadedSource {
            text,
            encoding: EncodingFacts::default(),
        }),
        Err(error) => {
            let file_offset = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let gb =
                encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(&bytes);
            let (text, text_offset, decoded_as_gb18030) = match gb {
                Some(text) => {
                    let prefix = encoding_rs::GB18030
                        .decode_without_bom_handling(&bytes[..file_offset])
                        .0
                        .len();
                    (text.into_owned(), prefix, true)
                }
                None => (
                    String::from_utf8_lossy(&bytes).into_owned(),
                    file_offset,
                    false,
                ),
            };
            Ok(LoadedSource {
                text,
                encoding: EncodingFacts {
                    bom: None,
                    invalid_utf8: Some(InvalidUtf8 {
                        file_offset,
                        text_offset,
                        decoded_as_gb18030,
                    }),
                },
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_text_is_recognised_and_decoded() {
        let (bytes, _, _) = encoding_rs::GBK.encode("---\ntitle: 新浪财经\n---\n");
        let loaded = decode(bytes.into_owned()).unwrap();
        let invalid = loaded.encoding.invalid_utf8.unwrap();
        assert!(invalid.decoded_as_gb18030);
        assert_eq!(invalid.file_offset, 11);
        assert!(loaded.text.contains("新浪财经"));
    }

    #[test]
    fn random_invalid_bytes_decode_lossily() {
        let loaded = decode(b"---\ntitle: a\xFF\xFE\xFD\n---\n".to_vec()).unwrap();
        let invalid = loaded.encoding.invalid_utf8.unwrap();
        assert!(!invalid.decoded_as_gb18030);
        assert_eq!(invalid.text_offset, 12);
        assert!(loaded.text.contains('\u{FFFD}'));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "---\ntitle: 中\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let loaded = decode(bytes).unwrap();
        assert_eq!(loaded.encoding.bom, Some(Bom::Utf16Le));
        assert_eq!(loaded.text, "---\ntitle: 中\n");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0".to_vec()).unwrap_err(),
            SkipReason::Binary { nul_offset: 8 }
        );
    }

    #[test]
    fn utf8_bom_is_kept_and_recorded() {
        let loaded = decode(b"\xEF\xBB\xBF---\n".to_vec()).unwrap();
        assert_eq!(loaded.text, "\u{FEFF}---\n");
        assert_eq!(loaded.encoding.bom, Some(Bom::Utf8));
    }
}
