//! Bytes being written by the boundary's one serializer ([`super::super::window`]): the
//! packed form's, what `bincode` 1.3 writes with its default options (varint integers,
//! little-endian), written without `bincode` ([`super::Input`] reads them back), or JSON
//! text, its scalars written by `serde_json`.

use std::cell::RefCell;

/// The largest varint written in one byte; the next four bytes say what follows.
const SINGLE_BYTE_MAX: u64 = 250;
const U16_BYTE: u8 = 251;
const U32_BYTE: u8 = 252;
const U64_BYTE: u8 = 253;
const U128_BYTE: u8 = 254;

/// Bytes being written at the end, through a shared reference (the serializer that
/// writes them is `Copy`).
#[derive(Default)]
pub(crate) struct Output {
    bytes: RefCell<Vec<u8>>,
}

impl Output {
    /// An output with room for `capacity` bytes.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Output {
            bytes: RefCell::new(Vec::with_capacity(capacity)),
        }
    }

    /// The bytes written.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.bytes.into_inner()
    }

    /// `bytes` as they are.
    pub(crate) fn raw(&self, bytes: &[u8]) {
        self.bytes.borrow_mut().extend_from_slice(bytes);
    }

    /// One byte (a `u8`, a tag, a flag).
    pub(crate) fn byte(&self, byte: u8) {
        self.bytes.borrow_mut().push(byte);
    }

    /// An unsigned integer of 16 to 64 bits, as a varint.
    pub(crate) fn varint(&self, n: u64) {
        let mut bytes = self.bytes.borrow_mut();
        if n <= SINGLE_BYTE_MAX {
            bytes.push(n as u8);
        } else if let Ok(n) = u16::try_from(n) {
            bytes.push(U16_BYTE);
            bytes.extend_from_slice(&n.to_le_bytes());
        } else if let Ok(n) = u32::try_from(n) {
            bytes.push(U32_BYTE);
            bytes.extend_from_slice(&n.to_le_bytes());
        } else {
            bytes.push(U64_BYTE);
            bytes.extend_from_slice(&n.to_le_bytes());
        }
    }

    /// A 128-bit unsigned integer, as a varint.
    pub(crate) fn varint128(&self, n: u128) {
        match u64::try_from(n) {
            Ok(n) => self.varint(n),
            Err(_) => {
                self.byte(U128_BYTE);
                self.raw(&n.to_le_bytes());
            }
        }
    }

    /// A signed integer of 16 to 128 bits, as the varint of its zigzag.
    pub(crate) fn signed(&self, n: i128) {
        self.varint128(((n << 1) ^ (n >> 127)) as u128);
    }

    /// `value` (a scalar) as `serde_json` writes it.
    pub(crate) fn json<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        serde_json::to_writer(&mut *self.bytes.borrow_mut(), value)
    }

    /// The length of `bytes`, then `bytes`.
    pub(crate) fn bytes(&self, bytes: &[u8]) {
        self.varint(bytes.len() as u64);
        self.raw(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::Output;
    use bincode::Options;

    fn written<T: serde::Serialize>(value: &T) -> Vec<u8> {
        bincode::DefaultOptions::new().serialize(value).unwrap()
    }

    fn output(write: impl FnOnce(&Output)) -> Vec<u8> {
        let out = Output::default();
        write(&out);
        out.into_bytes()
    }

    #[test]
    fn writes_what_bincode_writes() {
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
            assert_eq!(output(|o| o.varint(n)), written(&n), "{n}");
        }
        for n in [u128::from(u64::MAX) + 1, u128::MAX] {
            assert_eq!(output(|o| o.varint128(n)), written(&n), "{n}");
        }
        for n in [0, -1, 1, i64::MIN, i64::MAX, -300] {
            assert_eq!(output(|o| o.signed(n.into())), written(&n), "{n}");
        }
        for n in [i128::MIN, i128::MAX, -1] {
            assert_eq!(output(|o| o.signed(n)), written(&n), "{n}");
        }
        assert_eq!(output(|o| o.bytes(b"abc")), written(&"abc"));
    }
}
