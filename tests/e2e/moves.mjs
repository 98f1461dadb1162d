// Developer helper: `node tests/e2e/moves.mjs` serves dist/ (DIST_DIR), fills a counter
// session with FACTS facts (2,000 by default), then ROUNDS times (20): a slider move from
// live into the past, a move within the past, back to live. Each move is timed as the
// slider bench times it (its `input` event until the first animation frame that sees the
// inspector updated), with the page idle before it and the pointer on Submit as in the
// bench, so the two kinds compare within one
// run: what entering the past costs beyond a move (the bench's first move after its
// Repeat is one). PROFILE=1 also samples each move with Chrome's profiler and prints the
// functions by how much more inclusive time a move from live spent in them before the
// bench's check could see it (TOP rows; the samples from then on are left out).
// TRACE=1: see below.
import { start, open, counterSession } from "./helpers.mjs";

const facts = Number(process.env.FACTS ?? 2000);
const rounds = Number(process.env.ROUNDS ?? 20);
const env = await start();
const { page } = await open(env);
await counterSession(page, facts);
// EXTRA_CSS: rules added to the page first (to try a stylesheet change without a build).
if (process.env.EXTRA_CSS) await page.addStyleTag({ content: process.env.EXTRA_CSS });
await page.getByTestId("timeline").focus();

/** Moves the slider to `position`; resolves with the bench's time for it. With `mark`,
 * each check in an animation frame first spins 0.3 ms in `frameCheckMark`, so that the
 * profile shows where the frame's checks begin (what comes before is what the bench
 * counts). */
const move = (position, mark = false) =>
  page.evaluate(
    ([position, mark]) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        const s = document.querySelector("[data-testid=timeline]");
        s.value = String(position);
        s.dispatchEvent(new Event("input", { bubbles: true }));
        const done = () => document.querySelector("[data-testid=inspector]").textContent.includes(`after #${position - 1}`);
        const frameCheckMark = () => {
          const until = performance.now() + 0.3;
          while (mark && performance.now() < until);
          return done();
        };
        const check = (inFrame) =>
          (inFrame ? frameCheckMark() : done())
            ? resolve(performance.now() - t0)
            : requestAnimationFrame(() => check(true));
        check(false);
      }),
    [position, mark],
  );

