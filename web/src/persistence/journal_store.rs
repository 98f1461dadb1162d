//! The journal in IndexedDB, kept in sealed segments: each record is the array of the
//! entries one transaction appended (whole engine steps, at most [`SEGMENT`] entries), as
//! plain JS objects (readable in DevTools) in their [`stored`] form (a step names its
//! command when the segment queued it, facts leave out what their step says), keyed
//! `[workspace id, sequence of its first entry]`.
//!
//! Beside each segment, keyed alike, its packed image (`{count, bin}`: the entries in their
//! [`packed`] form, one ArrayBuffer, which IndexedDB reads back as one copy and the engine
//! reads without JSON, where the structured entries cost a structured clone each, a
//! `JSON.stringify` and a JSON parse): a cache, read first when a workspace opens
//! ([`load`]), then held against the segments in the background ([`check`]), the segments
//! staying the truth. An image that does not read (another version of the form, cut
//! short) is passed over for the segments.
//!
//! A segment is written once, with `add`, in the same readwrite transaction as its packed
//! image and the workspace's record, and never rewritten: IndexedDB commits the transaction whole or
//! not at all, so a segment is all there or absent. Appends are conditional on the length
//! the tab last saw, like an event store's expected version: the new segment's key is that
//! length, and since every length a tab can see is where some segment starts or the
//! journal ends, a second writer that saw the same length adds a key that exists — its
//! `add` fails, and with it the whole transaction. There is no open tail to rewrite: a
//! step-by-step session writes small segments, a long run large ones.

use super::db::{self, StoreError, PACKED, SEGMENTS, WORKSPACES};
use super::workspaces::Workspace;
use decider_core::boundary::{packed, stored};
use decider_core::{DynDomain, DynEngine};
use js_sys::Promise;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbTransactionMode};

/// Journal entries per segment (and so per transaction) the keeper writes at most.
pub const SEGMENT: usize = 4_000;
/// Segments read per request when a journal is opened: IndexedDB reads the next batch
/// while the engine folds this one, and a long journal never sits whole in the JS heap.
const READ_BATCH: u32 = 4;

/// An entry that does not read back: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Damage {
    /// The entry's sequence (index in the journal).
    pub sequence: usize,
    /// The JSON path of the problem inside the journal (`$[sequence]…`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

#[wasm_bindgen(module = "/src/persistence/segment_reader.js")]
extern "C" {
    /// A promise of a [`Batch`]: up to `limit` segments (all when `None`) from `from`,
    /// from their packed images when `packed` asks for them and they all have one.
    #[wasm_bindgen(js_name = readBatch)]
    fn read_batch(
        db: &IdbDatabase,
        workspace: &str,
        from: f64,
        limit: Option<u32>,
        packed: bool,
    ) -> Promise;

    /// The packed image of a segment of `count` entries whose packed form is `bytes`.
    fn pack(bytes: &[u8], count: f64) -> JsValue;

    /// A promise of the [`SegmentAsKept`] of `workspace`'s segment at `first`.
    #[wasm_bindgen(js_name = readSegment)]
    fn read_segment(db: &IdbDatabase, workspace: &str, first: f64) -> Promise;

    /// Whether two JSON texts hold the same values, as the browser reads them.
    #[wasm_bindgen(js_name = sameJson)]
    fn same_json(a: &str, b: &str) -> bool;

    /// A promise that `image` (from `pack`) was written as the packed image of
    /// `workspace`'s segment at `first`.
    #[wasm_bindgen(js_name = writeImage)]
    fn write_image(db: &IdbDatabase, workspace: &str, first: f64, image: &JsValue) -> Promise;

    /// A segment as kept: its JSON text and its packed image's bytes, if any.
    type SegmentAsKept;
    #[wasm_bindgen(method, getter)]
    fn text(this: &SegmentAsKept) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn image(this: &SegmentAsKept) -> Option<js_sys::Uint8Array>;

    /// Segments read in order, and where reading stopped.
    type Batch;
    /// `StoredSegment`s.
    #[wasm_bindgen(method, getter)]
    fn segments(this: &Batch) -> js_sys::Array;
    /// The sequence after the last segment read.
    #[wasm_bindgen(method, getter)]
    fn next(this: &Batch) -> f64;
    /// Whether more segments may follow.
    #[wasm_bindgen(method, getter)]
    fn more(this: &Batch) -> bool;
    /// Why reading stopped before the end, if it did.
    #[wasm_bindgen(method, getter)]
    fn stop(this: &Batch) -> Option<Stop>;

    /// A segment as read: its first sequence, its number of entries, its bytes (its
    /// packed image's, or its JSON text's), whether they came from its packed image.
    type StoredSegment;
    #[wasm_bindgen(method, getter)]
    fn first(this: &StoredSegment) -> f64;
    #[wasm_bindgen(method, getter)]
    fn count(this: &StoredSegment) -> f64;
    #[wasm_bindgen(method, getter)]
    fn bytes(this: &StoredSegment) -> js_sys::Uint8Array;
    #[wasm_bindgen(method, getter)]
    fn packed(this: &StoredSegment) -> bool;

    /// Where reading stopped, and why.
    type Stop;
    #[wasm_bindgen(method, getter)]
    fn sequence(this: &Stop) -> f64;
    #[wasm_bindgen(method, getter)]
    fn message(this: &Stop) -> String;
}

