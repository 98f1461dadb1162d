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
