// Reading a workspace's journal segments out of IndexedDB for `journal_store.rs`: each
// segment handed to the wasm as the UTF-8 bytes of its JSON text (one `TextEncoder` call
// and one copy), not as a JS string converted a character at a time.

const encoder = new TextEncoder();

/** The result of an IndexedDB request, as a promise. */
function finished(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Up to `limit` (all when undefined) of `workspace`'s segments from the one starting at
 * sequence `from`, in order, each as the UTF-8 bytes of its JSON text. Reading stops at a
 * gap between segments, a record that is not an array, or one that has no JSON form:
 * `stop` then says at which sequence and why. `next` is the sequence after the last
 * segment returned; `more` says whether segments may follow.
 */
export async function readBatch(db, workspace, from, limit) {
  const store = db.transaction(["segments"], "readonly").objectStore("segments");
  const range = IDBKeyRange.bound([workspace, from], [workspace, Infinity]);
  const [keys, values] = await Promise.all([
    finished(store.getAllKeys(range, limit)),
    finished(store.getAll(range, limit)),
  ]);
  const segments = [];
  let next = from;
  let stop = null;
  for (let i = 0; i < keys.length && stop === null; i++) {
    const first = keys[i][1];
    const entries = values[i];
    let text;
    if (first !== next) {
      stop = `entry ${next} is missing (the next one kept is ${first})`;
    } else if (!Array.isArray(entries)) {
      stop = "the stored segment is not an array of entries";
    } else {
      try {
        text = JSON.stringify(entries);
      } catch {
        text = undefined;
      }
      if (typeof text !== "string") stop = "the stored segment is not JSON";
    }
    if (stop === null) {
      segments.push({ first, count: entries.length, bytes: encoder.encode(text) });
      next += entries.length;
    }
  }
  return {
    segments,
    next,
    stop: stop === null ? null : { sequence: next, message: stop },
    more: stop === null && limit !== undefined && keys.length === limit,
  };
}
