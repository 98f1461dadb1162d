//! Identifiers and the seedable source of ids.
//!
//! Nothing in the core reads a clock or a random number generator: the engine draws every
//! id from [`SeededIds`] (seeded through the engine's configuration), and its logical time
//! is the length of its journal, so the same seed and the same inputs give a
//! byte-identical log on native and in the browser.

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// A message identifier: command id, event id, correlation id or causation id.
///
/// Serialized as a 16-digit lower-case hex string, so it survives JSON numbers in
/// JavaScript (which lose precision above 2^53).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[cfg_attr(feature = "schema", schemars(with = "String"))]
pub struct Id(pub u64);

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({self})")
    }
}

impl std::str::FromStr for Id {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        u64::from_str_radix(s, 16)
            .map(Id)
            .map_err(|_| format!("`{s}` is not an id (expected up to 16 hex digits)"))
    }
}

impl Serialize for Id {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Text that many records name (a stream, a reactor), shared behind one pointer: an
/// `Arc<str>` would take two words in every record that holds it, this takes one (the
/// length sits with the text). Compares, orders, hashes and serializes as its text. A
/// [`triomphe::Arc`]: no weak count, 8 bytes less than the standard `Arc`'s for each text.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[cfg_attr(feature = "schema", schemars(with = "String"))]
pub struct SharedStr(triomphe::Arc<Box<str>>);

impl std::ops::Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr(triomphe::Arc::new(Box::from(s)))
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr(triomphe::Arc::new(s.into_boxed_str()))
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", &**self)
    }
}

/// The id of a stream (one aggregate instance), e.g. `"order-42"`.
///
/// Cheap to clone and one word wide, because every recorded fact carries one: its count,
/// its [`FastHash`] once known, its length and text sit in one allocation
/// ([`triomphe::ThinArc`]), so a new stream's id is one `malloc` (a [`SharedStr`] takes
/// two: the count's and the text's). Compares, orders, hashes and serializes as its text.
#[derive(Clone)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[cfg_attr(feature = "schema", schemars(with = "String"))]
pub struct StreamId(triomphe::ThinArc<KeptHash, u8>);

/// A stream id's [`FastHash`], kept beside its text once known (0 until then), so that the
/// streams map moves and finds a stream by its id without reading the text again
/// ([`StreamId::fast_hash`]). Atomic only to be written through a shared id: every clone
/// of one id shares it, and whoever writes it writes the same value (the text's hash).
#[derive(Default)]
struct KeptHash(AtomicU64);

impl StreamId {
    /// The stream id as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).expect("a stream id is made from text")
    }

    /// The id's [`FastHash`], as its text's ([`StreamId`] hashes as its text): read from
    /// the id's allocation once known, else computed from the text and kept there. (A text
    /// whose hash is 0 is hashed again at each call: still right, only slower.)
    #[inline]
    pub(crate) fn fast_hash(&self) -> u64 {
        match self.0.header.header.0.load(Ordering::Relaxed) {
            0 => self.hash_and_keep(),
            kept => kept,
        }
    }

    /// Notes `hash`, the [`FastHash`] of the id's text that a caller already computed
    /// (the engine hashes a command's stream name to look it up), so that
    /// [`StreamId::fast_hash`] does not compute it again.
    pub(crate) fn keep_hash(&self, hash: u64) {
        debug_assert_eq!(hash, FastHash.hash_one(self), "the hash of the id's text");
        self.0.header.header.0.store(hash, Ordering::Relaxed);
    }

    /// [`StreamId::fast_hash`]'s first call, out of line.
    #[cold]
    #[inline(never)]
    fn hash_and_keep(&self) -> u64 {
        let hash = FastHash.hash_one(self);
        self.0.header.header.0.store(hash, Ordering::Relaxed);
        hash
    }

    /// The text's bytes, for the engine's comparisons and hashes: read without checking
    /// them again ([`StreamId::as_str`] does).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0.slice
    }

    /// Whether the id's text is `text`: compared as [`same_bytes`] does, without a call to
    /// `memcmp` for most stream names.
    #[inline]
    pub(crate) fn is(&self, text: &str) -> bool {
        same_bytes(self.as_bytes(), text.as_bytes())
    }

    /// The address of the shared text: the same for every clone of one id, different for
    /// ids made apart (even with the same text) while both live.
    pub(crate) fn addr(&self) -> usize {
        self.0.as_ptr() as usize
    }
}

