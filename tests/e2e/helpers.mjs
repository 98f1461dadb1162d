// Shared set-up of the end-to-end tests: the built page served on 127.0.0.1, headless
// Chromium through playwright-core, and helpers that drive the page only through its
// data-testids and the keyboard, as a user (or a user's script) would.
import { mkdirSync, readFileSync } from "node:fs";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { serveDirectory } from "./serve.mjs";

export const shots = new URL("../../target/e2e/", import.meta.url).pathname;

/** Starts the server and the browser; returns them and a `close()`. */
export async function start() {
  mkdirSync(shots, { recursive: true });
  const server = await serveDirectory(process.env.DIST_DIR ?? "dist");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      // JS_FLAGS: V8 flags for an experiment (e.g. `--no-wasm-lazy-compilation`).
      ...(process.env.JS_FLAGS ? [`--js-flags=${process.env.JS_FLAGS}`] : []),
    ],
  });
  return {
    server,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Opens `path` in a fresh 1440×900 page, recording console errors and warnings and page errors. */
export async function open(env, path = "/", options = {}) {
  const context = options.context ?? (await env.browser.newContext({ viewport: { width: 1440, height: 900 } }));
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => ["error", "warning"].includes(m.type()) && errors.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(env.server.url + path);
  if (!options.noWait) await page.waitForSelector("[data-testid=domain-picker]", { timeout: 20000 });
  return { page, errors, context };
}

/** The commands of a bundled scenario file, in order. */
export function scenarioCommands(domain, file) {
  const url = new URL(`../scenarios/${domain}/${file}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).steps.map((s) => s.command);
}

/** Types `command` into the raw JSON editor as a script would, then submits it. */
export async function submit(page, command, { times } = {}) {
  await fillCommand(page, command);
  if (times) await page.getByTestId("repeat-count").fill(String(times));
  const button = page.getByTestId("command-submit");
  await assert.doesNotReject(button.click({ timeout: 15000 }), "the submit button is enabled");
}

/** Sets the raw JSON editor's value and dispatches `input`. */
export async function fillCommand(page, command) {
  const text = typeof command === "string" ? command : JSON.stringify(command, null, 2);
  await page.getByTestId("command-json").evaluate((el, value) => {
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
}

/** The number of facts the page says it has. */
export async function head(page) {
  return Number(await page.getByTestId("head").textContent());
}

/** Waits until the page reports `n` facts. */
export async function waitForHead(page, n, timeout = 15000) {
  await page.waitForFunction(
    (n) => Number(document.querySelector("[data-testid=head]")?.textContent) === n,
    n,
    { timeout },
  );
}

/** The attributes of every rendered log row. */
export async function logRows(page) {
  return page.$$eval("[data-testid=log-row]", (rows) =>
    rows.map((r) => ({
      position: Number(r.dataset.position),
      kind: r.dataset.kind,
      stream: r.dataset.stream,
      origin: r.dataset.origin,
      compensation: r.dataset.compensation === "true",
      injected: r.dataset.injected === "true",
      text: r.textContent,
    })),
  );
}

/** Chooses a value in a `<select>` by its test id. */
export async function choose(page, testid, value) {
  await page.getByTestId(testid).selectOption(value);
}

/** Clicks `testid` and returns the text of the file the page downloads. */
export async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testid).click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
}

/** The session's exact journal, through the page's own export. */
export async function exportedJournal(page) {
  return JSON.parse((await download(page, "export-journal")).text).journal;
}

/** Waits until IndexedDB holds every fact the page shows. */
export async function waitForSaved(page) {
  await page.waitForFunction(
    () => document.querySelector("[data-testid=saved]")?.textContent === document.querySelector("[data-testid=head]")?.textContent,
    null,
    { timeout: 15000 },
  );
}

/** A fresh browser context (its own IndexedDB) at 1440×900 that accepts downloads. */
export function freshContext(env) {
  return env.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
}

/** Scrolls the log 100 rows per frame for 240 frames, from the top; the frame times (ms). */
export function scrollFrames(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const log = document.querySelector("[data-testid=log]");
        log.scrollTop = 0;
        const times = [];
        let last = performance.now();
        let n = 0;
        const step = (now) => {
          times.push(now - last);
          last = now;
          log.scrollTop += 2400; // 100 rows of 24 px
          if (++n < 240) requestAnimationFrame(step);
          else resolve(times.slice(1));
        };
        requestAnimationFrame(step);
      }),
  );
}

/** The benchmarks' restaurant: "big", with room for any number of orders, opened. */
export async function openBigRestaurant(page) {
  await submit(page, {
    restaurant: { create_restaurant: { restaurant_id: "big", name: "Big", capacity: 4000000000, menu: [{ item_id: "pizza", name: "Pizza", price_cents: 900 }] } },
  });
  await submit(page, { restaurant: { open: { restaurant_id: "big" } } });
}

/** One order at the big restaurant, for a Repeat ×N (`${i}` makes each its own). */
export const bigOrder = { order: { place_order: { order_id: "o${i}", restaurant_id: "big", customer: "C${i}", items: ["pizza"] } } };

/** A restaurant session: the big restaurant, then a Repeat ×`orders` orders (about 5 facts
 * an order), all kept in IndexedDB; resolves with the number of facts. */
export async function restaurantSession(page, orders) {
  await openBigRestaurant(page);
  await submit(page, bigOrder, { times: orders });
  await page.waitForFunction(() => !document.querySelector(".composer-progress"), null, { timeout: 30 * 60 * 1000, polling: 500 });
  await page.waitForFunction(
    () => document.querySelector("[data-testid=saved]")?.textContent === document.querySelector("[data-testid=head]")?.textContent,
    null,
    { timeout: 30 * 60 * 1000, polling: 250 },
  );
  return head(page);
}

/** A counter session of `facts` facts, each in a stream of its own, all kept in IndexedDB
 * (the profiles' and the slider's workload). */
export async function counterSession(page, facts) {
  await choose(page, "domain-picker", "counter");
  await page.getByTestId("command-picker").locator("option", { hasText: "increment" }).first().waitFor({ state: "attached" });
  await submit(page, { increment: { counter_id: "c${i}", by: 1 } }, { times: facts });
  await waitForHead(page, facts, 15 * 60 * 1000);
  await page.waitForFunction(
    () => document.querySelector("[data-testid=saved]")?.textContent === document.querySelector("[data-testid=head]")?.textContent,
    null,
    { timeout: 15 * 60 * 1000, polling: 250 },
  );
}

/** Chrome's sampling profiler on `page` (every 500 µs), enabled, not yet started. */
export async function sampler(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
  return cdp;
}

/** Milliseconds of inclusive time per function name (`label` of a call frame) over the
 * samples `from..=to` of a CDP `profile`; a function counted once per sample however
 * often it is on the stack. */
export function inclusiveTimes(profile, label, from = 0, to = profile.samples.length - 1) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map();
  for (let i = from; i <= to; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const name = label(byId.get(id).callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
  }
  return inclusive;
}

/**
 * The visible text of the page whose contrast against what lies under it is below WCAG's
 * AA level (4.5:1, 3:1 for large text): a line per element, empty when all is readable.
 * Colours are blended through the element's and its ancestors' opacity and translucent
 * backgrounds; an SVG label is measured against its node's box. Disabled controls (the
 * locked composer) and hidden text are left out, as WCAG leaves out inactive controls;
 * so is text wholly transparent (a control shown only on hover or focus, such as a JSON
 * row's history button: shown, it is measured as any other).
 */
export function lowContrast(page) {
  return page.evaluate(() => {
    const rgba = (css) => {
      const m = css.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const over = (top, under) => {
      const mix = (k) => top[k] * top.a + under[k] * (1 - top.a);
      return { r: mix("r"), g: mix("g"), b: mix("b"), a: 1 };
    };
    const luminance = ({ r, g, b }) => {
      const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const backdrop = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const box = e.matches("g.trace-node") && e.querySelector(":scope > .trace-box");
        const c = rgba(box ? getComputedStyle(box).fill : getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) layers.push(c);
        if (c?.a === 1) break;
      }
      return layers.reverse().reduce((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 });
    };
    const low = [];
    for (const el of document.querySelectorAll("body *")) {
      if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (!rect.width || !rect.height || style.visibility === "hidden") continue;
      if (el.closest("[disabled], .visually-hidden, [aria-hidden=true], title")) continue;
      let opacity = 1;
      for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      if (opacity === 0) continue;
      const fg = rgba(el instanceof SVGElement ? style.fill : style.color);
      const bg = backdrop(el);
      const [hi, lo] = [luminance(over({ ...fg, a: fg.a * opacity }, bg)), luminance(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) {
        low.push(`${ratio.toFixed(2)}:1 ${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${el.textContent.trim().slice(0, 30)}"`);
      }
    }
    return [...new Set(low)];
  });
}
