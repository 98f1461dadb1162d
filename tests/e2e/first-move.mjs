// Developer helper: `node tests/e2e/first-move.mjs` serves dist/ (DIST_DIR), fills a counter
// session with FACTS facts (1,000,000, as the slider bench), then ROUNDS times (3) makes
// the bench's moves under Chrome's trace: the four set by a script (the first from live
// into the past), back to live by the banner's button, the four dragged with the pointer
// (the first again from live), back to live. For each move it splits the main thread's
// CPU time, from the start of the task its input runs in to the end of the frame that
// commits after it, by what the time was spent on: input (the input's script: its handler,
// then in microtasks the restore, the components' renders and Yew's diffs), frame jobs
// (the page's animation-frame callbacks), style, layout, hit tests, pre-paint, paint,
// layerize and commit, the rest; what of it came before the frame's first callback (the
// part the bench's script figure sees); the counts that do not move with the load
// (elements restyled, layout objects laid out, layers painted) and the raster workers'
// time for that frame. Then, per kind of move, the first move of round 1 (the page's
// first into the past ever), the first of the later rounds, each with its excess over the
// mean of the moves within the past. OUT=<file> also writes the raw trace; IN=<file>
// analyses a trace written so (no browser). CATEGORIES: trace categories to add.
// EXTRA_CSS: rules added to the page first. PAGES=2: then the page is reloaded (the same
// workspace, from IndexedDB, in the same browser) and the rounds made again, so that the
// second page's first move tells what a page pays once from what the browser pays once.
// ORDERS=<n>: a restaurant session instead (the big restaurant, then a Repeat ×n orders:
// about 5 facts an order), whose inspector has a view, process managers and a queue.
import { readFileSync, writeFileSync } from "node:fs";
import { start, open, counterSession, restaurantSession, waitForHead } from "./helpers.mjs";

let facts = Number(process.env.FACTS ?? 1_000_000);
const orders = Number(process.env.ORDERS ?? 0);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PAGES = Number(process.env.PAGES ?? 1);
/** The bench's positions, as fractions of the head (`tests/e2e/bench.mjs`). */
const fractions = [0.123457, 0.500001, 0.999001, 0.000042];

/** Leaves the page alone as a person reading it would: 1.5 s, then until the browser has
 * given the page ten idle periods (so that work a page does while idle is done first). */
async function settle(page) {
  await page.waitForTimeout(1500);
  await page.evaluate(async () => {
    for (let i = 0; i < 10; i++) await new Promise((idle) => requestIdleCallback(idle));
  });
}

/** Records the bench's moves, ROUNDS times, under Chrome's trace; the trace's events and
 * the kind of each move in order (`script` or `drag`). */
async function record() {
  const env = await start();
  const { page } = await open(env);
  if (orders) facts = await restaurantSession(page, orders);
  else await counterSession(page, facts);
  if (process.env.EXTRA_CSS) await page.addStyleTag({ content: process.env.EXTRA_CSS });
  if (process.env.WARM) await page.evaluate(readFileSync(process.env.WARM, "utf8"));
  await settle(page);
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on("Tracing.dataCollected", ({ value }) => events.push(...value));
  await cdp.send("Tracing.start", {
    // CATEGORIES: more of them, e.g. `disabled-by-default-devtools.timeline.invalidationTracking`
    // (which elements were restyled and laid out again, and why).
    categories: ["devtools.timeline,disabled-by-default-devtools.timeline,blink,cc", process.env.CATEGORIES].filter(Boolean).join(","),
    transferMode: "ReportEvents",
  });
  const kinds = [];
  const slider = page.getByTestId("timeline");
  const box = await slider.boundingBox();
  const y = box.y + box.height / 2;
  // The thumb's centre runs from half a thumb in from either end (Chromium's 16 px thumb).
  const at = (fraction) => box.x + 8 + fraction * (box.width - 16);
  // The inspector's position label (`state after #n`: the last fact folded).
  const inspectorShows = (position) =>
    page.waitForFunction((p) => document.querySelector(".inspector-at")?.textContent === `state after #${p - 1}`, Number(position));
  const backToLive = async () => {
    await page.getByTestId("live-button").click();
    await page.getByTestId("past-banner").waitFor({ state: "detached" });
  };
  for (let pass = 0; pass < PAGES * ROUNDS; pass++) {
    if (pass > 0 && pass % ROUNDS === 0) {
      // A second page: the same workspace reloaded, as a person reopening it would.
      await page.reload();
      await waitForHead(page, facts, 5 * 60 * 1000);
      await settle(page);
    }
    // As the bench: the focus on the slider, the pointer on Submit.
    await page.getByTestId("command-submit").hover();
    await slider.focus();
    for (const fraction of fractions) {
      const position = Math.max(1, Math.round(fraction * facts));
      await page.waitForTimeout(300);
      await slider.evaluate((s, position) => {
        s.value = String(position);
        s.dispatchEvent(new Event("input", { bubbles: true }));
      }, position);
      await inspectorShows(position);
      kinds.push("script");
    }
    await page.waitForTimeout(300);
    await backToLive();
    await page.mouse.move(at(1), y);
    await page.mouse.down();
    for (const fraction of fractions) {
      await page.waitForTimeout(300);
      const before = await slider.inputValue();
      await page.mouse.move(at(fraction), y);
      await page.waitForFunction((v) => document.querySelector("[data-testid=timeline]").value !== v, before);
      await inspectorShows(await slider.inputValue());
      kinds.push("drag");
    }
    await page.mouse.up();
    await page.waitForTimeout(300);
    await backToLive();
  }
  await page.waitForTimeout(300);
  const done = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.end");
  await done;
  await env.close();
  return { events, kinds };
}