impl PartialEq for StreamId {
    /// The same text; a clone of the same id is equal without reading it.
    fn eq(&self, other: &Self) -> bool {
        self.addr() == other.addr() || same_bytes(self.as_bytes(), other.as_bytes())
    }
}

/// Whether `a` and `b` are the same bytes. Of 8 to 16 bytes (most stream names: `order-`
/// and an id), as their first and last 8, two words each, which overlap or meet: a
/// comparison of a length known only now is otherwise a call to `memcmp`.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let len = a.len();
    if len != b.len() {
        return false;
    }
    if !(8..=16).contains(&len) {
        return a == b;
    }
    let word = |bytes: &[u8], at: usize| {
        u64::from_le_bytes(<[u8; 8]>::try_from(&bytes[at..at + 8]).unwrap_or_default())
    };
    word(a, 0) == word(b, 0) && word(a, len - 8) == word(b, len - 8)
}

impl Eq for StreamId {}

impl PartialOrd for StreamId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for StreamId {
    /// As the texts order (a `str` orders by its bytes).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl std::hash::Hash for StreamId {
    /// As its text hashes (a `str` writes its bytes, then `0xff`): the engine looks a
    /// stream up by the text a decider wrote.
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.as_bytes());
        state.write_u8(0xff);
    }
}

impl Serialize for StreamId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for StreamId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(StreamId::from)
    }
}

impl From<&str> for StreamId {
    fn from(s: &str) -> Self {
        StreamId(triomphe::ThinArc::from_header_and_slice(
            KeptHash::default(),
            s.as_bytes(),
        ))
    }
}

impl From<String> for StreamId {
    fn from(s: String) -> Self {
        StreamId::from(s.as_str())
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// The hasher of the engine's maps keyed by [`Id`] and [`StreamId`] (streams, the store's
/// stream index, the command index): a multiply-rotate hash (as rustc's `FxHash`), several
/// times cheaper than the standard SipHash on these short keys. The keys are the engine's
/// own ids and stream names, so hash flooding is no concern; and being unseeded, it gives
/// the same iteration order on every run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FastHash;

impl BuildHasher for FastHash {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

/// The [`Hasher`] of [`FastHash`].
#[derive(Clone, Copy, Debug)]
pub struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0xF135_7AEA_2E62_A9C5);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        }
        // The last 0 to 7 bytes as a little-endian word padded with zeros: the top bytes
        // of the text's last 8 shifted down, or, in a text shorter than 8, gathered byte
        // by byte (a copy into a buffer of a length known only now calls `memcpy`).
        let rest = chunks.remainder();
        let last = match bytes.len().checked_sub(8) {
            Some(_) if rest.is_empty() => 0,
            Some(start) => {
                let word = <[u8; 8]>::try_from(&bytes[start..]).unwrap_or_default();
                u64::from_le_bytes(word) >> (8 * (8 - rest.len()))
            }
            None => rest
                .iter()
                .rev()
                .fold(0, |word, &byte| word << 8 | u64::from(byte)),
        };
        self.add(last);
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        // The multiply leaves its entropy in the high bits; tables index by the low ones.
        self.0.rotate_left(26)
    }
}

/// The injected, seedable source of ids.
///
/// Every id is a pure function of the seed and a counter the engine already keeps (the
/// global position of a fact, the ordinal of a queued command), so an engine rebuilt from
/// its journal, or forked at a position, draws exactly the ids the original would have.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct SeededIds {
    /// The seed: two engines with the same seed and inputs record identical logs.
    pub seed: u64,
}

impl SeededIds {
    /// A source whose whole sequence is determined by `seed`.
    pub fn new(seed: u64) -> Self {
        SeededIds { seed }
    }

    /// The id of the fact recorded at global `position`.
    pub fn fact(&self, position: u64) -> Id {
        Id(mix(self.seed ^ FACTS, position))
    }

    /// The position whose fact id is `id` ([`SeededIds::fact`] is a bijection too): where
    /// the fact a command names as its cause was recorded, if this source drew its id.
    pub fn fact_position(&self, id: Id) -> u64 {
        unmix(self.seed ^ FACTS, id.0)
    }