/// The [`Read`] that `promise` (of a [`Batch`] read from `from`) comes to.
async fn batch(from: usize, promise: Promise) -> Result<Read, StoreError> {
    let batch: Batch = JsFuture::from(promise).await?.unchecked_into();
    let segments = batch
        .segments()
        .iter()
        .map(|segment| {
            let segment: StoredSegment = segment.unchecked_into();
            let bytes = segment.bytes().to_vec();
            Part {
                first: segment.first() as usize,
                count: segment.count() as usize,
                body: match segment.packed() {
                    true => Body::Packed(bytes),
                    false => Body::Text(String::from_utf8(bytes).unwrap_or_default()),
                },
            }
        })
        .collect();
    let damage = batch.stop().map(|stop| {
        let sequence = stop.sequence() as usize;
        Damage {
            sequence,
            path: format!("$[{sequence}]"),
            message: stop.message(),
        }
    });
    Ok(Read {
        from,
        next: batch.next() as usize,
        more: batch.more(),
        segments,
        damage,
    })
}

/// A segment as read.
struct Part {
    /// The sequence of its first entry.
    first: usize,
    /// Its number of entries.
    count: usize,
    /// Its entries.
    body: Body,
}

/// A segment's entries as read.
enum Body {
    /// From the segment: the text of a JSON array in the stored form.
    Text(String),
    /// From its packed image (not yet held against the segment): their packed form.
    Packed(Vec<u8>),
}

/// A segment folded when a journal was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Folded {
    /// The sequence of its first entry.
    pub first: usize,
    /// Its number of entries.
    pub count: usize,
    /// Whether it was read from its packed image (then [`check`] holds the image against
    /// the segment).
    pub packed: bool,
}

/// How folding a batch of segments ended.
enum Outcome {
    /// Every segment folded, or the first entry that does not (or where reading stopped).
    Folded(Option<Damage>),
    /// The packed image of the segment at this sequence does not read: nothing of it was
    /// folded.
    Unreadable(usize),
}

/// A journal as read from the store: its segments in order, up to the first gap between
/// them or the first record that is not an array of entries.
pub struct Read {
    /// The sequence of the first entry read.
    from: usize,
    /// The sequence after the last entry read.
    next: usize,
    /// Whether more segments may follow.
    more: bool,
    /// The segments, in order, without gaps.
    segments: Vec<Part>,
    /// Where reading stopped before the end, if it did.
    damage: Option<Damage>,
}

impl Read {
    /// The number of entries read.
    pub fn len(&self) -> usize {
        self.next - self.from
    }

    /// Whether no entry was read.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where reading stopped before the end, if it did.
    pub fn damage(&self) -> Option<&Damage> {
        self.damage.as_ref()
    }

    /// Every entry read, as one JSON array text in the stored form
    /// ([`DynEngine::extend`] reads it). A [`read`] reads the segments, never their images.
    pub fn text(&self) -> String {
        let inner: Vec<&str> = self
            .segments
            .iter()
            .filter(|segment| segment.count > 0)
            .filter_map(|segment| match &segment.body {
                Body::Text(text) => Some(text.trim()),
                Body::Packed(_) => None,
            })
            .map(|text| text.trim_start_matches('[').trim_end_matches(']'))
            .collect();
        format!("[{}]", inner.join(","))
    }

