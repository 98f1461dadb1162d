// End-to-end test of the real page: the `trunk build --release` output in dist/, served
// over HTTP on 127.0.0.1 and loaded in headless Chromium through playwright-core.
// Run by `cargo xtask test` as `node --test tests/e2e/` with DIST_DIR set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { serveDirectory } from "./serve.mjs";

const dist = process.env.DIST_DIR ?? "dist";
const shots = new URL("../../target/e2e/", import.meta.url).pathname;
let server, browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await serveDirectory(dist);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens `path` in a fresh page and records every console error and page error. */
async function open(path) {
  const page = await browser.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(server.url + path);
  return { page, errors };
}

test("the playground renders a flow computed by decider-core in wasm, without console errors", async () => {
  const { page, errors } = await open("/");
  await page.waitForSelector("#core-check p", { timeout: 15000 });
  assert.equal(await page.textContent("h1"), "Decider Lab");
  const check = await page.textContent("#core-check");
  assert.match(check, /counter `demo` is at 12 after 4 recorded facts/);
  assert.match(check, /\{"below_zero":\{"value":12\}\}/);
  const domains = await page.locator("#domains li").count();
  assert.ok(domains >= 1, `expected at least one domain, saw ${domains}`);
  await page.screenshot({ path: shots + "playground.png", fullPage: true });
  assert.deepEqual(errors, []);
});

test("a panic shows a visible error instead of a blank page", async () => {
  const { page, errors } = await open("/?debug-panic");
  const alert = page.locator("#panic");
  await alert.waitFor({ timeout: 15000 });
  assert.equal(await alert.getAttribute("role"), "alert");
  assert.match(await alert.textContent(), /deliberate panic requested with \?debug-panic/);
  assert.ok(await alert.isVisible());
  await page.screenshot({ path: shots + "panic.png", fullPage: true });
  assert.ok(errors.some((e) => e.includes("deliberate panic")), `console: ${errors}`);
});