/** What each trace event's own time is counted as: the nearest of it and its enclosing
 * events that names a part of the work; the task's own time is `other`. */
const PARTS = {
  // Script: the input's (its handler, then in microtasks the restore, the components'
  // renders and Yew's diffs), or the frame's animation-frame jobs (`frame jobs`).
  FunctionCall: "script",
  EventDispatch: "script",
  FireAnimationFrame: "script",
  TimerFire: "script",
  RunMicrotasks: "script",
  "v8.callFunction": "script",
  UpdateLayoutTree: "style",
  Layout: "layout",
  HitTest: "hit test",
  PrePaint: "pre-paint",
  "LocalFrameView::RunPrePaintLifecyclePhase": "pre-paint",
  "LocalFrameView::RunCompositingInputsLifecyclePhase": "pre-paint",
  Paint: "paint",
  "LocalFrameView::RunPaintLifecyclePhase": "paint",
  Layerize: "layerize + commit",
  "LocalFrameView::pushPaintArtifactToCompositor": "layerize + commit",
  Commit: "layerize + commit",
  "LocalFrameView::RunAccessibilitySteps": "other",
};
const COLUMNS = ["input", "frame jobs", "style", "layout", "hit test", "pre-paint", "paint", "layerize + commit", "other"];

/** Per move: its window's CPU ms by part (and what of it came before the frame's first
 * animation-frame callback: the script figure's part), the counts, the wall ms from the
 * start of the input's task to the end of the frame, and the raster ms. */
function analyse(events, kinds) {
  // Every renderer's main thread: a reloaded page (PAGES=2) may run in another process.
  const names = events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const isMain = (e) => names.some((n) => e.pid === n.pid && e.tid === n.tid);
  const main = events.filter((e) => e.ph === "X" && isMain(e)).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const raster = events.filter((e) => e.ph === "X" && names.some((n) => e.pid === n.pid) && e.name === "RasterTask");
  const tasks = main.filter((e) => e.name === "RunTask");
  const inside = (outer, e) => e.ts >= outer.ts && e.ts + e.dur <= outer.ts + outer.dur;
  const cpu = (e) => (e.tdur ?? e.dur) / 1000;
  const inputs = main.filter((e) => e.name === "EventDispatch" && e.args?.data?.type === "input");
  return inputs.map((input, i) => {
    const task = tasks.find((t) => inside(t, input));
    // The frame that shows it: the first task from the input's on that commits (a dragged
    // move's input runs in its frame's task, before the frame's callbacks).
    const frame = tasks.find((t) => t.ts >= task.ts && main.some((e) => e.name === "Commit" && inside(t, e)));
    const check = main.find((e) => e.name === "FireAnimationFrame" && inside(frame, e) && e.ts > input.ts) ?? { ts: frame.ts + frame.dur };
    const window = tasks.filter((t) => t.ts >= task.ts && t.ts <= frame.ts);
    const parts = Object.fromEntries(COLUMNS.map((c) => [c, 0]));
    const counts = { restyled: 0, laidOut: 0, painted: 0, compiled: 0 };
    let beforeCheck = 0;
    for (const t of window) {
      // Each event's own time: its CPU time less its children's, walked with a stack.
      const within = main.filter((e) => inside(t, e));
      const stack = [];
      const entries = [];
      for (const e of within) {
        while (stack.length && !inside(stack.at(-1).e, e)) stack.pop();
        const parent = stack.at(-1);
        let part = PARTS[e.name] ?? parent?.part ?? "other";
        if (part === "script") part = e.name === "FireAnimationFrame" || parent?.part === "frame jobs" ? "frame jobs" : "input";
        if (parent) parent.own -= cpu(e);
        const entry = { e, part, own: cpu(e) };
        stack.push(entry);
        entries.push(entry);
        if (e.name === "UpdateLayoutTree") counts.restyled += e.args?.elementCount ?? 0;
        if (e.name === "Layout") counts.laidOut += e.args?.beginData?.dirtyObjects ?? 0;
        if (e.name === "Paint") counts.painted++;
        // With CATEGORIES=disabled-by-default-v8.wasm.detailed: wasm functions compiled on their first call.
        if (e.name === "wasm.CompileLazy") counts.compiled++;
      }
      for (const { e, part, own } of entries) {
        parts[part] += Math.max(0, own);
        if (e.ts < check.ts) beforeCheck += Math.max(0, own);
      }
    }
    const end = frame.ts + frame.dur;
    const rasterMs = raster.filter((e) => e.ts >= frame.ts && e.ts < end + 50_000).reduce((a, e) => a + e.dur / 1000, 0);
    return { kind: kinds[i], parts, beforeCheck, counts, wallMs: (end - task.ts) / 1000, rasterMs };
  });
}

