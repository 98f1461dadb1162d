// Developer helper: `node tests/e2e/drag.mjs` drags the timeline's thumb with the pointer,
// as a person does, over a counter session of FACTS facts (100,000), and prints, for
// each move, the main thread's work around its `input` event from Chrome's trace: each
// task, event, animation-frame callback, style, layout (with its dirty and total
// objects), paint and commit over 0.3 ms, in ms from the input, then the move's counts
// (layouts, dirty layout objects, style recalcs, elements restyled) and their mean. PROFILE=1: instead, a
// sampled JS profile of MOVES moves (20), inclusive (the TOP functions: 50) and self time by function (a build
// that keeps names: see wasm-sizes.mjs). EXTRA_CSS: rules added to the page first.
// FROM_PAST=1: before the drag, the slider set into the past by a script and the page
// taken back to live by the banner's button, as the bench does before its drag.
// ORDERS=<n>: a restaurant session of the big restaurant and a Repeat ×n orders instead.
import { start, open, counterSession, restaurantSession } from "./helpers.mjs";

const env = await start();
const { page } = await open(env);
if (process.env.ORDERS) await restaurantSession(page, Number(process.env.ORDERS));
else await counterSession(page, Number(process.env.FACTS ?? 100_000));
if (process.env.EXTRA_CSS) await page.addStyleTag({ content: process.env.EXTRA_CSS });
if (process.env.FROM_PAST) {
  await page.getByTestId("timeline").evaluate((s) => {
    s.value = String(Math.round(Number(s.max) / 8));
    s.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.getByTestId("live-button").click();
  await page.getByTestId("past-banner").waitFor({ state: "detached" });
}
const cdp = await page.context().newCDPSession(page);
const box = await page.getByTestId("timeline").boundingBox();
const y = box.y + box.height / 2;
// The thumb's centre runs from half a thumb in from either end (Chromium's 16 px thumb).
const at = (fraction) => box.x + 8 + fraction * (box.width - 16);
// PAUSE: the ms between moves (200), shorter than the log's rest before it renders its
// overscan again (500 ms, web/src/widgets/virtual_list.rs): a drag that keeps moving; a
// longer one (700) is a drag that rests between its moves.
const pause = Number(process.env.PAUSE ?? 200);
const moves = Number(process.env.MOVES ?? (process.env.PROFILE ? 20 : 4));
const drag = async () => {
  for (let i = 0; i < moves; i++) {
    await page.mouse.move(at(0.05 + ((i * 0.37) % 0.9)), y);
    await page.waitForTimeout(pause);
  }
};
await page.mouse.move(at(1), y);
await page.mouse.down();

if (process.env.PROFILE) {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
  await cdp.send("Profiler.start");
  await drag();
  const { profile } = await cdp.send("Profiler.stop");
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => (n.callFrame.functionName || "(anonymous)").replace(/::h[0-9a-f]{16}/, "").slice(0, 140);
  const inclusive = new Map();
  const self = new Map();
  const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    add(self, name(byId.get(id)), ms);
    const names = new Set();
    for (let node = id; node !== undefined; node = parent.get(node)) names.add(name(byId.get(node)));
    for (const n of names) add(inclusive, n, ms);
  });
  const top = (map, k) => [...map].sort((a, b) => b[1] - a[1]).slice(0, k)
    .map(([n, ms]) => `${ms.toFixed(1).padStart(8)}  ${n}`).join("\n");
  console.log(`inclusive ms over ${moves} moves\n${top(inclusive, Number(process.env.TOP ?? 50))}\nself ms\n${top(self, 25)}`);
} else {
  const events = [];
  cdp.on("Tracing.dataCollected", ({ value }) => events.push(...value));
  await cdp.send("Tracing.start", {
    categories: "devtools.timeline,disabled-by-default-devtools.timeline",
    transferMode: "ReportEvents",
  });
  await drag();
  const done = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.end");
  await done;
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const mine = events.filter((e) => e.ph === "X" && e.tid === main.tid && e.pid === main.pid)
    .sort((a, b) => a.ts - b.ts);
  const inputs = mine.filter((e) => e.name === "EventDispatch" && e.args?.data?.type === "input");
  const totals = [];
  const parts = ["task", "style", "layout", "prePaint", "paint", "layerize"];
  const times = (move) => parts.map((p) => `${p} ${move[`${p}Ms`].toFixed(1)}`).join(", ");
  for (const [i, input] of inputs.entries()) {
    console.log(`--- input`);
    // Counts that do not move with the load, over the move's work (its input and its
    // frame: from the start of the task its input runs in, which holds the frame's
    // animations before it, over the 100 ms from its input, not what the page does once
    // the moves rest): layouts, the objects they lay out, style recalcs and the elements
    // restyled.
    const end = Math.min(inputs[i + 1]?.ts ?? Infinity, input.ts + 100_000);
    const task = mine.find((e) => e.name === "RunTask" && e.ts <= input.ts && e.ts + e.dur >= input.ts + input.dur);
    const from = Math.min(task?.ts ?? input.ts, input.ts - 1000);
    const work = mine.filter((e) => e.ts >= from && e.ts < end);
    const layouts = work.filter((e) => e.name === "Layout");
    const styles = work.filter((e) => e.name === "UpdateLayoutTree");
    const ms = (name) => work.filter((e) => e.name === name).reduce((a, e) => a + (e.tdur ?? e.dur) / 1000, 0);
    const move = {
      layouts: layouts.length,
      dirty: layouts.reduce((a, e) => a + (e.args.beginData?.dirtyObjects ?? 0), 0),
      styles: styles.length,
      restyled: styles.reduce((a, e) => a + (e.args?.elementCount ?? 0), 0),
      // Paint events: one for each layer painted again.
      paints: work.filter((e) => e.name === "Paint").length,
      styleMs: ms("UpdateLayoutTree"),
      layoutMs: ms("Layout"),
      prePaintMs: ms("PrePaint"),
      paintMs: ms("Paint"),
      layerizeMs: ms("Layerize"),
      // The main thread's CPU time of the move's tasks (its input's, its frame's).
      taskMs: ms("RunTask"),
    };
    totals.push(move);
    console.log(`counts: ${move.layouts} layouts of ${layouts.map((e) => e.args.beginData?.dirtyObjects).join(" + ")} dirty objects, ${move.styles} style recalcs of ${styles.map((e) => e.args?.elementCount ?? 0).join(" + ")} elements; CPU ms: ${times(move)}`);
    for (const e of mine.filter((e) => e.ts >= input.ts - 1000 && e.ts < input.ts + 40_000 && e.dur > 300)) {
      const objects = e.name === "Layout"
        ? ` ${e.args.beginData.dirtyObjects} of ${e.args.beginData.totalObjects} objects`
        : "";
      const what = e.args?.data?.type ?? "";
      console.log(`${((e.ts - input.ts) / 1000).toFixed(1).padStart(7)} ${(e.dur / 1000).toFixed(1).padStart(6)} ${e.name} ${what}${objects}`);
    }
  }
  const sum = (key) => totals.reduce((a, m) => a + m[key], 0);
  const mean = (key) => sum(key) / Math.max(1, totals.length);
  const means = Object.fromEntries(Object.keys(totals[0] ?? {}).map((k) => [k, mean(k)]));
  console.log(`${totals.length} moves, a move on average: ${means.layouts.toFixed(1)} layouts, ${means.dirty.toFixed(1)} dirty layout objects, ${means.styles.toFixed(1)} style recalcs, ${means.restyled.toFixed(1)} elements restyled, ${means.paints.toFixed(1)} layers painted; CPU ms ${times(means)}`);
}
await page.mouse.up();
await env.close();
