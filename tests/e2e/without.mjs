// Developer measurement: "⊘ without it" on the release build (`trunk build --release`;
// `DIST_DIR` to point elsewhere). A restaurant workspace of one restaurant and
// `FACTS_ORDERS` (1,000) orders (Repeat ×n), the first order's flow removed (the last
// order's with `FLOW=last`: nothing to replay, the branch alone; with `FLOW=fork`, *fork
// from here* five facts before the head instead); prints the
// time from the click to the new workspace and the longest task meanwhile (one JSON line).
import { chromium } from "playwright-core";
import { serveDirectory } from "./serve.mjs";
const server = await serveDirectory(process.env.DIST_DIR ?? "dist");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(server.url + "/");
await page.waitForSelector("[data-testid=domain-picker]");
const orders = Number(process.env.FACTS_ORDERS ?? 1000);
const fill = async (command) => {
  await page.getByTestId("command-json").evaluate((el, v) => { el.value = v; el.dispatchEvent(new Event("input", { bubbles: true })); }, JSON.stringify(command));
};
await fill({ restaurant: { create_restaurant: { capacity: 1000000, menu: [{ item_id: "margherita", name: "Pizza", price_cents: 900 }], name: "Luigi's", restaurant_id: "luigi" } } });
await page.getByTestId("command-submit").click();
await fill({ restaurant: { open: { restaurant_id: "luigi" } } });
await page.getByTestId("command-submit").click();
await fill({ order: { place_order: { customer: "Ada", items: ["margherita"], order_id: "o${i}", restaurant_id: "luigi" } } });
await page.getByTestId("repeat-count").fill(String(orders));
await page.getByTestId("command-submit").click();
const headNow = async () => Number((await page.getByTestId("head").textContent()).replace(/\D/g, ""));
let last = -1;
for (;;) {
  await page.waitForTimeout(1000);
  const h = await headNow();
  if (h === last && h > orders) break;
  last = h;
}
const before = await headNow();
await page.locator("[data-testid=log-row]").first().waitFor();
const flow = process.env.FLOW ?? "first";
if (flow === "last") {
  await page.locator(`[data-testid=log-row][data-position='${before - 1}']`).click();
} else if (flow === "fork") {
  await page.getByTestId("timeline").fill(String(before - 5));
} else {
  await page.getByTestId("timeline").fill("3");
  await page.locator("[data-testid=log-row][data-position='2']").click();
}
await page.evaluate(() => {
  window.__long = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: "longtask", buffered: false });
});
const t0 = Date.now();
await page.getByTestId(flow === "fork" ? "fork-button" : "trace-without").click();
await page.waitForFunction((named) => new RegExp(named).test(document.querySelector("[data-testid=workspace-picker]")?.selectedOptions[0]?.textContent ?? ""), flow === "fork" ? "fork @" : " · without ", { timeout: 600000 });
const ms = Date.now() - t0;
await page.waitForTimeout(2000);
const long = await page.evaluate(() => window.__long);
console.log(JSON.stringify({ orders, before, after: await headNow(), ms, longTasks: long.length, longest: Math.max(0, ...long) }));
await browser.close();
await server.close();