const cdp = process.env.PROFILE ? await page.context().newCDPSession(page) : null;
if (cdp) {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
}
/** Inclusive milliseconds per function name, summed over the moves of each kind. */
const inclusive = { live: new Map(), past: new Map() };
async function timed(kind, position) {
  if (!cdp) return move(position);
  await cdp.send("Profiler.start");
  const ms = await move(position, true);
  const { profile } = await cdp.send("Profiler.stop");
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Only the samples before the first frame's check: what the bench counts.
  let counted = true;
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      seen.add((byId.get(at).callFrame.functionName || "(anonymous)").replace(/::h[0-9a-f]{16}/, "").slice(0, 150));
    }
    if (seen.has("frameCheckMark")) counted = false;
    if (!counted) return;
    for (const name of seen) inclusive[kind].set(name, (inclusive[kind].get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return ms;
}

// TRACE=1: the whole run under Chrome's trace, then per move the main thread's CPU time
// (not wall time: comparable on a loaded machine) of what the bench counts: the input
// task, and the next frame's work before its first animation-frame callback.
const events = [];
if (process.env.TRACE) {
  const tracing = await page.context().newCDPSession(page);
  tracing.on("Tracing.dataCollected", ({ value }) => events.push(...value));
  await tracing.send("Tracing.start", {
    categories: "devtools.timeline,disabled-by-default-devtools.timeline",
    transferMode: "ReportEvents",
  });
  globalThis.stopTracing = async () => {
    const done = new Promise((resolve) => tracing.once("Tracing.tracingComplete", resolve));
    await tracing.send("Tracing.end");
    await done;
  };
}
const kinds = [];
const fromLive = [];
const inPast = [];
for (let i = 0; i < rounds; i++) {
  const a = 1 + ((i * 7919) % (facts - 2));
  const b = 1 + ((i * 104729 + 13) % (facts - 2));
  await page.waitForTimeout(200);
  fromLive.push(await timed("live", a));
  kinds.push("live");
  await page.waitForTimeout(200);
  inPast.push(await timed("past", b === a ? b + 1 : b));
  kinds.push("past");
  await page.waitForTimeout(200);
  await page.getByTestId("live-button").click();
  await page.getByTestId("past-banner").waitFor({ state: "detached" });
  await page.getByTestId("timeline").focus();
  // The pointer back where the bench leaves it (on Submit, clicked to start its Repeat),
  // not on the place the banner's live button takes when the past is entered again.
  await page.getByTestId("command-submit").hover();
}
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(s.length * q))].toFixed(1);
  return `median ${at(0.5)} p90 ${at(0.9)} max ${at(1)} ms`;
};
console.log(`${facts} facts, ${rounds} rounds: from live ${stats(fromLive)}; within the past ${stats(inPast)}`);
if (process.env.TRACE) {
  await globalThis.stopTracing();
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const mine = events.filter((e) => e.ph === "X" && e.tid === main?.tid && e.pid === main?.pid).sort((x, y) => x.ts - y.ts);
  const tasks = mine.filter((e) => e.name === "RunTask");
  const inside = (outer, e) => e.ts >= outer.ts && e.ts < outer.ts + outer.dur;
  const cpu = { live: [], past: [] };
  const inputs = mine.filter((e) => e.name === "EventDispatch" && e.args?.data?.type === "input");
  inputs.forEach((input, i) => {
    const task = tasks.find((t) => inside(t, input));
    const frame = tasks.find((t) => t.ts > task.ts && mine.some((e) => e.name === "FireAnimationFrame" && inside(t, e)));
    if (!task || !frame || !kinds[i]) return;
    const firstCallback = mine.find((e) => e.name === "FireAnimationFrame" && inside(frame, e));
    // The frame's top-level work before that callback.
    let before = 0;
    let reach = frame.ts;
    const parts = {};
    for (const e of mine) {
      if (!inside(frame, e) || e === frame || e.ts >= firstCallback.ts) continue;
      // What the frame's work was made of: style, layout, hit tests, pointer events.
      if (["UpdateLayoutTree", "Layout", "HitTest", "EventDispatch"].includes(e.name)) {
        parts[e.name] = (parts[e.name] ?? 0) + (e.tdur ?? 0) / 1000;
      }
      // Counts that do not depend on the load: elements restyled, layout objects laid out
      // (`inputStyled`, `inputLaidOut`: the same, forced inside the input task).
      if (e.name === "UpdateLayoutTree") parts.styled = (parts.styled ?? 0) + (e.args?.elementCount ?? 0);
      if (e.name === "Layout") parts.laidOut = (parts.laidOut ?? 0) + (e.args?.beginData?.dirtyObjects ?? 0);
      if (e.ts < reach) continue;
      before += (e.tdur ?? 0) / 1000;
      reach = e.ts + e.dur;
    }
    // Style and layout forced inside the input task (a read of the layout while it runs).
    for (const e of mine) {
      if (!inside(task, e) || e === task) continue;
      if (e.name === "UpdateLayoutTree") parts.inputStyled = (parts.inputStyled ?? 0) + (e.args?.elementCount ?? 0);
      if (e.name === "Layout") parts.inputLaidOut = (parts.inputLaidOut ?? 0) + (e.args?.beginData?.dirtyObjects ?? 0);
    }
    cpu[kinds[i]].push([(task.tdur ?? 0) / 1000, before, parts]);
  });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]?.toFixed(2);
  for (const kind of ["live", "past"]) {
    const rows = cpu[kind];
    const parts = ["UpdateLayoutTree", "Layout", "HitTest", "EventDispatch", "styled", "laidOut", "inputStyled", "inputLaidOut"].map((name) => `${name} ${median(rows.map((r) => r[2][name] ?? 0))}`);
    console.log(`CPU ms, ${kind === "live" ? "from live" : "within the past"} (${rows.length} moves): input task median ${median(rows.map((r) => r[0]))}, frame before its callbacks ${median(rows.map((r) => r[1]))} (${parts.join(", ")}), both ${median(rows.map((r) => r[0] + r[1]))}`);
  }
}
if (cdp) {
  const names = new Set([...inclusive.live.keys(), ...inclusive.past.keys()]);
  const rows = [...names].map((n) => [n, (inclusive.live.get(n) ?? 0) / rounds, (inclusive.past.get(n) ?? 0) / rounds]);
  rows.sort((x, y) => y[1] - y[2] - (x[1] - x[2]));
  console.log("ms a move before the check, inclusive: from live, within the past, function (by difference)");
  for (const [name, live, past] of rows.slice(0, Number(process.env.TOP ?? 40))) {
    console.log(`${live.toFixed(2).padStart(7)} ${past.toFixed(2).padStart(7)}  ${name}`);
  }
}
await env.close();
