// Developer helper: `node tests/e2e/profile-repeat.mjs [orders]` serves dist/ (DIST_DIR),
// runs the bench's restaurant Repeat ×orders (10,000 by default) under Chrome's sampling
// profiler, and prints the longest stretch of busy main-thread samples (a long task, as
// the bench's `longest_task_ms` sees it) with the functions that took its time. Wasm
// functions have names only in a build that keeps them (see profile.mjs).
import { start, open, submit, openBigRestaurant, bigOrder, sampler, inclusiveTimes } from "./helpers.mjs";

const orders = Number(process.argv[2] ?? "10000");
const env = await start();
const { page, context } = await open(env);
await openBigRestaurant(page);
const cdp = await sampler(context, page);
await cdp.send("Profiler.start");
await submit(page, bigOrder, { times: orders });
await page.waitForFunction(() => !document.querySelector("[data-testid=repeat-progress], .composer-progress"), null, { timeout: 30 * 60 * 1000, polling: 500 });
await page.waitForFunction(
  () => document.querySelector("[data-testid=saved]")?.textContent === document.querySelector("[data-testid=head]")?.textContent,
  null,
  { timeout: 30 * 60 * 1000, polling: 100 },
);
await page.waitForTimeout(1000);
const { profile } = await cdp.send("Profiler.stop");

// Busy stretches: consecutive samples that are neither idle nor the profiler itself.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const idle = (frame) => frame.functionName === "(idle)" || frame.functionName === "(program)";
let best = { ms: 0, from: 0, to: 0 };
let run = { ms: 0, from: 0 };
profile.samples.forEach((id, i) => {
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  if (idle(byId.get(id).callFrame)) {
    run = { ms: 0, from: i + 1 };
  } else {
    run.ms += dt;
    if (run.ms > best.ms) best = { ms: run.ms, from: run.from, to: i };
  }
});
const self = new Map();
const label = (frame) => `${frame.functionName || "(anonymous)"} ${frame.url.split("/").pop()}`;
for (let i = best.from; i <= best.to; i++) {
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  const name = label(byId.get(profile.samples[i]).callFrame);
  self.set(name, (self.get(name) ?? 0) + dt);
}
const inclusive = inclusiveTimes(profile, label, best.from, best.to);
const top = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 30));
console.log(`restaurant Repeat ×${orders}: longest busy stretch ${best.ms.toFixed(0)} ms (samples ${best.from}..${best.to})`);
console.log("top self time:");
for (const [name, ms] of top(self)) console.log(`${ms.toFixed(1).padStart(9)} ms  ${name}`);
console.log("top inclusive time:");
for (const [name, ms] of top(inclusive)) console.log(`${ms.toFixed(1).padStart(9)} ms  ${name}`);
await env.close();
