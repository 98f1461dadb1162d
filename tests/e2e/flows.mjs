// Developer measurement: the flow list on the release build (`trunk build --release`;
// `DIST_DIR` to point elsewhere). A counter workspace of `FLOWS` (100,000) commands (Repeat
// ×n, each command a flow of one fact), then the Flows tab: prints the time from the click
// to every flow listed, the longest task meanwhile, and the wasm memory before and after
// (the module's memory grows, never shrinks; one JSON line).
import { chromium } from "playwright-core";
import { serveDirectory } from "./serve.mjs";
const server = await serveDirectory(process.env.DIST_DIR ?? "dist");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(server.url + "/");
await page.waitForSelector("[data-testid=domain-picker]");
const flows = Number(process.env.FLOWS ?? 100000);
await page.getByTestId("domain-picker").selectOption("counter");
await page.getByTestId("command-picker").locator("option", { hasText: "increment" }).first().waitFor({ state: "attached" });
await page.getByTestId("command-json").evaluate((el, v) => { el.value = v; el.dispatchEvent(new Event("input", { bubbles: true })); },
  JSON.stringify({ increment: { counter_id: "c${i}", by: 1 } }));
await page.getByTestId("repeat-count").fill(String(flows));
await page.getByTestId("command-submit").click();
await page.waitForFunction((n) => Number(document.querySelector("[data-testid=head]")?.textContent) === n, flows, { timeout: 60 * 60 * 1000, polling: 1000 });
await page.waitForFunction(() => !document.querySelector(".composer-progress"), null, { timeout: 600000, polling: 500 });
await page.waitForTimeout(2000);
const wasm = () => page.evaluate(() => window.wasmBindings.wasm_memory_bytes());
await page.evaluate(() => {
  window.__long = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: "longtask", buffered: false });
});
const before = await wasm();
const t0 = Date.now();
await page.locator("[data-testid=log-tab][data-tab=flows]").click();
await page.waitForFunction((n) => Number(document.querySelector("[data-testid=flows-outcome][data-outcome=all] [data-testid=flows-count]")?.textContent.replace(/\D/g, "")) === n
  && !document.querySelector("[data-testid=flows-listing]"), flows, { timeout: 600000 });
const ms = Date.now() - t0;
await page.waitForTimeout(1000);
const long = await page.evaluate(() => window.__long);
console.log(JSON.stringify({ flows, ms, longTasks: long.length, longest: Math.max(0, ...long), wasmBefore: before, wasmAfter: await wasm() }));
await browser.close();
await server.close();
