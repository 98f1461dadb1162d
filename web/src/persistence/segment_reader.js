// Reading a workspace's journal segments out of IndexedDB for `journal_store.rs`: one
// function, `readBatch`, run in a Web Worker when a journal is opened (the browser's
// structured-clone reading and `JSON.stringify` of the segments then leave the page's
// thread and overlap with the engine folding the previous batch), or on the page itself.
// This same file is the worker's module: loaded as a worker, it answers read requests.

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

/**
 * Reads batches of segments in a worker (its requests answered in order), or on this
 * thread when a worker cannot be started or fails to load.
 */
export class SegmentReader {
  constructor(db) {
    this.db = db;
    this.pending = [];
    try {
      this.worker = new Worker(import.meta.url, { type: "module" });
      this.worker.onmessage = ({ data }) => {
        const request = this.pending.shift();
        if (data.error) request.reject(new DOMException(data.error.message, data.error.name));
        else request.resolve(data.batch);
      };
      this.worker.onerror = (event) => {
        event.preventDefault();
        this.onThisThread();
      };
    } catch {
      this.worker = null;
    }
  }

  /** `readBatch` of `workspace` from `from`, as a promise; requests are answered in order. */
  read(workspace, from, limit) {
    if (this.worker === null) return readBatch(this.db, workspace, from, limit);
    return new Promise((resolve, reject) => {
      this.pending.push({ workspace, from, limit, resolve, reject });
      this.worker.postMessage({ name: this.db.name, workspace, from, limit });
    });
  }

  /** Reads everything still asked for, and all that follows, on this thread. */
  onThisThread() {
    this.close();
    for (const { workspace, from, limit, resolve, reject } of this.pending.splice(0)) {
      readBatch(this.db, workspace, from, limit).then(resolve, reject);
    }
  }

  /** Stops the worker. */
  close() {
    this.worker?.terminate();
    this.worker = null;
  }
}

// As a worker: one connection to the database, requests answered one after another, each
// batch's bytes transferred, not copied.
if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  let db = null;
  let queue = Promise.resolve();
  const answer = async ({ name, workspace, from, limit }) => {
    try {
      if (db === null) {
        db = await finished(indexedDB.open(name));
        db.onversionchange = () => {
          db.close();
          db = null;
        };
      }
      const batch = await readBatch(db, workspace, from, limit);
      self.postMessage({ batch }, batch.segments.map((s) => s.bytes.buffer));
    } catch (e) {
      self.postMessage({ error: { name: e?.name ?? "Error", message: String(e?.message ?? e) } });
    }
  };
  self.onmessage = ({ data }) => {
    queue = queue.then(() => answer(data));
  };
}