    /// The id of the `ordinal`-th command ever queued (user or reaction).
    pub fn command(&self, ordinal: u64) -> Id {
        Id(mix(self.seed ^ COMMANDS, ordinal))
    }

    /// The ordinal whose command id is `id`: [`SeededIds::command`] is a bijection, so
    /// every id, even one a person chose, has exactly one. It lets the engine index
    /// commands by ordinal (dense) instead of hashing their ids.
    pub fn command_ordinal(&self, id: Id) -> u64 {
        unmix(self.seed ^ COMMANDS, id.0)
    }
}

/// What command ids mix into the seed.
const COMMANDS: u64 = 0xC0DE_C0DE_C0DE_C0DE;
/// What fact ids mix into the seed.
const FACTS: u64 = 0xFAC7_FAC7_FAC7_FAC7;
/// SplitMix64's increment.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
/// SplitMix64's two multipliers.
const M1: u64 = 0xBF58_476D_1CE4_E5B9;
const M2: u64 = 0x94D0_49BB_1331_11EB;

/// SplitMix64 of `seed + n·γ`: a bijection of `n`, so ids never repeat within a kind.
fn mix(seed: u64, n: u64) -> u64 {
    let mut z = seed.wrapping_add(n.wrapping_add(1).wrapping_mul(GAMMA));
    z = (z ^ (z >> 30)).wrapping_mul(M1);
    z = (z ^ (z >> 27)).wrapping_mul(M2);
    z ^ (z >> 31)
}

/// The `n` that [`mix`] maps to `z` under `seed`: each step of `mix` undone in reverse.
fn unmix(seed: u64, z: u64) -> u64 {
    const INVERSES: [u64; 3] = [inverse(M2), inverse(M1), inverse(GAMMA)];
    let mut z = unshift(z, 31).wrapping_mul(INVERSES[0]);
    z = unshift(z, 27).wrapping_mul(INVERSES[1]);
    z = unshift(z, 30);
    z.wrapping_sub(seed)
        .wrapping_mul(INVERSES[2])
        .wrapping_sub(1)
}

/// The `x` with `x ^ (x >> shift) == y`.
fn unshift(y: u64, shift: u32) -> u64 {
    let mut x = y;
    let mut known = shift;
    while known < 64 {
        x = y ^ (x >> shift);
        known += shift;
    }
    x
}

