// The CPU time of a cold load of a long workspace: builds a restaurant workspace of a
// Repeat ×ORDERS (50,000 by default) once in a persistent browser profile (PROFILE_DIR,
// served on a fixed PORT so the origin and its IndexedDB stay), then reloads the page
// RELOADS times (3) and prints, per reload, the user + system CPU time of the browser's
// renderer processes (from /proc, only this browser's), of the whole browser, the wall
// clock to interactive (head, log rows, inspector, slider at the head, as bench.mjs
// waits) and the load average; then, SETTLE ms later (15,000), the renderers' CPU time
// again (what runs after the page is interactive: the packed images checked against the
// segments). Not a test:
// `DIST_DIR=<dist> node tests/e2e/cpu-load.mjs`.
import { readFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { chromium } from "playwright-core";
import { serveDirectory } from "./serve.mjs";
import { submit, openBigRestaurant, bigOrder } from "./helpers.mjs";

const orders = Number(process.env.ORDERS ?? 50_000);
const reloads = Number(process.env.RELOADS ?? 3);
const server = await serveDirectory(process.env.DIST_DIR ?? "dist", Number(process.env.PORT ?? 8765));
const context = await chromium.launchPersistentContext(process.env.PROFILE_DIR ?? "/tmp/cpu-load-profile", {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  viewport: { width: 1440, height: 900 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

/** Every process under this one: pid → { ppid, renderer, ticks (user + system) }. */
function processes() {
  const all = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8");
      all.set(Number(name), {
        ppid: Number(fields[1]),
        renderer: cmdline.includes("--type=renderer"),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // The process ended meanwhile.
    }
  }
  const mine = (pid) => {
    for (let p = pid; p > 1; p = all.get(p)?.ppid ?? 0) if (p === process.pid) return true;
    return false;
  };
  return new Map([...all].filter(([pid]) => pid !== process.pid && mine(pid)));
}

/** CPU seconds of the renderers and of every browser process. */
function cpu() {
  let renderer = 0, browser = 0;
  for (const p of processes().values()) {
    browser += p.ticks;
    if (p.renderer) renderer += p.ticks;
  }
  return { renderer: renderer / 100, browser: browser / 100 };
}

const page = context.pages()[0] ?? (await context.newPage());
const headOf = () => page.evaluate(() => Number(document.querySelector("[data-testid=head]")?.textContent));
const interactive = (n) => page.waitForFunction(
  (n) => Number(document.querySelector("[data-testid=head]")?.textContent) === n &&
    document.querySelectorAll("[data-testid=log-row]").length > 0 &&
    document.querySelector("[data-testid=inspector]") &&
    Number(document.querySelector("[data-testid=timeline]")?.max) === n,
  n,
  { timeout: 20 * 60 * 1000, polling: 50 },
);
await page.goto(server.url + "/");
await page.waitForSelector("[data-testid=domain-picker]", { timeout: 20 * 60 * 1000 });
// A workspace kept by an earlier run opens as the page starts (within a couple of minutes).
const wanted = 2 + orders * 5;
const kept = await page
  .waitForFunction((n) => Number(document.querySelector("[data-testid=head]")?.textContent) >= n, wanted, { timeout: 120_000 })
  .then(() => true, () => false);
let facts = await headOf();
if (!kept) {
  await openBigRestaurant(page);
  await submit(page, bigOrder, { times: orders });
  await page.waitForFunction(() => !document.querySelector("[data-testid=repeat-progress], .composer-progress"), null, { timeout: 30 * 60 * 1000, polling: 500 });
  await page.waitForFunction(() => document.querySelector("[data-testid=saved]")?.textContent === document.querySelector("[data-testid=head]")?.textContent, null, { timeout: 30 * 60 * 1000, polling: 100 });
  facts = await headOf();
  console.log(JSON.stringify({ built: facts }));
}
for (let i = 0; i < reloads; i++) {
  const before = cpu();
  const load = loadavg()[0];
  const t0 = Date.now();
  await page.reload();
  await interactive(facts);
  const wall = Date.now() - t0;
  const after = cpu();
  await page.waitForTimeout(Number(process.env.SETTLE ?? 15_000));
  const settled = cpu();
  console.log(JSON.stringify({
    reload: i + 1,
    facts,
    renderer_cpu_s: Math.round((after.renderer - before.renderer) * 100) / 100,
    browser_cpu_s: Math.round((after.browser - before.browser) * 100) / 100,
    wall_ms: wall,
    renderer_cpu_settled_s: Math.round((settled.renderer - before.renderer) * 100) / 100,
    load_average: [load, loadavg()[0]].map((l) => Math.round(l * 100) / 100),
  }));
}
await context.close();
await server.close();
