// Deflate for share links (`share.rs`), by the browser's own compression streams: raw
// deflate ("deflate-raw"), the format every share link has held since the first one, so
// links made before open the same. Both functions reject with the reason as text.

/** The bytes `stream` comes to, as a Uint8Array; reading stops past `limit` bytes. */
async function read(stream, limit) {
  const reader = stream.getReader();
  const chunks = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > limit) {
        reader.cancel();
        throw new Error(`more than ${limit} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    throw e instanceof Error ? e.message : String(e);
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/**
 * `bytes` (a view into the wasm's memory: the Blob copies it at once) through the
 * compression stream made by `make` ("deflate-raw"), read up to `limit` bytes.
 */
function through(bytes, make, limit) {
  try {
    return read(new Blob([bytes]).stream().pipeThrough(make("deflate-raw")), limit);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e.message : String(e));
  }
}

/** A promise of `bytes` raw-deflated (no header), as a Uint8Array. */
export function deflate(bytes) {
  return through(bytes, (format) => new CompressionStream(format), Infinity);
}

/**
 * A promise of what raw-deflated `bytes` inflate to, as a Uint8Array; rejected when they
 * are not raw deflate, are cut short, or inflate past `limit` bytes (a guard against
 * deflate bombs: reading stops there).
 */
export function inflate(bytes, limit) {
  return through(bytes, (format) => new DecompressionStream(format), limit);
}
