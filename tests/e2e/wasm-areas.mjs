// Developer helper: `node tests/e2e/wasm-areas.mjs <names.wasm> [pattern]` estimates what
// each area of the playground costs in the gzipped release wasm (and, with a pattern, the
// functions whose names match that regular expression). `names.wasm` is a names build (see
// `wasm-sizes.mjs`); it is optimized as `trunk build --release` does, keeping its names
// (`wasm-opt -Oz --low-memory-unused -g`), then for each area the bodies of its functions
// are replaced by `unreachable` and the file, without its custom sections, gzipped again.
// An area's figure is how much smaller that makes the wasm: its own code, not the strings
// and tables of the data section (they stay), nor the code it alone calls (left in place:
// the areas are layers, and the code only a layer calls is often the next layer). The
// areas compress against each other, so their figures add up only roughly to the total.
// Names do not say which domain a generic function was compiled for: a domain's copies of
// the engine, the boundary and serde count in those areas (measure a domain by a build
// without it). The area of a name is the first crate of `owners` it mentions.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { leb, name, owners } from "./wasm-module.mjs";

const [input, pattern] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "wasm-areas-"));
const features = [
  "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
];
const optimized = join(dir, "named.wasm");
execFileSync("wasm-opt", ["-Oz", "--low-memory-unused", "-g", ...features, input, "-o", optimized]);

/** `value` as an unsigned LEB128. */
function encode(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

/** The module's sections, its function names and its number of imported functions. */
function parse(bytes) {
  const sections = [];
  const names = new Map();
  let imported = 0;
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    const end = start + size;
    sections.push({ id, start, end, whole: bytes.subarray(at, end) });
    if (id === 2) {
      let [count, p] = leb(bytes, start);
      for (let i = 0; i < count; i++) {
        [, p] = name(bytes, p);
        [, p] = name(bytes, p);
        const kind = bytes[p++];
        if (kind === 0) {
          [, p] = leb(bytes, p);
          imported++;
        } else if (kind === 1) {
          p++;
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 2) {
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 3) {
          p += 2;
        }
      }
    } else if (id === 0) {
      const [custom, p] = name(bytes, start);
      if (custom === "name") {
        for (let q = p; q < end; ) {
          const sub = bytes[q];
          const [length, s] = leb(bytes, q + 1);
          if (sub === 1) {
            let [count, r] = leb(bytes, s);
            for (let i = 0; i < count; i++) {
              let index;
              let text;
              [index, r] = leb(bytes, r);
              [text, r] = name(bytes, r);
              names.set(index, text);
            }
          }
          q = s + length;
        }
      }
    }
    at = end;
  }
  return { sections, names, imported };
}

// A serde function of core or of the page counts as the boundary's.
const serde = /serde_core::de|serde_core::ser|Deserializ|Serializ|Visitor|MapAccess|SeqAccess|EnumAccess/;

/** The area a function belongs to, by its name. */
function area(fn) {
  const owner = owners.find((c) => fn.includes(c)) ?? "other";
  if (owner === "decider_domains") return "domains' own code (deciders, sagas, their serde)";
  if (/^(serde_json|serde_wasm_bindgen|serde_core|bincode)$/.test(owner)) return "boundary and serde";
  if (owner === "decider_core" || owner === "decider_web") {
    if (serde.test(fn) || (owner === "decider_core" && /decider_core::(boundary|scenario)/.test(fn))) {
      return "boundary and serde";
    }
    return owner === "decider_core" ? "engine (core without boundary, scenario, serde)" : "page UI (decider_web)";
  }
  if (owner === "yew") return "Yew";
  if (/^(wasm_bindgen|web_sys|js_sys|gloo)$/.test(owner)) return "browser bindings (wasm-bindgen, web-sys, js-sys, gloo)";
  if (/^(imbl|archery|hashbrown)$/.test(owner)) return "collections (imbl, hashbrown)";
  return "std, alloc, core, dlmalloc, other";
}

const bytes = readFileSync(optimized);
rmSync(dir, { recursive: true });
const { sections, names, imported } = parse(bytes);
const code = sections.find((s) => s.id === 10);
const bodies = [];
{
  let [count, p] = leb(bytes, code.start);
  for (let i = 0; i < count; i++) {
    const [length, body] = leb(bytes, p);
    bodies.push(bytes.subarray(p, body + length));
    p = body + length;
  }
}
const areaOf = bodies.map((_, i) => area(names.get(i + imported) ?? ""));

/** The module without custom sections, with the bodies of the functions `zero` picks replaced. */
function build(zero) {
  const stub = Buffer.from([3, 0, 0x00, 0x0b]); // size 3: no locals, unreachable, end
  const newBodies = bodies.map((b, i) => (zero(i) ? stub : b));
  const payload = Buffer.concat([encode(newBodies.length), ...newBodies]);
  const parts = [bytes.subarray(0, 8)];
  for (const s of sections) {
    if (s.id === 0) continue;
    parts.push(s.id === 10 ? Buffer.concat([Buffer.from([10]), encode(payload.length), payload]) : s.whole);
  }
  return Buffer.concat(parts);
}

/** The gzipped size of `module`. */
const gzipped = (module) => gzipSync(module, { level: 9 }).length;

const whole = gzipped(build(() => false));
console.log(`${input} optimized as trunk does, names and custom sections dropped: ${whole} bytes gzipped`);
console.log("functions, their body bytes, gzipped bytes less with their bodies zeroed: area");
for (const a of [...new Set(areaOf)].sort()) {
  const size = bodies.reduce((sum, b, i) => sum + (areaOf[i] === a ? b.length : 0), 0);
  const count = areaOf.filter((x) => x === a).length;
  const less = whole - gzipped(build((i) => areaOf[i] === a));
  console.log(`${String(count).padStart(6)} ${String(size).padStart(9)} ${String(less).padStart(8)}  ${a}`);
}
if (pattern) {
  const re = new RegExp(pattern);
  const picked = bodies.map((_, i) => re.test(names.get(i + imported) ?? ""));
  const size = bodies.reduce((sum, b, i) => sum + (picked[i] ? b.length : 0), 0);
  const less = whole - gzipped(build((i) => picked[i]));
  console.log(`${String(picked.filter(Boolean).length).padStart(6)} ${String(size).padStart(9)} ${String(less).padStart(8)}  /${pattern}/`);
}
const left = gzipped(build(() => true));
console.log(`every function zeroed: ${whole - left} less; left ${left} (data, imports, exports, tables)`);
