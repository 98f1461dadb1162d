// Developer helper: `node tests/e2e/split-drag.mjs` drags a panel splitter (SPLIT: composer,
// side or trace; composer by default) with the pointer in MOVES moves (20), PAUSE ms apart
// (50), under Chrome's trace, and prints per move and in total the forced layouts and style
// recalcs: a `Layout` or `UpdateLayoutTree` run inside script (an event handler, a
// microtask, a timer), not by the frame. A drag move should force none: the frame lays the
// grid out once. DIST_DIR: the build to serve.
import { start, open } from "./helpers.mjs";

const env = await start();
const { page } = await open(env);
const split = process.env.SPLIT ?? "composer";
const moves = Number(process.env.MOVES ?? 20);
const pause = Number(process.env.PAUSE ?? 50);
const handle = page.locator(`[data-testid=splitter][data-split=${split}]`);
const box = await handle.boundingBox();
const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
const vertical = split !== "trace";
const cdp = await page.context().newCDPSession(page);
const events = [];
cdp.on("Tracing.dataCollected", ({ value }) => events.push(...value));
await page.mouse.move(x, y);
await page.mouse.down();
await cdp.send("Tracing.start", {
  categories: "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute",
  transferMode: "ReportEvents",
});
for (let i = 1; i <= moves; i++) {
  const d = (i % 2 ? 1 : -1) * (10 + 3 * i);
  await page.mouse.move(vertical ? x + d : x, vertical ? y : y + d);
  await page.waitForTimeout(pause);
}
const done = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
await cdp.send("Tracing.end");
await done;
await page.mouse.up();
const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
const mine = events.filter((e) => e.ph === "X" && e.tid === main.tid && e.pid === main.pid).sort((a, b) => a.ts - b.ts);
// Script: what a forced layout runs inside of.
const script = new Set(["EventDispatch", "FunctionCall", "RunMicrotasks", "TimerFire", "FireAnimationFrame", "v8.callFunction"]);
const scripts = mine.filter((e) => script.has(e.name));
const inside = (e) => scripts.some((s) => s.ts <= e.ts && e.ts + e.dur <= s.ts + s.dur);
const moveEvents = mine.filter((e) => e.name === "EventDispatch" && e.args?.data?.type === "pointermove");
const count = (name) => {
  const all = mine.filter((e) => e.name === name);
  return { all: all.length, forced: all.filter(inside).length };
};
const layout = count("Layout");
const style = count("UpdateLayoutTree");
const ms = (name) => mine.filter((e) => e.name === name).reduce((a, e) => a + (e.tdur ?? e.dur) / 1000, 0);
console.log(JSON.stringify({
  split, moves, pointermoves: moveEvents.length,
  layouts: layout.all, forcedLayouts: layout.forced,
  styleRecalcs: style.all, forcedStyleRecalcs: style.forced,
  forcedLayoutsPerMove: +(layout.forced / Math.max(1, moveEvents.length)).toFixed(2),
  forcedStylePerMove: +(style.forced / Math.max(1, moveEvents.length)).toFixed(2),
  layoutMs: +ms("Layout").toFixed(1), styleMs: +ms("UpdateLayoutTree").toFixed(1),
  share: await handle.getAttribute("aria-valuenow"),
}));
await env.close();