    /// Every entry read, as JSON values in their JSON form (expanded from the stored
    /// form); none if they do not expand.
    pub fn entries(&self) -> Vec<Value> {
        stored::expand(&self.text(), self.from)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Folds the entries onto `engine` (whose journal is as long as where the reading
    /// started), a segment at a time, each handed over as one JSON text
    /// ([`DynEngine::extend`]) or packed image ([`DynEngine::extend_packed`]). The first
    /// entry that does not read or fold, or else where reading stopped, is returned; the
    /// entries before it stay folded. A packed image that does not read (or holds another
    /// number of entries than its record says) stops it before that segment. Each
    /// segment folded is added to `folded`.
    fn fold_into(self, engine: &mut dyn DynEngine, folded: &mut Vec<Folded>) -> Outcome {
        debug_assert_eq!(engine.journal_len(), self.from);
        for segment in self.segments {
            let (first, count) = (segment.first, segment.count);
            let result = match &segment.body {
                Body::Text(text) => engine.extend(text),
                Body::Packed(bytes) if packed::count(bytes) == Some(count) => {
                    match engine.extend_packed(bytes) {
                        Some(result) => result,
                        None => return Outcome::Unreadable(first),
                    }
                }
                Body::Packed(_) => return Outcome::Unreadable(first),
            };
            folded.push(Folded {
                first,
                count,
                packed: matches!(segment.body, Body::Packed(_)),
            });
            if let Err(e) = result {
                let sequence = sequence_of(&e.path).unwrap_or(first);
                return Outcome::Folded(Some(Damage {
                    sequence,
                    path: e.path,
                    message: e.message,
                }));
            }
        }
        Outcome::Folded(self.damage)
    }
}

/// A workspace's journal as opened: its engine, its first damaged entry, and the segments
/// it was folded from.
pub struct Loaded {
    /// The engine, up to the first entry that does not read or fold.
    pub engine: Box<dyn DynEngine>,
    /// That entry, if any.
    pub damage: Option<Damage>,
    /// The segments folded, in order.
    pub segments: Vec<Folded>,
}

/// The engine of `workspace`'s stored journal on `domain` seeded `seed`, read from the
/// segments a few at a time (the next batch asked for before this one is folded): up to
/// its first entry that does not read or fold (or the first gap), which is returned with
/// its sequence, JSON path and message.
pub async fn rebuild(
    db: &IdbDatabase,
    workspace: &str,
    domain: &dyn DynDomain,
    seed: u64,
) -> Result<(Box<dyn DynEngine>, Option<Damage>), StoreError> {
    let loaded = load(db, workspace, domain, seed, false).await?;
    Ok((loaded.engine, loaded.damage))
}

/// As [`rebuild`], but each batch of segments is read from their packed images when
/// `packed` asks for them and every one has an image: what the images say until [`check`]
/// has held each against its segment. From an image that does not read on, the segments
/// are read.
pub async fn load(
    db: &IdbDatabase,
    workspace: &str,
    domain: &dyn DynDomain,
    seed: u64,
    mut packed: bool,
) -> Result<Loaded, StoreError> {
    let mut engine = domain.start(crate::session::config(seed));
    let ask = |from: usize, packed: bool| {
        let promise = read_batch(db, workspace, from as f64, Some(READ_BATCH), packed);
        batch(from, promise)
    };
    let mut segments = Vec::new();
    let mut pending = Some(ask(0, packed));
    while let Some(reading) = pending.take() {
        let read = reading.await?;
        if read.more && read.damage.is_none() {
            pending = Some(ask(read.next, packed));
        }
        match read.fold_into(&mut *engine, &mut segments) {
            Outcome::Folded(None) => {}
            Outcome::Folded(Some(damage)) => {
                return Ok(Loaded {
                    engine,
                    damage: Some(damage),
                    segments,
                })
            }
            Outcome::Unreadable(first) => {
                packed = false;
                pending = Some(ask(first, false));
            }
        }
    }
    Ok(Loaded {
        engine,
        damage: None,
        segments,
    })
}

/// What an engine holds of a segment: the entries' stored text, JSON form and packed
/// form.
pub struct Held {
    count: usize,
    text: String,
    json: String,
    image: Vec<u8>,
}

impl Held {
    /// What `engine` holds of the segment of `count` entries from `first` (`None` when its
    /// journal ends before).
    pub fn of(engine: &dyn DynEngine, first: usize, count: usize) -> Option<Held> {
        let to = first + count;
        (engine.journal_len() >= to).then(|| Held {
            count,
            text: engine.stored_text(first, to),
            json: engine.journal_text(first, to),
            image: engine.packed(first, to),
        })
    }
}

/// Holds what an engine opened from `workspace`'s journal `held` of the segment at `first`
/// (`None`: nothing, its journal ends before) against the segment: the same stored text,
/// or else the same entries once the segment is expanded to their JSON form (a segment
/// converted from an older version, or kept in the JSON form, says the same in other
/// words). When they are the same, the segment's packed image is written from them if it
/// is missing or differs;
/// else (the engine was opened from an image that does not say what its segment says)
/// the image is deleted, so that the next open reads the segment, and `true` is returned.
pub async fn check(
    db: &IdbDatabase,
    workspace: &str,
    first: usize,
    held: Option<Held>,
) -> Result<bool, StoreError> {
    let kept: SegmentAsKept = JsFuture::from(read_segment(db, workspace, first as f64))
        .await?
        .unchecked_into();
    let same = match (&held, kept.text()) {
        (Some(held), Some(text)) => {
            text == held.text
                || stored::expand(&text, first).is_ok_and(|json| same_json(&json, &held.json))
        }
        _ => false,
    };
    let write = match (&held, same) {
        (Some(held), true) => {
            let image = kept.image().map(|bytes| bytes.to_vec());
            (image.as_deref() != Some(&held.image[..]))
                .then(|| pack(&held.image, held.count as f64))
        }
        _ => Some(JsValue::NULL),
    };
    if let Some(image) = write {
        JsFuture::from(write_image(db, workspace, first as f64, &image)).await?;
    }
    Ok(!same)
}

/// The journal index at the start of a `$[i]…` path.
fn sequence_of(path: &str) -> Option<usize> {
    path.strip_prefix("$[")?.split(']').next()?.parse().ok()
}

/// Entries ready to be stored as one segment: a JS array of plain objects, and its packed
/// image if it has one.
pub struct Segment {
    value: JsValue,
    image: Option<JsValue>,
    len: usize,
}

impl Segment {
    /// The segment of `len` entries whose stored form is `text` (as
    /// [`DynEngine::stored_text`] writes them; parsed once by the browser) and packed form
    /// `image` ([`DynEngine::packed`]). Entries holding an integer a JS number cannot hold
    /// exactly are kept as their JSON text, `{count, text}`, not as structured values.
    pub fn new(text: &str, image: &[u8], len: usize) -> Result<Segment, StoreError> {
        let mut segment = Segment::parsed(text, len)?;
        segment.image = Some(pack(image, len as f64));
        Ok(segment)
    }

    /// The segment of the entries `from..to` of `engine`.
    pub fn of(engine: &dyn DynEngine, from: usize, to: usize) -> Result<Segment, StoreError> {
        let to = to.min(engine.journal_len());
        let from = from.min(to);
        Segment::new(
            &engine.stored_text(from, to),
            &engine.packed(from, to),
            to - from,
        )
    }

    /// The segment of `entries` (JSON values that may not fold: no packed image; the
    /// next open that folds them writes one).
    pub fn from_entries(entries: &[Value]) -> Result<Segment, StoreError> {
        let text = serde_json::to_string(entries)
            .map_err(|e| e.to_string())
            .and_then(|text| stored::compact(&text).map_err(|e| e.to_string()))
            .map_err(|e| StoreError::Other(format!("the entries do not convert: {e}")))?;
        Segment::parsed(&text, entries.len())
    }

    /// The segment of `len` entries whose stored form is `text`, without an image: an
    /// array of structured values, or, when an entry holds an integer a JS number cannot
    /// hold exactly (a `u64` above 2^53, as the transfer domain's overflow example has),
    /// `{count, text}` with the array's JSON text, so that nothing is stored changed.
    fn parsed(text: &str, len: usize) -> Result<Segment, StoreError> {
        let value = if holds_inexact_integer(text) {
            let record = js_sys::Object::new();
            js_sys::Reflect::set(&record, &"count".into(), &(len as f64).into())?;
            js_sys::Reflect::set(&record, &"text".into(), &text.into())?;
            record.into()
        } else {
            js_sys::JSON::parse(text)?
        };
        Ok(Segment {
            value,
            image: None,
            len,
        })
    }

    /// Its number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it has no entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Whether the JSON `text` holds an integer (outside strings) that a JS number cannot hold
/// exactly.
fn holds_inexact_integer(text: &str) -> bool {
    const EXACT: u128 = 1 << 53;
    let bytes = text.as_bytes();
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'0'..=b'9' if !in_string => {
                let start = i;
                let in_number =
                    |b: &u8| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-');
                while bytes.get(i + 1).is_some_and(in_number) {
                    i += 1;
                }
                let number = &text[start..=i];
                let integer = number.bytes().all(|b| b.is_ascii_digit());
                if integer
                    && number.len() >= 16
                    && number.parse::<u128>().map_or(true, |n| n > EXACT)
                {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// The store key of `workspace`'s segment starting at `sequence`.
pub fn key(workspace: &str, sequence: usize) -> JsValue {
    js_sys::Array::of2(&workspace.into(), &(sequence as f64).into()).into()
}

/// The keys of `workspace`'s segments from the one starting at `from` on.
fn range(workspace: &str, from: usize) -> Result<IdbKeyRange, StoreError> {
    let upper = js_sys::Array::of2(&workspace.into(), &f64::INFINITY.into());
    Ok(IdbKeyRange::bound(&key(workspace, from), &upper)?)
}

/// Appends `segment` (and its packed image) to `workspace`'s journal at sequence
/// `expected` (the length this tab last saw) and writes the workspace's record, in one
/// readwrite transaction. Fails with [`StoreError::Conflict`] when another writer got
/// there first; nothing is written then.
pub async fn append(
    db: &IdbDatabase,
    workspace: &Workspace,
    expected: usize,
    segment: &Segment,
) -> Result<(), StoreError> {
    let stores = [SEGMENTS, PACKED, WORKSPACES];
    let tx = db::transaction(db, &stores, IdbTransactionMode::Readwrite)?;
    if !segment.is_empty() {
        let key = key(&workspace.id, expected);
        tx.object_store(SEGMENTS)?
            .add_with_key(&segment.value, &key)?;
        if let Some(image) = &segment.image {
            tx.object_store(PACKED)?.put_with_key(image, &key)?;
        }
    }
    tx.object_store(WORKSPACES)?.put(&workspace.to_js()?)?;
    db::committed(&tx).await
}

/// Reads `workspace`'s journal from sequence `from` (where one of its segments starts, or
/// its end), on the page: one bulk read of the segments (not their images), in order. A
/// gap between segments, or a record that is neither an array nor a segment kept as text,
/// ends what is read (and [`Read::damage`] says where); nothing is changed in the store.
pub async fn read(db: &IdbDatabase, workspace: &str, from: usize) -> Result<Read, StoreError> {
    batch(from, read_batch(db, workspace, from as f64, None, false)).await
}

/// The stored segments of `workspace`'s journal from the one starting at `from`, as they
/// are: (sequence of the first entry, array of entries) in order.
pub async fn segments(
    db: &IdbDatabase,
    workspace: &str,
    from: usize,
) -> Result<Vec<(usize, JsValue)>, StoreError> {
    let tx = db::transaction(db, &[SEGMENTS], IdbTransactionMode::Readonly)?;
    let store = tx.object_store(SEGMENTS)?;
    let range = range(workspace, from)?;
    let (keys, values) = (
        store.get_all_keys_with_key(&range)?,
        store.get_all_with_key(&range)?,
    );
    let keys: js_sys::Array = db::finished(&keys).await?.into();
    let values: js_sys::Array = db::finished(&values).await?.into();
    Ok(keys
        .iter()
        .zip(values.iter())
        .map(|(key, value)| {
            let sequence = js_sys::Array::from(&key).get(1).as_f64().unwrap_or(-1.0);
            (sequence.max(0.0) as usize, value)
        })
        .collect())
}

/// The stored journal as JSON text, one array of every entry exactly as kept (for a bug
/// report about damage).
pub async fn raw_text(db: &IdbDatabase, workspace: &str) -> Result<String, StoreError> {
    let entries = js_sys::Array::new();
    for (_, segment) in segments(db, workspace, 0).await? {
        match segment.dyn_into::<js_sys::Array>() {
            Ok(array) => array.for_each(&mut |entry, _, _| {
                entries.push(&entry);
            }),
            Err(other) => {
                entries.push(&other);
            }
        }
    }
    let text = js_sys::JSON::stringify_with_replacer_and_space(
        &entries,
        &JsValue::NULL,
        &JsValue::from_f64(2.0),
    )?;
    Ok(text.as_string().unwrap_or_default())
}

/// Deletes `workspace`'s record and its journal, in one transaction.
pub async fn delete_workspace(db: &IdbDatabase, workspace: &str) -> Result<(), StoreError> {
    let stores = [SEGMENTS, PACKED, WORKSPACES];
    let tx = db::transaction(db, &stores, IdbTransactionMode::Readwrite)?;
    let journal: JsValue = range(workspace, 0)?.into();
    tx.object_store(SEGMENTS)?.delete(&journal)?;
    tx.object_store(PACKED)?.delete(&journal)?;
    tx.object_store(WORKSPACES)?.delete(&workspace.into())?;
    db::committed(&tx).await
}
