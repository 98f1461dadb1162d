// Reading a workspace's journal segments out of IndexedDB for `journal_store.rs`: each
// segment handed to the wasm as bytes, not as a JS string converted a character at a
// time. When every segment of a batch has a packed image (`{count, bin}`: the entries'
// packed form, one ArrayBuffer, cheap to read back), those bytes are handed over; else
// the segments themselves (structured values, read back and stringified, the UTF-8 bytes
// of their JSON text; a segment kept as text, `{count, text}`, gives its text as it is).
// `readSegment` and `writeImage` let the wasm hold each image against its segment, in the
// background.

const encoder = new TextEncoder();

/** The result of an IndexedDB request, as a promise. */
function finished(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** A transaction's commit, as a promise. */
function committed(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = () => reject(transaction.error);
  });
}

/**
 * The packed image of a segment of `count` entries whose packed form is `bytes` (a view
 * into the wasm's memory: copied).
 */
export function pack(bytes, count) {
  return { count, bin: bytes.slice().buffer };
}

/** Whether `image` is a packed image (an entry count and an ArrayBuffer). */
function isImage(image) {
  return image !== null && typeof image === "object" && Number.isInteger(image.count) &&
    image.count >= 0 && image.bin instanceof ArrayBuffer;
}

/** Whether two arrays of keys `[workspace, first]` are the same. */
function sameKeys(a, b) {
  return a.length === b.length && a.every((key, i) => key[1] === b[i][1]);
}

/**
 * Up to `limit` (all when undefined) of `workspace`'s segments from the one starting at
 * sequence `from`, in order, each as `{ first, count, bytes, packed }`: the UTF-8 bytes of
 * its JSON text, from its packed image when `packed` asks for them and every segment of
 * the batch has one. Reading stops at a gap between segments, a record that is neither an
 * array nor a segment kept as text, or one that has no JSON form: `stop` then says at
 * which sequence and why. `next` is the sequence after the last segment returned; `more`
 * says whether segments may follow.
 */
export async function readBatch(db, workspace, from, limit, packed) {
  const range = IDBKeyRange.bound([workspace, from], [workspace, Infinity]);
  if (packed) {
    const tx = db.transaction(["segments", "packed"], "readonly");
    const images = tx.objectStore("packed");
    const [keys, imageKeys, values] = await Promise.all([
      finished(tx.objectStore("segments").getAllKeys(range, limit)),
      finished(images.getAllKeys(range, limit)),
      finished(images.getAll(range, limit)),
    ]);
    if (sameKeys(keys, imageKeys) && values.every(isImage)) {
      return batch(keys, values, from, limit, (image) => ({
        count: image.count,
        bytes: new Uint8Array(image.bin),
        packed: true,
      }));
    }
  }
  const store = db.transaction(["segments"], "readonly").objectStore("segments");
  const [keys, values] = await Promise.all([
    finished(store.getAllKeys(range, limit)),
    finished(store.getAll(range, limit)),
  ]);
  return batch(keys, values, from, limit, (record) => {
    const segment = asText(record);
    if (typeof segment === "string") return segment;
    return { count: segment.count, bytes: encoder.encode(segment.text), packed: false };
  });
}

/**
 * A segment record as `{ count, text }` (its number of entries and their JSON array's
 * text), or why it is not one. A record is an array of entries (structured values), or
 * `{ count, text }` itself when an entry holds an integer a JS number cannot hold exactly.
 */
function asText(record) {
  if (record !== null && typeof record === "object" && !Array.isArray(record)) {
    const { count, text } = record;
    if (Number.isInteger(count) && count >= 0 && typeof text === "string") return { count, text };
  }
  if (!Array.isArray(record)) return "the stored segment is not an array of entries";
  let text;
  try {
    text = JSON.stringify(record);
  } catch {
    text = undefined;
  }
  if (typeof text !== "string") return "the stored segment is not JSON";
  return { count: record.length, text };
}

/** The batch of the records `values` at `keys`, each read by `read` (or why it does not). */
function batch(keys, values, from, limit, read) {
  const segments = [];
  let next = from;
  let stop = null;
  for (let i = 0; i < keys.length && stop === null; i++) {
    const first = keys[i][1];
    const segment = first === next ? read(values[i]) : `entry ${next} is missing (the next one kept is ${first})`;
    if (typeof segment === "string") {
      stop = segment;
    } else {
      segments.push({ first, ...segment });
      next += segment.count;
    }
  }
  return {
    segments,
    next,
    stop: stop === null ? null : { sequence: next, message: stop },
    more: stop === null && limit !== undefined && keys.length === limit,
  };
}

/**
 * `workspace`'s segment starting at `first` as `{ text, image }`: its JSON text (`null`
 * when it is missing or neither an array of JSON values nor a segment kept as text) and
 * the bytes of its packed image (`null` when it has none).
 */
export async function readSegment(db, workspace, first) {
  const key = [workspace, first];
  const tx = db.transaction(["segments", "packed"], "readonly");
  const [entries, image] = await Promise.all([
    finished(tx.objectStore("segments").get(key)),
    finished(tx.objectStore("packed").get(key)),
  ]);
  const segment = entries === undefined ? null : asText(entries);
  return {
    text: segment !== null && typeof segment === "object" ? segment.text : null,
    image: isImage(image) ? new Uint8Array(image.bin) : null,
  };
}

/**
 * Whether the JSON texts `a` and `b` hold the same values, as the browser reads them (an
 * object's members in any order: a segment converted from an older version keeps them
 * sorted).
 */
export function sameJson(a, b) {
  try {
    return sameValue(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}

/** Whether the JSON values `a` and `b` are the same. */
function sameValue(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && sameValue(a[key], b[key]));
}

/** Writes `image` (from `pack`) as the packed image of `workspace`'s segment at `first`. */
export async function writeImage(db, workspace, first, image) {
  const write = db.transaction(["packed"], "readwrite");
  write.objectStore("packed").put(image, [workspace, first]);
  await committed(write);
}