const { events, kinds } = process.env.IN ? JSON.parse(readFileSync(process.env.IN, "utf8")) : await record();
if (process.env.OUT) writeFileSync(process.env.OUT, JSON.stringify({ events, kinds }));
const rounds = kinds.length / 8 / PAGES;
const moves = analyse(events, kinds);
const cpuMs = (m) => Object.values(m.parts).reduce((a, b) => a + b, 0);
const row = (label, m) =>
  `| ${label} | ${COLUMNS.map((c) => m.parts[c].toFixed(2)).join(" | ")} | **${cpuMs(m).toFixed(2)}** | ${m.beforeCheck.toFixed(2)} | ${m.rasterMs.toFixed(2)} | ${m.counts.restyled} | ${m.counts.laidOut} | ${m.counts.painted} | ${m.counts.compiled} |`;
const mean = (ms) => ({
  parts: Object.fromEntries(COLUMNS.map((c) => [c, ms.reduce((a, m) => a + m.parts[c], 0) / ms.length])),
  counts: Object.fromEntries(Object.keys(ms[0].counts).map((k) => [k, +(ms.reduce((a, m) => a + m.counts[k], 0) / ms.length).toFixed(1)])),
  beforeCheck: ms.reduce((a, m) => a + m.beforeCheck, 0) / ms.length,
  rasterMs: ms.reduce((a, m) => a + m.rasterMs, 0) / ms.length,
});
console.log(`${process.env.IN ? "" : `${facts} facts, `}${rounds} rounds; main thread CPU ms of each move, from its input's task to the end of its frame`);
console.log(`| move | ${COLUMNS.join(" | ")} | all | before the check | raster | restyled | laid out | layers painted | wasm compiled |`);
console.log(`| --- |${" ---: |".repeat(COLUMNS.length + 7)}`);
for (const [i, m] of moves.entries()) console.log(row(`${m.kind} ${(i % 4) + 1}`, m) + ` wall ${m.wallMs.toFixed(1)}`);
// The first move of the first round is the page's first move into the past ever: it also
// pays what is done once (wasm functions compiled on their first call, texts shaped and
// glyphs' fonts looked up for the first time), so it is told apart from the later rounds'.
for (const kind of ["script", "drag"]) {
  const mine = moves.filter((m) => m.kind === kind);
  const firsts = mine.filter((_, i) => i % 4 === 0);
  const within = mean(mine.filter((_, i) => i % 4 !== 0));
  const rows = [];
  for (let p = 0; p < PAGES; p++) {
    const page = PAGES > 1 ? `page ${p + 1}, ` : "";
    const own = firsts.slice(p * rounds, (p + 1) * rounds);
    rows.push([`${kind}: ${page}the first of round 1`, mean(own.slice(0, 1))]);
    if (own.length > 1) rows.push([`${kind}: ${page}the first of rounds 2–${rounds}`, mean(own.slice(1))]);
  }
  for (const [label, first] of rows) {
    console.log(row(`${label} (mean)`, first));
    console.log(
      row(`${label}: its excess`, {
        parts: Object.fromEntries(COLUMNS.map((c) => [c, first.parts[c] - within.parts[c]])),
        counts: Object.fromEntries(Object.keys(first.counts).map((k) => [k, +(first.counts[k] - within.counts[k]).toFixed(1)])),
        beforeCheck: first.beforeCheck - within.beforeCheck,
        rasterMs: first.rasterMs - within.rasterMs,
      }),
    );
  }
  console.log(row(`${kind}: within the past (mean)`, within));
}
