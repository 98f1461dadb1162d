// Developer helper: `node tests/e2e/profile.mjs scroll|submit|slider [facts]` serves dist/
// (DIST_DIR), fills a counter session with `facts` facts (100,000 by default), then
// profiles one of the bench's interactions through Chrome's DevTools protocol: where the
// time goes (script, style, layout) and the functions with the most self time; TRACE=1
// first prints the main thread's wall and CPU time per trace event (layout, paint, …; with
// EXTRA_CSS, also with those rules and without them again), and with TASKS=1 each task. Wasm functions
// have names only in a build that keeps them: a copy of index.html whose rust link has
// `data-keep-debug="true" data-wasm-opt="0"`, built with `trunk build --release --dist <dir>
// <copy>` (the target last: `--release` would take it for its value).
// MOVES=n: the slider's number of moves (20 by default; 1 for the first move alone);
// POSITIONS=a,b,…: those positions instead (the bench's: 123457,500001,999001,42); `live`
// among them goes back to live (untimed) before the next move. IDLE_BEFORE=ms: the trace
// first records the idle page that long (whether it draws frames unasked).
import { start, open, submit, scrollFrames, counterSession } from "./helpers.mjs";

const [what = "scroll", factsArg = "100000"] = process.argv.slice(2);
const facts = Number(factsArg);
const env = await start();
const { page } = await open(env);
await counterSession(page, facts);
await page.getByTestId("repeat-count").fill("1");
// FOCUS=<testid>: move the keyboard focus there first (as a person grabbing the slider
// would: FOCUS=timeline), instead of leaving it in the Repeat's count.
if (process.env.FOCUS) await page.getByTestId(process.env.FOCUS).focus();

const actions = {
  // The bench's scroll (100 rows per frame for 240 frames); returns the frame times.
  scroll: () => scrollFrames(page),
  // Twenty submissions, each timed until its row is rendered.
  submit: async () => {
    const times = [];
    for (let i = 0; i < 20; i++) {
      times.push(
        await page.evaluate(
          (position) =>
            new Promise((resolve) => {
              const t0 = performance.now();
              const el = document.querySelector("[data-testid=command-json]");
              el.value = JSON.stringify({ increment: { counter_id: "extra", by: 1 } });
              el.dispatchEvent(new Event("input", { bubbles: true }));
              document.querySelector("[data-testid=command-submit]").click();
              const check = () =>
                document.querySelector(`[data-testid=log-row][data-position="${position}"]`)
                  ? resolve(performance.now() - t0)
                  : requestAnimationFrame(check);
              check();
            }),
          facts + i,
        ),
      );
    }
    return times;
  },
  // Twenty slider moves (MOVES), each timed until the inspector shows the new position;
  // MOVES=1 profiles only the first move after the Repeat.
  slider: async () => {
    const times = [];
    const positions = process.env.POSITIONS?.split(",").map(Number) ??
      Array.from({ length: Number(process.env.MOVES ?? 20) }, (_, i) => Math.floor(((i * 7919) % 997) / 997 * facts) + 1);
    for (const position of positions) {
      // `live` (NaN here) in POSITIONS: back to live with the banner's button, untimed.
      if (Number.isNaN(position)) {
        await page.getByTestId("live-button").click();
        await page.getByTestId("past-banner").waitFor({ state: "detached" });
        if (process.env.FOCUS) await page.getByTestId(process.env.FOCUS).focus();
        await page.waitForTimeout(500);
        continue;
      }
      times.push(
        await page.evaluate(
          (position) =>
            new Promise((resolve) => {
              const t0 = performance.now();
              const s = document.querySelector("[data-testid=timeline]");
              s.value = String(position);
              s.dispatchEvent(new Event("input", { bubbles: true }));
              const check = () =>
                document.querySelector("[data-testid=inspector]").textContent.includes(`after #${position - 1}`)
                  ? resolve(performance.now() - t0)
                  : requestAnimationFrame(check);
              check();
            }),
          position,
        ),
      );
    }
    return times;
  },
};

const cdp = await page.context().newCDPSession(page);
await cdp.send("Performance.enable");
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
const metrics = async () =>
  Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));

