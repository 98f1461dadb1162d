// Where the IndexedDB writes after a long run go: runs the bench's restaurant Repeat
// ×ORDERS (50,000 by default), then, from the moment the run ends until every fact is
// saved, profiles the page with the CDP sampling profiler; prints the entries still to
// write when the run ended, the time until saved, and the functions with the most
// inclusive time (the profile is written to $PROFILE_OUT, default /tmp/writes.cpuprofile).
// Not a test: `DIST_DIR=<dist> node tests/e2e/profile-writes.mjs`.
import { start, open, submit, head, openBigRestaurant, bigOrder, sampler, inclusiveTimes } from "./helpers.mjs";
import { writeFileSync } from "node:fs";

const orders = Number(process.env.ORDERS ?? 50_000);
const env = await start();
const { page, context } = await open(env);
await openBigRestaurant(page);
const cdp = await sampler(context, page);
await submit(page, bigOrder, { times: orders });
await page.waitForFunction(() => !document.querySelector("[data-testid=repeat-progress], .composer-progress"), null, { timeout: 30 * 60 * 1000, polling: 20 });
const ran = Date.now();
await cdp.send("Profiler.start");
const savedAtEnd = await page.evaluate(() => Number(document.querySelector("[data-testid=saved]")?.textContent));
const facts = await head(page);
await page.waitForFunction(
  () => document.querySelector("[data-testid=saved]")?.textContent === document.querySelector("[data-testid=head]")?.textContent,
  null,
  { timeout: 30 * 60 * 1000, polling: 20 },
);
const writesMs = Date.now() - ran;
const { profile } = await cdp.send("Profiler.stop");
writeFileSync(process.env.PROFILE_OUT ?? "/tmp/writes.cpuprofile", JSON.stringify(profile));
console.log(JSON.stringify({ facts, saved_when_the_run_ended: savedAtEnd, writes_beyond_the_run_ms: writesMs }));
const inclusive = inclusiveTimes(profile, (frame) => frame.functionName || "(anonymous)");
for (const [name, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 40))) {
  console.log(`${ms.toFixed(0).padStart(7)} ms  ${name.slice(0, 150)}`);
}
await env.close();
