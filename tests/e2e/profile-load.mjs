// Where a cold load of a long workspace goes: runs a Repeat ×ORDERS restaurant flow
// (20,000 by default), waits until IndexedDB holds it, then reloads the page under the CDP
// sampling profiler and prints the functions with the most self time (and writes the
// profile to $PROFILE_OUT, default /tmp/load.cpuprofile, for DevTools). Not a test:
// `DIST_DIR=<dist> node tests/e2e/profile-load.mjs`.
import { start, open, submit, head, openBigRestaurant, bigOrder } from "./helpers.mjs";
import { writeFileSync } from "node:fs";
const env = await start();
const orders = Number(process.env.ORDERS ?? 20000);
const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
const { page } = await open(env, "/", { context });
await openBigRestaurant(page);
await submit(page, bigOrder, { times: orders });
await page.waitForFunction(() => !document.querySelector("[data-testid=repeat-progress], .composer-progress"), null, { timeout: 30 * 60 * 1000, polling: 500 });
await page.waitForFunction(() => document.querySelector("[data-testid=saved]")?.textContent === document.querySelector("[data-testid=head]")?.textContent, null, { timeout: 30 * 60 * 1000, polling: 100 });
const facts = await head(page);
const cdp = await context.newCDPSession(page);
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
await cdp.send("Profiler.start");
const t1 = Date.now();
await page.reload();
await page.waitForFunction((n) => Number(document.querySelector("[data-testid=head]")?.textContent) === n && document.querySelectorAll("[data-testid=log-row]").length > 0, facts, { timeout: 10 * 60 * 1000, polling: 50 });
console.log("cold load ms", Date.now() - t1, "facts", facts);
const { profile } = await cdp.send("Profiler.stop");
writeFileSync(process.env.PROFILE_OUT ?? "/tmp/load.cpuprofile", JSON.stringify(profile));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas; 
const self = new Map();
const counts = new Map();
profile.samples.forEach((id, i) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
for (const [id, us] of counts) {
  const n = byId.get(id);
  const key = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + us);
}
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [k, us] of top) console.log((us / 1000).toFixed(0).padStart(8), "ms", k);
await env.close();
