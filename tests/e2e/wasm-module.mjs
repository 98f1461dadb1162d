// What the wasm size helpers (`wasm-sizes.mjs`, `wasm-areas.mjs`) share: reading a wasm
// module's encoding, and which crate owns a function's name.

/** An unsigned LEB128 of `bytes` at `at`: [value, next offset]. */
export function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

/** A name (length-prefixed UTF-8) of `bytes` at `at`: [text, next offset]. */
export function name(bytes, at) {
  const [length, start] = leb(bytes, at);
  return [bytes.subarray(start, start + length).toString("utf8"), start + length];
}

/** The owner of a function's name: the first of these crates it mentions, most specific first. */
export const owners = [
  "decider_domains", "decider_web", "decider_core", "yew", "imbl", "serde_json", "serde_wasm_bindgen",
  "serde_core", "bincode", "miniz_oxide", "base64", "hashbrown", "archery", "wasm_bindgen", "web_sys",
  "js_sys", "gloo", "dlmalloc", "alloc", "core", "std",
];