/// The inverse of odd `a` modulo 2^64 (Newton's iteration doubles the correct low bits:
/// 3, 6, 12, 24, 48, 96).
const fn inverse(a: u64) -> u64 {
    let mut x = a;
    let mut round = 0;
    while round < 5 {
        x = x.wrapping_mul(2u64.wrapping_sub(a.wrapping_mul(x)));
        round += 1;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    #[test]
    fn a_stream_id_s_clones_share_its_address_and_an_id_made_apart_does_not() {
        let id = StreamId::from("order-1");
        let (clone, apart) = (id.clone(), StreamId::from("order-1"));
        assert_eq!(clone.addr(), id.addr());
        assert_eq!(apart, id, "the same text");
        assert_ne!(apart.addr(), id.addr());
    }

    #[test]
    fn stream_ids_are_equal_exactly_when_their_texts_are() {
        // Every length around the two words' (8 to 16) and beyond, each byte changed in
        // turn: the first and the last word, and the bytes only one of them reads.
        let text: String = ('a'..='z').collect();
        for len in 0..=20 {
            let id = StreamId::from(&text[..len]);
            assert!(id.is(&text[..len]), "{len} bytes");
            assert_eq!(id, StreamId::from(&text[..len]), "{len} bytes");
            for at in 0..len {
                let mut other = text[..len].to_owned().into_bytes();
                other[at] = b'_';
                let other = String::from_utf8(other).unwrap();
                assert!(!id.is(&other), "{len} bytes, byte {at} changed");
                assert_ne!(id, StreamId::from(other), "{len} bytes, byte {at} changed");
            }
            assert!(!id.is(&text[..len + 1]), "{len} bytes and one more");
        }
    }

    #[test]
    fn a_stream_id_keeps_its_text_s_fast_hash_for_every_clone() {
        for text in ["", "a", "order-1", "restaurant-luigi", "payment-o123456789"] {
            let id = StreamId::from(text);
            let clone = id.clone();
            assert_eq!(id.fast_hash(), FastHash.hash_one(text), "{text:?}");
            assert_eq!(id.0.header.header.0.load(Ordering::Relaxed), id.fast_hash());
            assert_eq!(
                clone.fast_hash(),
                FastHash.hash_one(text),
                "kept for the clone"
            );
            let apart = StreamId::from(text);
            apart.keep_hash(FastHash.hash_one(text));
            assert_eq!(apart.fast_hash(), id.fast_hash(), "{text:?}");
        }
    }

    #[test]
    fn a_stream_id_hashes_as_its_text() {
        // The engine looks a command's stream up by the text the decider wrote, in the
        // map keyed by the streams' ids.
        for text in ["", "order-1", "restaurant-luigi", "payment-o123456789"] {
            assert_eq!(
                FastHash.hash_one(StreamId::from(text)),
                FastHash.hash_one(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn ids_round_trip_through_json_as_hex_text() {
        let id = Id(0xdead_beef_0000_0001);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"deadbeef00000001\"");
        assert_eq!(serde_json::from_str::<Id>(&json).unwrap(), id);
        let err = serde_json::from_str::<Id>("\"not-hex\"").unwrap_err();
        assert!(err.to_string().contains("not-hex"), "{err}");
    }

    #[test]
    fn seeded_ids_are_deterministic_and_distinct() {
        let (a, b) = (SeededIds::new(7), SeededIds::new(7));
        let xs: Vec<Id> = (0..1000).map(|n| a.fact(n)).collect();
        let ys: Vec<Id> = (0..1000).map(|n| b.fact(n)).collect();
        assert_eq!(xs, ys);
        let mut all: std::collections::HashSet<Id> = xs.iter().copied().collect();
        all.extend((0..1000).map(|n| a.command(n)));
        assert_eq!(all.len(), 2000, "fact and command ids never collide here");
        assert_ne!(SeededIds::new(8).fact(0), xs[0]);
    }

    #[test]
    fn every_command_id_has_its_ordinal_and_every_fact_id_its_position() {
        for seed in [0, 7, u64::MAX] {
            let ids = SeededIds::new(seed);
            for n in (0..2000).chain([u64::MAX, u64::MAX / 3]) {
                assert_eq!(ids.command_ordinal(ids.command(n)), n);
                assert_eq!(ids.fact_position(ids.fact(n)), n);
            }
            for raw in [0, 1, 0xdead_beef, u64::MAX, 0x8000_0000_0000_0000] {
                let id = Id(raw);
                assert_eq!(ids.command(ids.command_ordinal(id)), id);
                assert_eq!(ids.fact(ids.fact_position(id)), id);
            }
            // A command's id is not read as the fact of the same number.
            assert_ne!(ids.fact_position(ids.command(5)), 5);
        }
    }

    #[test]
    fn the_fast_hash_reads_a_tail_as_its_bytes_padded_with_zeros() {
        // The words the hash takes: whole 8-byte chunks, then the rest padded with zeros
        // (what the maps' iteration order was built on).
        let text: Vec<u8> = (1..=20u8).map(|b| b.wrapping_mul(13)).collect();
        for len in 0..=text.len() {
            let bytes = &text[..len];
            let mut expected = FastHasher(0);
            for chunk in bytes.chunks(8) {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                expected.add(u64::from_le_bytes(word));
            }
            if len % 8 == 0 {
                expected.add(0);
            }
            let mut hasher = FastHash.build_hasher();
            hasher.write(bytes);
            assert_eq!(hasher.finish(), expected.finish(), "{len} bytes");
        }
    }

    #[test]
    fn the_fast_hash_tells_stream_names_and_ids_apart() {
        let hash = |v: &dyn Fn(&mut FastHasher)| {
            let mut h = FastHash.build_hasher();
            v(&mut h);
            h.finish()
        };
        let names = ["order-1", "order-2", "order-10", "order-100000000", "o", ""];
        let streams: std::collections::HashSet<u64> = names
            .iter()
            .map(|n| hash(&|h| StreamId::from(*n).hash(h)))
            .collect();
        assert_eq!(streams.len(), names.len());
        let ids: std::collections::HashSet<u64> =
            (0..1000u64).map(|n| hash(&|h| Id(n).hash(h))).collect();
        assert_eq!(ids.len(), 1000);
    }
}
