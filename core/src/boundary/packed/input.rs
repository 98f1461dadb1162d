//! The packed form's bytes being read: what `bincode` 1.3 writes with its default options
//! (varint integers, little-endian), read without `bincode`, so that the commands, events
//! and rejections in a packed run go through the boundary's one deserializer
//! ([`super::super::located`]) instead of a second copy of every domain's visitors.

use std::cell::Cell;

/// The largest varint written in one byte; the next four bytes say what follows.
const SINGLE_BYTE_MAX: u8 = 250;
const U16_BYTE: u8 = 251;
const U32_BYTE: u8 = 252;
const U64_BYTE: u8 = 253;

/// Bytes being read from the front, through a shared reference (the deserializer's
/// values are `Copy`, and each takes what it reads from the same place).
pub(crate) struct Input<'de> {
    rest: Cell<&'de [u8]>,
}

impl<'de> Input<'de> {
    /// Reads `bytes` from their first.
    pub(crate) fn new(bytes: &'de [u8]) -> Self {
        Input {
            rest: Cell::new(bytes),
        }
    }

    /// Whether every byte was read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.get().is_empty()
    }

    /// The next `n` bytes.
    pub(crate) fn take(&self, n: usize) -> Result<&'de [u8], String> {
        let rest = self.rest.get();
        match rest.split_at_checked(n) {
            Some((taken, rest)) => {
                self.rest.set(rest);
                Ok(taken)
            }
            None => Err(format!("{n} bytes wanted, {} left", rest.len())),
        }
    }

    /// The next `N` bytes.
    pub(crate) fn array<const N: usize>(&self) -> Result<[u8; N], String> {
        let bytes = self.take(N)?;
        Ok(bytes.try_into().unwrap_or([0; N]))
    }

    /// One byte (a `u8`, a tag, a flag).
    pub(crate) fn byte(&self) -> Result<u8, String> {
        self.array::<1>().map(|[b]| b)
    }

    /// An unsigned integer of 16 to 64 bits, as a varint.
    pub(crate) fn varint(&self) -> Result<u64, String> {
        match self.byte()? {
            byte @ 0..=SINGLE_BYTE_MAX => Ok(u64::from(byte)),
            U16_BYTE => self.array().map(|b| u64::from(u16::from_le_bytes(b))),
            U32_BYTE => self.array().map(|b| u64::from(u32::from_le_bytes(b))),
            U64_BYTE => self.array().map(u64::from_le_bytes),
            other => Err(format!("{other} does not start a 64-bit varint")),
        }
    }

    /// A signed integer of 16 to 64 bits, as the varint of its zigzag.
    pub(crate) fn signed(&self) -> Result<i64, String> {
        let n = self.varint()?;
        Ok(((n >> 1) as i64) ^ -((n & 1) as i64))
    }

    /// A length, then that many bytes.
    pub(crate) fn bytes(&self) -> Result<&'de [u8], String> {
        let len = self.varint()?;
        let len = usize::try_from(len).map_err(|_| format!("{len} bytes"))?;
        self.take(len)
    }

    /// A length, then that many bytes of UTF-8.
    pub(crate) fn text(&self) -> Result<&'de str, String> {
        std::str::from_utf8(self.bytes()?).map_err(|e| e.to_string())
    }

    /// A `char`, as its UTF-8 bytes.
    pub(crate) fn char(&self) -> Result<char, String> {
        let first = self.byte()?;
        let width = match first {
            0..=0x7f => return Ok(char::from(first)),
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        let mut buffer = [first, 0, 0, 0];
        buffer[1..width].copy_from_slice(self.take(width - 1)?);
        std::str::from_utf8(&buffer[..width])
            .ok()
            .and_then(|s| s.chars().next())
            .ok_or_else(|| "not a char".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::Input;
    use bincode::Options;

    fn written<T: serde::Serialize>(value: &T) -> Vec<u8> {
        bincode::DefaultOptions::new().serialize(value).unwrap()
    }

    #[test]
    fn reads_what_bincode_writes() {
        for n in [
            0,
            1,
            250,
            251,
            65_535,
            65_536,
            u64::from(u32::MAX) + 1,
            u64::MAX,
        ] {
            assert_eq!(Input::new(&written(&n)).varint(), Ok(n), "{n}");
        }
        for n in [0, -1, 1, i64::MIN, i64::MAX, -300] {
            assert_eq!(Input::new(&written(&n)).signed(), Ok(n), "{n}");
        }
        for c in ['a', 'é', '€', '𝄞'] {
            assert_eq!(Input::new(&written(&c)).char(), Ok(c), "{c}");
        }
        let input = Input::new(&[3, b'a', b'b', b'c', 7]);
        assert_eq!(input.text(), Ok("abc"));
        assert!(!input.is_empty());
        assert_eq!(input.byte(), Ok(7));
        assert!(input.is_empty());
    }

    #[test]
    fn bytes_cut_short_or_malformed_do_not_read() {
        assert!(Input::new(&[]).byte().is_err());
        assert!(Input::new(&[251, 1]).varint().is_err());
        assert!(Input::new(&[254, 0, 0]).varint().is_err());
        assert!(Input::new(&[5, b'a']).text().is_err());
        assert!(Input::new(&[2, 0xff, 0xfe]).text().is_err());
        assert!(Input::new(&[0xe2, 0x82]).char().is_err());
        assert!(Input::new(&[0xff, 0, 0, 0]).char().is_err());
    }
}
