// Developer helper: `node tests/e2e/moves.mjs` serves dist/ (DIST_DIR), fills a counter
// session with FACTS facts (2,000 by default), then ROUNDS times (20): a slider move from
// live into the past, a move within the past, back to live. Each move is timed as the
// slider bench times it (its `input` event until the first animation frame that sees the
// inspector updated), with the page idle before it, so the two kinds compare within one
// run: what entering the past costs beyond a move (the bench's first move after its
// Repeat is one). PROFILE=1 also samples each move with Chrome's profiler and prints the
// functions by how much more inclusive time a move from live spent in them (TOP rows).
import { start, open, counterSession } from "./helpers.mjs";

const facts = Number(process.env.FACTS ?? 2000);
const rounds = Number(process.env.ROUNDS ?? 20);
const env = await start();
const { page } = await open(env);
await counterSession(page, facts);
await page.getByTestId("timeline").focus();

/** Moves the slider to `position`; resolves with the bench's time for it. */
const move = (position) =>
  page.evaluate(
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
  const ms = await move(position);
  const { profile } = await cdp.send("Profiler.stop");
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      seen.add((byId.get(at).callFrame.functionName || "(anonymous)").replace(/::h[0-9a-f]{16}/, "").slice(0, 150));
    }
    for (const name of seen) inclusive[kind].set(name, (inclusive[kind].get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return ms;
}

const fromLive = [];
const inPast = [];
for (let i = 0; i < rounds; i++) {
  const a = 1 + ((i * 7919) % (facts - 2));
  const b = 1 + ((i * 104729 + 13) % (facts - 2));
  await page.waitForTimeout(200);
  fromLive.push(await timed("live", a));
  await page.waitForTimeout(200);
  inPast.push(await timed("past", b === a ? b + 1 : b));
  await page.waitForTimeout(200);
  await page.getByTestId("live-button").click();
  await page.getByTestId("past-banner").waitFor({ state: "detached" });
  await page.getByTestId("timeline").focus();
}
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(s.length * q))].toFixed(1);
  return `median ${at(0.5)} p90 ${at(0.9)} max ${at(1)} ms`;
};
console.log(`${facts} facts, ${rounds} rounds: from live ${stats(fromLive)}; within the past ${stats(inPast)}`);
if (cdp) {
  const names = new Set([...inclusive.live.keys(), ...inclusive.past.keys()]);
  const rows = [...names].map((n) => [n, (inclusive.live.get(n) ?? 0) / rounds, (inclusive.past.get(n) ?? 0) / rounds]);
  rows.sort((x, y) => y[1] - y[2] - (x[1] - x[2]));
  console.log("ms a move, inclusive: from live, within the past, function (by difference)");
  for (const [name, live, past] of rows.slice(0, Number(process.env.TOP ?? 40))) {
    console.log(`${live.toFixed(2).padStart(7)} ${past.toFixed(2).padStart(7)}  ${name}`);
  }
}
await env.close();
