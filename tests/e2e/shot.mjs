// Developer helper: `node tests/e2e/shot.mjs OUT.png [width] [height] [dark]` serves dist/
// and saves a screenshot of the playground, for looking at the page while working on it
// (SCRIPT: a module whose default export drives the page first; FULL=1: the whole page).
import { chromium } from "playwright-core";
import { serveDirectory } from "./serve.mjs";

const [out = "target/e2e/shot.png", width = "1440", height = "900", scheme = "light"] =
  process.argv.slice(2);
const server = await serveDirectory(process.env.DIST_DIR ?? "dist");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage({
  viewport: { width: Number(width), height: Number(height) },
  colorScheme: scheme,
});
page.on("console", (m) => console.log("console:", m.type(), m.text()));
await page.goto(server.url + (process.env.PAGE_PATH ?? "/"));
await page.waitForSelector("[data-testid=domain-picker]", { timeout: 20000 });
if (process.env.SCRIPT) {
  const steps = (await import(process.env.SCRIPT)).default;
  await steps(page);
}
// FULL=1: the whole page, not only the viewport (narrow windows scroll).
await page.screenshot({ path: out, fullPage: Boolean(process.env.FULL) });
await browser.close();
await server.close();
