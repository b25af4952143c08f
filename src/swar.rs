//! Eight bytes at a time in a `u64` ("SIMD within a register"): the few bit tricks the hot
//! byte scans share (text blocks' normalisation, telling plain paths).

pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// `byte` in each of the eight bytes.
#[inline]
pub(crate) const fn splat(byte: u8) -> u64 {
    byte as u64 * ONES
}

/// The eight bytes of `bytes` from `at` as one word (little-endian); `at + 8` must be in bounds.
#[inline]
pub(crate) fn word_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default())
}

/// The high bit of each byte of `word` that is zero, exactly (no carry between bytes, bytes
/// above 0x7F included).
#[inline]
pub(crate) fn zero_bytes(word: u64) -> u64 {
    !(((word & !HIGH).wrapping_add(!HIGH)) | word) & HIGH
}

/// The high bit of each byte of `word` equal to `byte`.
#[inline]
pub(crate) fn bytes_equal_to(word: u64, byte: u8) -> u64 {
    zero_bytes(word ^ splat(byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_value_in_every_position_is_told_exactly() {
        for position in 0..8 {
            for value in 0..=255u8 {
                let mut bytes = [0x41u8; 8];
                bytes[position] = value;
                let word = u64::from_le_bytes(bytes);
                let expected: u64 = (0..8)
                    .filter(|i| bytes[*i] == b'/')
                    .map(|i| 0x80u64 << (8 * i))
                    .sum();
                assert_eq!(bytes_equal_to(word, b'/'), expected, "{bytes:?}");
            }
        }
    }
}
