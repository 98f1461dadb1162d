// Developer helper: `node tests/e2e/wasm-sizes.mjs <file.wasm> [top]` ranks what a wasm
// is made of, from its name section (a build that keeps names: a copy of index.html whose
// rust link has `data-keep-debug="true" data-wasm-opt="0"`, built with
// `trunk build --release --dist <dir> <copy>`). Prints the size of each section (raw and
// deflated), the `top` largest functions, the functions grouped by name without their
// hash (how many copies monomorphisation made, and their total), and the code per crate
// (the crate that owns the most specific part of each name: a domain's type before core's
// generic code, core's before serde's), split into serde deserializers, serializers and
// the rest. Sizes are body bytes before wasm-opt; they rank, they do not add up to the
// release wasm.
import { readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { leb as lebOf, name as nameOf, owners } from "./wasm-module.mjs";

const [file, topArg = "40"] = process.argv.slice(2);
const bytes = readFileSync(file);
const top = Number(topArg);

/** An unsigned LEB128 at `at`: [value, next offset]. */
const leb = (at) => lebOf(bytes, at);

/** A name (length-prefixed UTF-8) at `at`: [text, next offset]. */
const name = (at) => nameOf(bytes, at);

let imported = 0;
const bodies = [];
const names = new Map();
const sections = [];
for (let at = 8; at < bytes.length; ) {
  const id = bytes[at];
  const [size, start] = leb(at + 1);
  const end = start + size;
  let label = `section ${id}`;
  if (id === 2) {
    // Imports: only functions take a function index.
    let [count, p] = leb(start);
    for (let i = 0; i < count; i++) {
      [, p] = name(p);
      [, p] = name(p);
      const kind = bytes[p++];
      if (kind === 0) {
        [, p] = leb(p);
        imported++;
      } else if (kind === 1) {
        p++;
        const flags = bytes[p++];
        [, p] = leb(p);
        if (flags & 1) [, p] = leb(p);
      } else if (kind === 2) {
        const flags = bytes[p++];
        [, p] = leb(p);
        if (flags & 1) [, p] = leb(p);
      } else if (kind === 3) {
        p += 2;
      }
    }
  } else if (id === 10) {
    label = "code";
    let [count, p] = leb(start);
    for (let i = 0; i < count; i++) {
      const [length, body] = leb(p);
      bodies.push(body - p + length);
      p = body + length;
    }
  } else if (id === 11) {
    label = "data";
  } else if (id === 0) {
    const [custom, p] = name(start);
    label = `custom ${custom}`;
    if (custom === "name") {
      for (let q = p; q < end; ) {
        const sub = bytes[q];
        const [length, s] = leb(q + 1);
        if (sub === 1) {
          let [count, r] = leb(s);
          for (let i = 0; i < count; i++) {
            let index;
            let text;
            [index, r] = leb(r);
            [text, r] = name(r);
            names.set(index, text);
          }
        }
        q = s + length;
      }
    }
  }
  sections.push([label, size, deflateRawSync(bytes.subarray(start, end), { level: 9 }).length]);
  at = end;
}

console.log("sections: raw bytes, deflated");
for (const [label, raw, deflated] of sections) console.log(`${String(raw).padStart(10)} ${String(deflated).padStart(9)}  ${label}`);

const functions = bodies.map((size, i) => [size, names.get(i + imported) ?? `function ${i + imported}`]);
functions.sort((a, b) => b[0] - a[0]);
console.log(`\n${functions.length} functions, ${bodies.reduce((a, b) => a + b, 0)} bytes; the largest:`);
for (const [size, fn] of functions.slice(0, top)) console.log(`${String(size).padStart(8)}  ${fn.slice(0, 180)}`);

const grouped = new Map();
for (const [size, fn] of functions) {
  const key = fn.replace(/::h[0-9a-f]{16}$/, "");
  const [total, copies] = grouped.get(key) ?? [0, 0];
  grouped.set(key, [total + size, copies + 1]);
}
console.log("\nby name without its hash: bytes, copies");
for (const [key, [size, copies]] of [...grouped].sort((a, b) => b[1][0] - a[1][0]).slice(0, top)) {
  console.log(`${String(size).padStart(8)} ${String(copies).padStart(4)}  ${key.slice(0, 170)}`);
}

const crates = new Map();
for (const [size, fn] of functions) {
  const owner = owners.find((c) => fn.includes(c)) ?? "other";
  const role = /serde_core::de|Deserializ|Visitor|MapAccess|SeqAccess|EnumAccess/.test(fn)
    ? "de"
    : /serde_core::ser|Serializ/.test(fn)
      ? "ser"
      : "";
  const key = role ? `${owner} (serde ${role})` : owner;
  crates.set(key, (crates.get(key) ?? 0) + size);
}
console.log("\nby crate: bytes");
for (const [key, size] of [...crates].sort((a, b) => b[1] - a[1])) console.log(`${String(size).padStart(8)}  ${key}`);