/** Runs the interaction once under the profiler and prints what it cost. */
async function measure(label) {
  const before = await metrics();
  await cdp.send("Profiler.start");
  const times = await actions[what]();
  const { profile } = await cdp.send("Profiler.stop");
  const after = await metrics();
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
  console.log(`${label} ${what}: n=${times.length} median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`);
  for (const name of ["TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration"]) {
    console.log(`  ${name}: ${((after[name] - before[name]) * 1000).toFixed(0)} ms`);
  }
  // Self time per function, from the samples.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id).callFrame;
    const name = `${frame.functionName || "(anonymous)"} ${frame.url.split("/").pop()}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`  sampled ${total.toFixed(0)} ms; top self time:`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 25))) {
    console.log(`${ms.toFixed(1).padStart(9)} ms  ${name}`);
  }
  if (!process.env.INCLUSIVE) return;
  // INCLUSIVE=1: time per function with what it called (each sample counted once per
  // function on its stack).
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map();
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at).callFrame;
      seen.add(`${frame.functionName || "(anonymous)"} ${frame.url.split("/").pop()}`);
    }
    for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  console.log("  top inclusive time:");
  for (const [name, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.INCLUSIVE))) {
    console.log(`${ms.toFixed(1).padStart(9)} ms  ${name.slice(0, 160)}`);
  }
}

/** Runs the interaction once under a trace; prints the main thread's time per event. */
async function trace(label) {
  const events = [];
  cdp.on("Tracing.dataCollected", ({ value }) => events.push(...value));
  const done = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.start", {
    // V8's wasm compilation (lazy compiles on a function's first call, tier-ups) too.
    categories: "devtools.timeline,disabled-by-default-devtools.timeline,blink,cc,v8,v8.wasm,disabled-by-default-v8.wasm.detailed",
    transferMode: "ReportEvents",
  });
  // IDLE_BEFORE=ms: trace the page idle that long first (frames it makes unasked).
  await page.waitForTimeout(Number(process.env.IDLE_BEFORE ?? 0));
  const times = await actions[what]();
  await cdp.send("Tracing.end");
  await done;
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  // Wall time, CPU time (`tdur`: what the thread ran, not what it waited for a core, so it
  // compares runs on a loaded machine) and count, per event name.
  const totals = new Map();
  for (const e of events) {
    if (e.ph !== "X" || e.tid !== main?.tid || e.pid !== main?.pid) continue;
    const [wall, cpu, n] = totals.get(e.name) ?? [0, 0, 0];
    totals.set(e.name, [wall + (e.dur ?? 0) / 1000, cpu + (e.tdur ?? 0) / 1000, n + 1]);
  }
  console.log(`${label} ${what} under the trace (ms): ${times.map((t) => t.toFixed(1)).join(", ")}`);
  console.log(`${label} main thread time per event (inclusive): wall ms, CPU ms, count`);
  for (const [name, [wall, cpu, n]] of [...totals].sort((a, b) => b[1][1] - a[1][1]).slice(0, Number(process.env.TOP ?? 25))) {
    console.log(`${wall.toFixed(1).padStart(9)} ${cpu.toFixed(1).padStart(9)} ${String(n).padStart(6)}  ${name}`);
  }
  if (process.env.TASKS) printTasks(events.filter((e) => e.ph === "X" && e.tid === main?.tid && e.pid === main?.pid));
}

/** TASKS=1: the main thread's tasks over 1 ms, in order, each with what it spent (CPU ms)
 * on events, animation frames, timers, microtasks, style, layout and paint; TASKS=order
 * lists those in the order they ran instead of adding up each kind. */
function printTasks(events) {
  const wanted = ["EventDispatch", "FireAnimationFrame", "TimerFire", "RunMicrotasks", "UpdateLayoutTree", "Layout", "Paint", "Layerize", "HitTest"];
  events.sort((a, b) => a.ts - b.ts);
  const tasks = events.filter((e) => e.name === "RunTask" && e.dur > 1000);
  const t0 = tasks[0]?.ts ?? 0;
  let i = 0;
  console.log("tasks over 1 ms: start, wall, CPU (ms), then CPU ms per kind");
  for (const task of tasks) {
    while (i < events.length && events[i].ts < task.ts) i++;
    const spent = new Map();
    // TASKS=order: in the order they began (a repeat of the one before merged with it).
    const order = [];
    let called = "";
    for (let j = i; j < events.length && events[j].ts < task.ts + task.dur; j++) {
      const e = events[j];
      // What a timer ran: the first function it called.
      if (e.name === "FunctionCall" && spent.has("TimerFire") && !called) {
        const data = e.args?.data ?? {};
        called = ` (timer ran ${data.functionName || "?"} ${(data.url ?? "").split("/").pop()}:${data.lineNumber})`;
      }
      // Besides those: garbage collections and wasm compilation (lazy or tier-up).
      if (!wanted.includes(e.name) && !/GC$|^wasm\.|Wasm/.test(e.name)) continue;
      let name = e.name === "EventDispatch" ? `event:${e.args?.data?.type}` : e.name;
      // A style or layout forced by script: which function asked for it.
      const stack = e.args?.beginData?.stackTrace ?? e.args?.data?.stackTrace;
      if (stack?.length) name += ` forced by ${stack.slice(0, 3).map((f) => f.functionName || "?").join(" < ")}`;
      spent.set(name, (spent.get(name) ?? 0) + (e.tdur ?? 0) / 1000);
      if (order.at(-1)?.[0] === name) order.at(-1)[1] += (e.tdur ?? 0) / 1000;
      else order.push([name, (e.tdur ?? 0) / 1000]);
    }
    const parts = [...(process.env.TASKS === "order" ? order : spent)].map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(", ") + called;
    console.log(`${((task.ts - t0) / 1000).toFixed(1).padStart(9)} ${(task.dur / 1000).toFixed(1).padStart(7)} ${((task.tdur ?? 0) / 1000).toFixed(1).padStart(7)}  ${parts}`);
  }
}

if (process.env.TRACE) {
  await trace("as built:");
  if (process.env.EXTRA_CSS) {
    await page.addStyleTag({ content: process.env.EXTRA_CSS });
    await trace("with EXTRA_CSS:");
    await page.evaluate(() => document.querySelector("style:last-of-type").remove());
    await trace("without, again:");
  }
}
await measure("as built:");
// EXTRA_CSS: rules added to the page, then the interaction measured again (to try a
// stylesheet change without a rebuild).
if (process.env.EXTRA_CSS) {
  await page.addStyleTag({ content: process.env.EXTRA_CSS });
  await measure("with EXTRA_CSS:");
  await measure("with EXTRA_CSS, again:");
  await page.evaluate(() => document.querySelector("style:last-of-type").remove());
  await measure("without, again:");
}
await env.close();
