// The playground's benchmarks, measured in headless Chromium on the release build (never
// asserted in a test): run by `cargo xtask bench` after `trunk build --release`, or alone
// with `node tests/e2e/bench.mjs` (DIST_DIR defaults to dist/). Prints one JSON line per
// figure; BENCHMARKS.md says what each includes. BENCH=log,slider,restaurant (any of them,
// comma-separated) runs only those parts; all by default.
import { start, open, submit, waitForHead, choose, head } from "./helpers.mjs";

const env = await start();
const parts = (process.env.BENCH ?? "log,slider,restaurant").split(",");
const results = [];
function report(name, value, unit, extra = {}) {
  const line = { name, value: Math.round(value * 100) / 100, unit, ...extra };
  results.push(line);
  console.log(JSON.stringify(line));
}

/** Records long tasks (> 50 ms) from now on; returns a function that reads the longest. */
async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: "longtask", buffered: false });
  });
  return () => page.evaluate(() => window.__longest);
}

/** The tab's memory in MB: the JS heap plus the WebAssembly memory (the engine). */
async function tabMemory(page) {
  const bytes = await page.evaluate(
    () => (performance.memory?.usedJSHeapSize ?? 0) + window.wasmBindings.wasm_memory_bytes(),
  );
  return bytes / 1e6;
}

/** Milliseconds from `action` (run in the page) until `done()` holds, checked every frame. */
async function timeInPage(page, action, done) {
  return page.evaluate(
    ([action, done]) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        new Function(action)();
        const check = () => (new Function(`return (${done})`)() ? resolve(performance.now() - t0) : requestAnimationFrame(check));
        check();
      }),
    [action, done],
  );
}

async function repeatCounter(page, n) {
  await choose(page, "domain-picker", "counter");
  await page.getByTestId("command-picker").locator("option", { hasText: "increment" }).first().waitFor({ state: "attached" });
  const t0 = Date.now();
  await submit(page, { increment: { counter_id: "c${i}", by: 1 } }, { times: n });
  await waitForHead(page, n, 15 * 60 * 1000);
  const ms = Date.now() - t0;
  // What follows is measured in the steady state: every fact kept in IndexedDB.
  await page.waitForFunction(
    () => document.querySelector("[data-testid=saved]")?.textContent === document.querySelector("[data-testid=head]")?.textContent,
    null,
    { timeout: 15 * 60 * 1000, polling: 250 },
  );
  return ms;
}

// 1. Submit → its rows rendered, and log scrolling, at 100,000 facts (counter).
if (parts.includes("log")) {
  const { page } = await open(env);
  const longest = await watchLongTasks(page);
  const ms = await repeatCounter(page, 100_000);
  report("counter Repeat ×100,000: total", ms, "ms", { longest_task_ms: await longest() });
  // One submission (the Repeat's count stays in its field: without this, the click would
  // start another Repeat ×100,000 and the scroll below would run beside it).
  await page.getByTestId("repeat-count").fill("1");
  const command = JSON.stringify({ increment: { counter_id: "extra", by: 1 } });
  const submitMs = await timeInPage(
    page,
    `const el = document.querySelector("[data-testid=command-json]"); el.value = ${JSON.stringify(command)};
     el.dispatchEvent(new Event("input", { bubbles: true }));
     document.querySelector("[data-testid=command-submit]").click();`,
    `document.querySelector('[data-testid=log-row][data-position="100000"]')`,
  );
  report("submit → its row rendered at 100,000 facts", submitMs, "ms");
  const frames = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const log = document.querySelector("[data-testid=log]");
        log.scrollTop = 0;
        const times = [];
        let last = performance.now();
        let n = 0;
        const step = (now) => {
          times.push(now - last);
          last = now;
          log.scrollTop += 2400; // 100 rows per frame
          if (++n < 240) requestAnimationFrame(step);
          else resolve(times.slice(1));
        };
        requestAnimationFrame(step);
      }),
  );
  frames.sort((a, b) => a - b);
  report("log scroll at 100,000 facts: p95 frame", frames[Math.floor(frames.length * 0.95)], "ms", {
    median_ms: frames[Math.floor(frames.length / 2)],
    frames: frames.length,
  });
  await page.close();
}

// 2. Slider move → inspector updated, at 1,000,000 facts (counter).
if (parts.includes("slider")) {
  const { page } = await open(env);
  const ms = await repeatCounter(page, 1_000_000);
  report("counter Repeat ×1,000,000: total", ms, "ms");
  report("tab memory at 1,000,000 counter facts", await tabMemory(page), "MB");
  const times = [];
  for (const position of [123_457, 500_001, 999_001, 42]) {
    times.push(
      await timeInPage(
        page,
        `const s = document.querySelector("[data-testid=timeline]"); s.value = "${position}";
         s.dispatchEvent(new Event("input", { bubbles: true }));`,
        `document.querySelector("[data-testid=inspector]").textContent.includes("${position}")`,
      ),
    );
  }
  report("slider move → inspector updated at 1,000,000 facts (worst of 4)", Math.max(...times), "ms", {
    each_ms: times.map((t) => Math.round(t * 10) / 10),
  });
  await page.close();
}

// 3. Repeat ×100,000 restaurant orders: total time and the longest task; then what
// keeping it costs: IndexedDB write time beyond the run, cold load to interactive, memory.
if (parts.includes("restaurant")) {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const { page } = await open(env, "/", { context });
  await submit(page, {
    restaurant: { create_restaurant: { restaurant_id: "big", name: "Big", capacity: 4000000000, menu: [{ item_id: "pizza", name: "Pizza", price_cents: 900 }] } },
  });
  await submit(page, { restaurant: { open: { restaurant_id: "big" } } });
  const base = await head(page);
  const longest = await watchLongTasks(page);
  const t0 = Date.now();
  await submit(page, { order: { place_order: { order_id: "o${i}", restaurant_id: "big", customer: "C${i}", items: ["pizza"] } } }, { times: 100_000 });
  await page.waitForFunction(() => !document.querySelector("[data-testid=repeat-progress], .composer-progress"), null, { timeout: 30 * 60 * 1000, polling: 500 });
  const ran = Date.now();
  const facts = await head(page);
  report("restaurant Repeat ×100,000 orders: total", ran - t0, "ms", {
    facts: facts - base,
    longest_task_ms: await longest(),
  });
  await page.waitForFunction(
    () => document.querySelector("[data-testid=saved]")?.textContent === document.querySelector("[data-testid=head]")?.textContent,
    null,
    { timeout: 30 * 60 * 1000, polling: 100 },
  );
  report("IndexedDB writes beyond the run (100,000 orders)", Date.now() - ran, "ms", { facts });
  report("tab memory with that workspace open", await tabMemory(page), "MB");
  const t1 = Date.now();
  await page.reload();
  await page.waitForFunction(
    (n) => Number(document.querySelector("[data-testid=head]")?.textContent) === n &&
      document.querySelectorAll("[data-testid=log-row]").length > 0,
    facts,
    { timeout: 10 * 60 * 1000, polling: 50 },
  );
  report("cold load of that workspace to interactive", Date.now() - t1, "ms", { facts });
  await page.close();
}

await env.close();
