// End-to-end tests of what the browser keeps: reloads that resume a saga exactly, two tabs
// on one workspace, a damaged store, files in and out, share links and the spec suite.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync, mkdtempSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  start, open, shots, scenarioCommands, submit, head, waitForHead, logRows, choose,
  download, exportedJournal, waitForSaved, freshContext, lowContrast, restaurantSession,
} from "./helpers.mjs";

let env;
before(async () => (env = await start()));
after(async () => env?.close());

test("an example flow opens from the empty log as a new workspace, kept across a reload", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  const flows = page.getByTestId("example-flow");
  const paths = await flows.evaluateAll((buttons) => buttons.map((b) => b.dataset.path));
  assert.equal(paths[0], "restaurant/happy-path.json", "the happy path first");
  assert.equal(paths.length, 9, JSON.stringify(paths));
  assert.ok(paths.every((p) => p.startsWith("restaurant/")), JSON.stringify(paths));
  const title = "The restaurant rejects an item not on its menu: refund and cancel";
  const button = page.locator('[data-testid=example-flow][data-path="restaurant/rejected-not-on-menu.json"]');
  assert.equal(await button.textContent(), title);
  // From the keyboard: the button focused, Enter.
  await button.focus();
  await page.keyboard.press("Enter");
  const picked = () => page.getByTestId("workspace-picker").evaluate((s) => s.selectedOptions[0]?.textContent ?? "");
  await page.waitForFunction((title) => document.querySelector("[data-testid=workspace-picker]")?.selectedOptions[0]?.textContent.startsWith(title), title, { timeout: 15000 });
  await waitForHead(page, 7);
  await waitForSaved(page);
  const rows = await logRows(page);
  assert.deepEqual(rows.map((r) => r.kind), ["event", "event", "event", "event", "rejection", "event", "event"]);
  assert.equal(rows.filter((r) => r.compensation).length, 2);
  assert.equal(await page.getByTestId("example-flow").count(), 0, "offered only while the log is empty");
  await page.reload();
  await page.getByTestId("domain-picker").waitFor();
  await waitForHead(page, 7);
  assert.ok((await picked()).startsWith(title), await picked());
  // Another domain offers its own.
  await choose(page, "domain-picker", "counter");
  await page.getByTestId("example-flow").first().waitFor();
  assert.deepEqual(await page.getByTestId("example-flow").evaluateAll((b) => b.map((e) => e.dataset.path)), ["counter/happy-path.json", "counter/rejections.json"]);
  assert.deepEqual(errors, []);
});

/** Queues the happy path's commands in step mode and takes `steps` steps. */
async function stepThrough(page, steps) {
  await choose(page, "run-mode", "step");
  for (const command of scenarioCommands("restaurant", "happy-path")) await submit(page, command);
  for (let i = 0; i < steps; i++) await page.getByTestId("step-button").click();
}

/** Steps until the queue is empty. */
async function finish(page) {
  for (let i = 0; i < 40 && (await page.getByTestId("queue-item").count()) > 0; i++) {
    await page.getByTestId("step-button").click();
  }
  assert.equal(await page.getByTestId("queue-item").count(), 0);
}

test("a reload in the middle of a saga resumes it exactly: same log, queue and mode, same journal", async () => {
  const reference = await open(env, "/", { context: await freshContext(env) });
  await stepThrough(reference.page, 0);
  await finish(reference.page);
  const uninterrupted = await exportedJournal(reference.page);
  for (const at of [2, 4, 6]) {
    const { page, errors } = await open(env, "/", { context: await freshContext(env) });
    await stepThrough(page, at);
    const before = { head: await head(page), queue: await page.getByTestId("queue-item").allTextContents() };
    assert.ok(before.queue.length > 0, `commands wait after ${at} steps`);
    await waitForSaved(page);
    await page.reload();
    await waitForHead(page, before.head);
    assert.deepEqual(await page.getByTestId("queue-item").allTextContents(), before.queue, "the same queue");
    assert.equal(await page.getByTestId("run-mode").inputValue(), "step", "the same mode");
    await finish(page);
    assert.deepEqual(await exportedJournal(page), uninterrupted, `byte for byte after a reload at step ${at}`);
    assert.deepEqual(errors, []);
  }
});

test("a reload in the past reopens at the same cursor, written once the slider rests or left for the next load", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  for (const command of scenarioCommands("restaurant", "happy-path")) await submit(page, command);
  await waitForSaved(page);
  const slider = page.getByTestId("timeline");
  for (const position of ["5", "4", "3"]) await slider.fill(position);
  // The workspace record says where the cursor rests (written once it stops moving).
  const stored = () => page.evaluate(() => new Promise((resolve) => {
    const request = indexedDB.open("decider-lab");
    request.onsuccess = () => {
      const all = request.result.transaction("workspaces").objectStore("workspaces").getAll();
      all.onsuccess = () => { request.result.close(); resolve(all.result.map((w) => w.settings?.cursor)); };
    };
  }));
  let cursors = await stored();
  for (let i = 0; i < 100 && !cursors.includes(3); i++) {
    await page.waitForTimeout(100);
    cursors = await stored();
  }
  assert.deepEqual(cursors, [3], "the record holds the cursor where it rests");
  const before = await head(page);
  await page.reload();
  await waitForHead(page, before);
  await page.getByTestId("past-banner").waitFor();
  assert.equal(await page.getByTestId("timeline").inputValue(), "3", "the same cursor");
  // A reload at once after a move, before the cursor rests, keeps that move too.
  await page.getByTestId("timeline").fill("2");
  await page.reload();
  await waitForHead(page, before);
  await page.getByTestId("past-banner").waitFor();
  assert.equal(await page.getByTestId("timeline").inputValue(), "2", "the cursor of the last move");
  assert.deepEqual(errors, []);
});

test("the address names the workspace and its cursor: a reload lands there after another tab opened another", async () => {
  const context = await freshContext(env);
  const first = await open(env, "/", { context });
  for (const command of scenarioCommands("restaurant", "happy-path")) await submit(first.page, command);
  await waitForSaved(first.page);
  const facts = await head(first.page);
  await first.page.getByTestId("timeline").fill("3");
  // Written with the workspace's record, once the cursor rests.
  await first.page.waitForFunction(() => /^#workspace=ws-[0-9a-f-]+&at=3$/.test(location.hash), null, { timeout: 5000 });
  const id = await first.page.getByTestId("workspace-picker").inputValue();
  assert.equal(await first.page.evaluate(() => location.hash), `#workspace=${id}&at=3`);

  // Another tab opens the same workspace (the one opened last), then starts another.
  const second = await open(env, "/", { context });
  await waitForHead(second.page, facts);
  await choose(second.page, "domain-picker", "counter");
  await submit(second.page, { increment: { by: 5, counter_id: "clicks" } });
  await waitForSaved(second.page);
  await second.page.waitForFunction((old) => location.hash.startsWith("#workspace=") && !location.hash.includes(old), id);

  // The first tab's reload lands on its own workspace, at its cursor, not on the last opened.
  await first.page.reload();
  await waitForHead(first.page, facts);
  await first.page.getByTestId("past-banner").waitFor();
  assert.equal(await first.page.getByTestId("timeline").inputValue(), "3", "the cursor the address names");
  assert.equal(await first.page.getByTestId("domain-picker").inputValue(), "restaurant");
  assert.equal(await first.page.getByTestId("workspace-picker").inputValue(), id);
  // Back to live: the address drops the cursor.
  await first.page.getByTestId("live-button").click();
  await first.page.waitForFunction((want) => location.hash === want, `#workspace=${id}`, { timeout: 5000 });

  // An address naming a workspace this browser does not hold says so and opens the one
  // opened last (this one: its record, written with the address, says when).
  await first.page.evaluate(() => { location.hash = "#workspace=ws-gone"; });
  await first.page.reload();
  const banner = first.page.getByTestId("error-banner");
  await banner.waitFor();
  assert.match(await banner.textContent(), /ws-gone.*opened last is shown/);
  await waitForHead(first.page, facts);
  assert.equal(await first.page.getByTestId("workspace-picker").inputValue(), id);

  // Only the fragment changed (an address pasted into this tab, which reloads nothing):
  // the page follows it, to the other workspace and back into this one's past.
  const other = await second.page.getByTestId("workspace-picker").inputValue();
  await first.page.evaluate((o) => { location.hash = `#workspace=${o}`; }, other);
  await first.page.waitForFunction(() => document.querySelector("[data-testid=domain-picker]").value === "counter");
  assert.equal(await first.page.getByTestId("workspace-picker").inputValue(), other);
  await first.page.evaluate((w) => { location.hash = `#workspace=${w}&at=2`; }, id);
  await first.page.getByTestId("past-banner").waitFor();
  assert.equal(await first.page.getByTestId("timeline").inputValue(), "2");
  assert.equal(await first.page.getByTestId("workspace-picker").inputValue(), id);
  // The workspace shown: only the cursor moves.
  await first.page.evaluate((w) => { location.hash = `#workspace=${w}&at=1`; }, id);
  await first.page.waitForFunction(() => document.querySelector("[data-testid=timeline]").value === "1");
  assert.equal(await first.page.getByTestId("workspace-picker").inputValue(), id);
  await first.page.evaluate(() => { location.hash = "#workspace=ws-gone-too"; });
  await first.page.locator("[data-testid=error-banner]", { hasText: "ws-gone-too" }).waitFor();
  assert.match(await banner.textContent(), /the workspace shown stays/);
  assert.equal(await first.page.getByTestId("workspace-picker").inputValue(), id);
  assert.deepEqual(second.errors, []);
});

test("a reload during Repeat ×N resumes it: every repetition once, none lost, none twice", async () => {
  // Long enough that the first reload lands mid-run and that, once the run is over, the
  // last segments are still being written: the second reload is taken in that window.
  const times = 20000;
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  const seen = [];
  page.on("console", (m) => seen.push(m.text()));
  await choose(page, "domain-picker", "counter");
  await submit(page, { increment: { counter_id: "c${i}", by: 1 } }, { times });
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=saved]")?.textContent) > 0, null, { timeout: 30000, polling: 10 });
  await page.reload();
  await page.waitForSelector("[data-testid=domain-picker]");
  await page.waitForFunction(
    (times) => Number(document.querySelector("[data-testid=head]")?.textContent) === times || !document.querySelector(".composer-progress"),
    times,
    { timeout: 60000, polling: 10 },
  );
  await page.reload();
  await page.waitForSelector("[data-testid=domain-picker]");
  // If it does not get there, say what the page shows instead.
  await waitForHead(page, times, 60000).catch(async (e) => {
    const shown = await page.evaluate(() => ({
      head: document.querySelector("[data-testid=head]")?.textContent,
      saved: document.querySelector("[data-testid=saved]")?.textContent,
      workspace: document.querySelector("[data-testid=workspace-picker]")?.selectedOptions[0]?.textContent,
      banner: document.querySelector("[data-testid=error-banner]")?.textContent,
      progress: document.querySelector(".composer-progress")?.textContent,
    }));
    throw new Error(`${e.message}; the page shows ${JSON.stringify(shown)}, console ${JSON.stringify(seen)}`);
  });
  await waitForSaved(page);
  const journal = await exportedJournal(page);
  const ids = journal.filter((e) => e.submitted).map((e) => e.submitted.command.increment.counter_id);
  assert.equal(ids.length, times, `${times} submissions`);
  assert.equal(new Set(ids).size, times, "each repetition once");
  assert.ok(ids.includes("c1") && ids.includes(`c${times}`));
  assert.deepEqual(errors, []);
});

test("a cancelled Repeat ×N stays cancelled after a reload: what it submitted is kept, nothing more", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  await choose(page, "domain-picker", "counter");
  await submit(page, { increment: { counter_id: "c${i}", by: 1 } }, { times: 100000 });
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=head]")?.textContent) > 2000, null, { timeout: 30000, polling: 10 });
  // A slow page (the CPU throttled 6×) lets the store lag behind the cancel: the record
  // that says the repeat ended may still wait behind the write under way at the reload.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 6 });
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.locator(".composer-progress").waitFor({ state: "detached" });
  const cancelled = await head(page);
  assert.ok(cancelled < 100000, `cancelled before the end: ${cancelled}`);
  // Reloaded at once, while the last submissions may still be on their way to the store.
  await page.reload();
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  await page.waitForSelector("[data-testid=domain-picker]");
  await waitForHead(page, cancelled, 30000);
  await waitForSaved(page);
  await page.waitForTimeout(300);
  assert.equal(await head(page), cancelled, "no repetition past the cancel");
  assert.equal(await page.locator(".composer-progress").count(), 0, "no repeat running");
  const ids = (await exportedJournal(page)).filter((e) => e.submitted).map((e) => e.submitted.command.increment.counter_id);
  assert.deepEqual(ids, Array.from({ length: cancelled }, (_, i) => `c${i + 1}`), "c1.. in order, each once");
  assert.deepEqual(errors, []);
});

test("two tabs on one workspace see each other's facts and nothing is lost or twice", async () => {
  const context = await freshContext(env);
  const first = await open(env, "/", { context });
  const [create, openCmd, place] = scenarioCommands("restaurant", "happy-path");
  await submit(first.page, create);
  await waitForSaved(first.page);
  const second = await open(env, "/", { context });
  await waitForHead(second.page, await head(first.page));
  // The second tab filters its log and selects a row: another tab's append keeps both.
  await choose(second.page, "log-kind-filter", "event");
  await second.page.getByTestId("log-row").first().click();
  const selected = await second.page.locator("[data-testid=log-row][aria-selected=true]").getAttribute("data-position");
  await submit(first.page, openCmd);
  await waitForHead(second.page, await head(first.page));
  assert.equal(await second.page.getByTestId("log-kind-filter").inputValue(), "event", "the filter is kept");
  assert.equal(
    await second.page.locator("[data-testid=log-row][aria-selected=true]").getAttribute("data-position"),
    selected,
    "the selection is kept",
  );
  assert.equal(await second.page.getByTestId("error-banner").count(), 0, "an append is no conflict");
  await submit(second.page, place);
  await waitForHead(first.page, await head(second.page));
  await waitForSaved(first.page);
  await waitForSaved(second.page);
  const a = await exportedJournal(first.page);
  const b = await exportedJournal(second.page);
  assert.deepEqual(a, b, "both tabs hold the same journal");
  const submitted = a.filter((e) => e.submitted).length;
  assert.equal(submitted, 3, "each command once");
  assert.deepEqual(first.errors, []);
  assert.deepEqual(second.errors, []);
});

test("a tampered journal entry opens read-only up to the last good one, says where, and deletes nothing", async () => {
  const context = await freshContext(env);
  const { page } = await open(env, "/", { context });
  for (const command of scenarioCommands("restaurant", "happy-path")) await submit(page, command);
  await waitForSaved(page);
  const stored = await page.evaluate(() => new Promise((resolve, reject) => {
    const request = indexedDB.open("decider-lab");
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction("segments", "readwrite");
      const segments = tx.objectStore("segments");
      const keys = segments.getAllKeys();
      const all = segments.getAll();
      all.onsuccess = () => {
        // The segment that holds entry 3: keys are [workspace, sequence of its first entry].
        const i = keys.result.findLastIndex(([, first]) => first <= 3);
        const [, first] = keys.result[i];
        const entry = all.result[i][3 - first];
        // A step that claims a fact at the wrong position (a fact in the stored form
        // names its position only when it is not the one its step implies).
        if (entry.step) entry.step.facts[0].position = 99;
        else entry.submitted.command_id = "not an id";
        segments.put(all.result[i], keys.result[i]);
        tx.oncomplete = () => { db.close(); resolve(all.result.flat().length); };
      };
    };
  }));
  assert.ok(stored >= 4);
  await page.reload();
  const banner = page.getByTestId("error-banner");
  await banner.waitFor();
  const text = await banner.textContent();
  assert.match(text, /3/, `names the entry's sequence: ${text}`);
  assert.match(text, /\$\[3\]/, `and its JSON path: ${text}`);
  assert.ok(await page.getByTestId("command-submit").isDisabled(), "read-only");
  await page.getByTestId("workspace-keep-good").waitFor();
  await page.getByTestId("workspace-export-raw").waitFor();
  const left = await page.evaluate(() => new Promise((resolve) => {
    const request = indexedDB.open("decider-lab");
    request.onsuccess = () => {
      const all = request.result.transaction("segments").objectStore("segments").getAll();
      all.onsuccess = () => resolve(all.result.flat().length);
    };
  }));
  assert.equal(left, stored, "nothing stored was deleted");
  await page.screenshot({ path: shots + "damaged.png" });
});

test("an exported scenario passes decider check unchanged; importing it makes a new workspace", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  for (const command of scenarioCommands("restaurant", "rejected-not-on-menu")) await submit(page, command);
  const file = await download(page, "export-scenario");
  assert.match(file.name, /\.json$/);
  const dir = mkdtempSync(join(tmpdir(), "decider-e2e-"));
  const path = join(dir, file.name);
  writeFileSync(path, file.text);
  const cli = new URL("../../target/debug/decider", import.meta.url).pathname;
  if (existsSync(cli)) {
    execFileSync(cli, ["check", path], { stdio: "pipe" });
  }
  const other = await open(env, "/", { context: await freshContext(env) });
  await other.page.getByTestId("import-file").setInputFiles(path);
  await waitForHead(other.page, await head(page));
  const rows = await logRows(other.page);
  assert.ok(rows.some((r) => r.kind === "rejection"));
  const bad = join(dir, "bad.json");
  writeFileSync(bad, "\uFEFF" + file.text.replace('"steps"', '"steps": [], "steps"'));
  await other.page.getByTestId("import-file").setInputFiles(bad);
  const banner = other.page.getByTestId("error-banner");
  await banner.waitFor();
  assert.match(await banner.textContent(), /steps/, "the duplicate key is named");
  assert.deepEqual(errors, []);
});

/** Drops a file named `name` holding `text` on the page, as a person drags one in. */
function dropFile(page, name, text) {
  return page.evaluate(([name, text]) => {
    const data = new DataTransfer();
    data.items.add(new File([text], name, { type: "application/json" }));
    for (const type of ["dragenter", "dragover", "drop"]) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }, [name, text]);
}

test("a scenario dropped on the page is imported", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  const text = JSON.stringify({
    format: "decider-lab/scenario", version: 1, domain: "counter", title: "dropped",
    steps: [{ command: { increment: { counter_id: "d", by: 2 } } }],
  });
  await dropFile(page, "dropped.json", text);
  await waitForHead(page, 1);
  assert.equal(await page.getByTestId("domain-picker").inputValue(), "counter");
  assert.deepEqual(errors, []);
});

test("an imported scenario that fails on a refusal says why it was refused, in the spec suite", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  const text = JSON.stringify({
    format: "decider-lab/scenario", version: 1, domain: "counter", title: "one too many",
    steps: [
      { command: { increment: { counter_id: "d", by: 1000 } } },
      { command: { increment: { counter_id: "d", by: 1 } },
        expect: { events: [{ incremented: { counter_id: "d", by: 1 } }], rejections: [] } },
    ],
  });
  await dropFile(page, "one-too-many.json", text);
  await waitForHead(page, 2);
  await page.getByTestId("specs-button").click();
  const row = page.locator("[data-testid=spec-row][data-title='one too many']");
  await page.waitForFunction(() =>
    document.querySelector("[data-testid=spec-row][data-title='one too many']")?.dataset.status === "fail",
  null, { timeout: 60000 });
  await row.locator("summary").first().click();
  const why = row.getByTestId("spec-why");
  assert.equal(await why.count(), 2, "the events and the rejections both name it");
  assert.match(await why.first().textContent(),
    /#1 above_max in counter-d at v1: refused since #0 incremented \(accepted before it\)/);
  await why.last().scrollIntoViewIfNeeded();
  await page.screenshot({ path: shots + "specs-why.png" });
  assert.deepEqual(errors, []);
});

test("a share link opens the scenario read-only in a fresh browser, and it can be saved", async () => {
  const { page } = await open(env, "/", { context: await freshContext(env) });
  for (const command of scenarioCommands("restaurant", "happy-path")) await submit(page, command);
  const facts = await head(page);
  await page.getByTestId("share-button").click();
  const link = await page.getByTestId("share-link").inputValue();
  assert.match(link, /#scenario=/);
  const url = new URL(link);
  const other = await open(env, "/" + url.hash, { context: await freshContext(env) });
  await waitForHead(other.page, facts);
  assert.ok(await other.page.getByTestId("command-submit").isDisabled(), "read-only");
  // Nothing is on its way to the store until it is saved: not "pending".
  const saved = await other.page.getByTestId("saved").locator("..").textContent();
  assert.match(saved, new RegExp(`${facts} not saved`), saved);
  assert.doesNotMatch(saved, /pending/, saved);
  await other.page.getByTestId("workspace-save-shared").click();
  await other.page.waitForFunction(() => !document.querySelector("[data-testid=command-submit]").disabled);
  // Saved, the address names the new workspace instead of the link.
  await other.page.waitForFunction(() => /^#workspace=ws-[0-9a-f-]+$/.test(location.hash));
  assert.deepEqual(other.errors, []);
  // The link pasted into a tab that shows the page already (only the fragment changes,
  // which loads nothing) opens it as well.
  assert.equal(await page.getByTestId("workspace-save-shared").count(), 0);
  await page.evaluate((fragment) => { location.hash = fragment; }, url.hash);
  await page.getByTestId("workspace-save-shared").waitFor({ timeout: 15000 });
  await waitForHead(page, facts);
  assert.ok(await page.getByTestId("command-submit").isDisabled(), "read-only");
});

test("share says whether its link went to the clipboard", async () => {
  const context = await freshContext(env);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { page, errors } = await open(env, "/", { context });
  await submit(page, scenarioCommands("restaurant", "happy-path")[0]);
  await page.getByTestId("share-button").click();
  await page.getByTestId("share-copied").waitFor();
  assert.equal(await page.getByTestId("share-copied").textContent(), "✔ copied");
  const link = await page.getByTestId("share-link").inputValue();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, "the link is in the clipboard");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the share link's field keeps the workspace bar on one line at 1280 px, copied or not", async () => {
  for (const granted of [true, false]) {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    if (granted) await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    // A browser that refuses the clipboard: the longer note.
    else await context.addInitScript(() => (Clipboard.prototype.writeText = () => Promise.reject(new Error("refused"))));
    const { page, errors } = await open(env, "/", { context });
    await submit(page, scenarioCommands("restaurant", "happy-path")[0]);
    await waitForSaved(page);
    const bar = () => page.locator(".workspaces").evaluate((b) => b.getBoundingClientRect().height);
    const panels = () => page.locator(".panels").evaluate((p) => p.getBoundingClientRect().top);
    const [height, top] = [await bar(), await panels()];
    await page.getByTestId("share-button").click();
    await page.getByTestId("share-copied").waitFor();
    const said = await page.getByTestId("share-copied").textContent();
    assert.equal(said.startsWith("✔"), granted, said);
    assert.equal(await bar(), height, `${said}: the bar keeps its one line`);
    assert.equal(await panels(), top, `${said}: the panels stay where they were`);
    // The link and what is said of it are seen whole enough to use: in the window, the
    // field at least 12 characters wide.
    const seen = await page.evaluate(() => {
      const box = (id) => document.querySelector(`[data-testid=${id}]`).getBoundingClientRect();
      const [link, copied] = [box("share-link"), box("share-copied")];
      return { link: link.width, right: Math.max(link.right, copied.right), copiedCut: (() => {
        const c = document.querySelector("[data-testid=share-copied]");
        return c.scrollWidth > c.clientWidth;
      })() };
    });
    assert.ok(seen.link >= 12 * 7 && seen.right <= 1280 && !seen.copiedCut, JSON.stringify(seen));
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("in a narrow window the workspace bar's file buttons keep together on one line", async () => {
  for (const width of [720, 900]) {
    const context = await env.browser.newContext({ viewport: { width, height: 800 } });
    const { page, errors } = await open(env, "/", { context });
    const tops = await page.evaluate(() =>
      ["export-scenario", "export-journal", "import-file", "share-button"].map((id) => {
        const el = document.querySelector(`[data-testid=${id}]`);
        return Math.round((el.closest("label") ?? el).getBoundingClientRect().top);
      }));
    assert.equal(new Set(tops).size, 1, `${width}: one line for the four: ${tops}`);
    const picker = await page.getByTestId("workspace-picker").evaluate((p) => Math.round(p.getBoundingClientRect().top));
    assert.ok(tops[0] > picker, `${width}: below the picker's line`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("the spec suite runs every bundled scenario green", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  await page.getByTestId("specs-button").click();
  // The suite runs when the dialog opens; then again on spec-run.
  const finished = () => page.waitForFunction(() => {
    const button = document.querySelector("[data-testid=spec-run]");
    const rows = [...document.querySelectorAll("[data-testid=spec-row]")];
    const done = rows.length > 0 && !button.disabled &&
      rows.every((r) => !["pending", "running"].includes(r.dataset.status));
    return done && rows.map((r) => `${r.dataset.title}:${r.dataset.status}`);
  }, null, { timeout: 60000 }).then((handle) => handle.jsonValue());
  await finished();
  await page.getByTestId("spec-run").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=spec-run]").disabled ||
    document.querySelector("[data-testid=spec-row][data-status=pending]"), null, { timeout: 5000 }).catch(() => {});
  const statuses = await finished();
  assert.ok(statuses.length >= 20, statuses.join(", "));
  assert.ok(statuses.every((s) => s.endsWith(":pass")), statuses.join(", "));
  await page.screenshot({ path: shots + "specs.png" });
  assert.deepEqual(errors, []);
});

test("a database from a newer version is left alone: the page says so and works without saving", async () => {
  const context = await freshContext(env);
  const { page } = await open(env, "/", { context });
  await page.evaluate(() => new Promise((resolve, reject) => {
    const request = indexedDB.open("decider-lab", 99);
    request.onsuccess = () => { request.result.close(); resolve(); };
    request.onerror = () => reject(request.error);
  }));
  const reopened = await open(env, "/", { context });
  const banner = reopened.page.getByTestId("error-banner");
  await banner.waitFor();
  assert.match(await banner.textContent(), /newer/i);
  await submit(reopened.page, { restaurant: { open: { restaurant_id: "x" } } });
  await waitForHead(reopened.page, 1);
  const version = await reopened.page.evaluate(() => new Promise((resolve) => {
    const request = indexedDB.open("decider-lab");
    request.onsuccess = () => { resolve(request.result.version); request.result.close(); };
  }));
  assert.equal(version, 99, "the newer database is untouched");
});

test("without IndexedDB (private mode) the page works and says nothing is saved", async () => {
  const context = await freshContext(env);
  await context.addInitScript(() => {
    Object.defineProperty(window, "indexedDB", { get() { throw new DOMException("The user denied permission to access the database.", "SecurityError"); } });
  });
  const { page } = await open(env, "/", { context });
  const banner = page.getByTestId("error-banner");
  await banner.waitFor();
  assert.match(await banner.textContent(), /IndexedDB/);
  await submit(page, { restaurant: { open: { restaurant_id: "x" } } });
  await waitForHead(page, 1);
});

test("a fork is kept with its parent and position, and still says so after a reload", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  for (const command of scenarioCommands("restaurant", "happy-path")) await submit(page, command);
  await waitForSaved(page);
  await page.getByTestId("timeline").fill("3");
  await page.getByTestId("fork-button").click();
  await waitForHead(page, 3);
  await page.locator(".fork-badge", { hasText: "fork @ 3" }).waitFor();
  await waitForSaved(page);
  await page.reload();
  await page.waitForSelector("[data-testid=domain-picker]");
  await waitForHead(page, 3);
  await page.locator(".fork-badge", { hasText: "fork @ 3" }).waitFor({ timeout: 15000 });
  assert.match(await page.getByTestId("workspace-picker").locator("option:checked").textContent(), /fork @3/);
  assert.deepEqual(errors, []);
});

test("without it: a flow's command never submitted, every other replayed, kept as a fork and compared", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  const [create, openIt] = scenarioCommands("restaurant", "happy-path");
  const created = structuredClone(create);
  created.restaurant.create_restaurant.capacity = 1;
  await submit(page, created);
  await submit(page, openIt);
  const order = (id) => ({ order: { place_order: { order_id: id, restaurant_id: "luigi", customer: "Ada", items: ["margherita"] } } });
  await submit(page, order("o1"));
  await submit(page, order("o2"));
  await waitForSaved(page);
  const before = await logRows(page);
  assert.ok(before.some((r) => r.stream === "restaurant-luigi" && r.kind === "rejection"), "o2 finds the kitchen full");
  const original = await page.getByTestId("workspace-picker").inputValue();
  // o1's flow in the trace, then without it.
  await page.locator("[data-testid=log-row][data-stream=order-o1]").first().click();
  await page.getByTestId("trace-without").click();
  await page.waitForFunction(() => / · without order\.place_order o1 · luigi · customer Ada/.test(document.querySelector("[data-testid=workspace-picker]")?.selectedOptions[0]?.textContent ?? ""), null, { timeout: 15000 });
  await waitForSaved(page);
  const after = await logRows(page);
  assert.ok(after.every((r) => !r.stream.endsWith("o1")), JSON.stringify(after));
  assert.ok(after.every((r) => r.kind === "event"), "o2 is accepted now: " + JSON.stringify(after));
  assert.ok(after.some((r) => r.stream === "order-o2"));
  assert.notEqual(await page.getByTestId("workspace-picker").inputValue(), original);
  // Compared with its original: they part where o1 was submitted.
  await page.getByTestId("compare-button").click();
  const dialog = page.getByTestId("compare");
  const summary = dialog.getByTestId("compare-summary");
  await summary.waitFor({ timeout: 15000 });
  assert.match(await dialog.getByTestId("compare-with").locator("option:checked").textContent(), /its original/);
  assert.equal(await summary.getAttribute("data-shared"), "2");
  await page.keyboard.press("Escape");
  assert.deepEqual(errors, []);
});

test("a long branch a slice a frame: without it and fork from here say how far they are, a click or Esc stops them, started again they end", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  const facts = await restaurantSession(page, 1500);
  const original = await page.getByTestId("workspace-picker").inputValue();
  const picked = () => page.evaluate(() => document.querySelector("[data-testid=workspace-picker]")?.selectedOptions[0]?.textContent ?? "");
  // o1's first fact (the log shows it once the timeline is back there).
  await page.getByTestId("timeline").fill("3");
  await page.locator("[data-testid=log-row][data-position='2']").click();
  // Every label the button `testid` shows, and with `stop` ("click" or "escape") a click
  // on it or an Esc at the first that says how far the branch is (in the same task:
  // before the next slice runs).
  const watch = (testid, stop) => page.evaluate(([testid, stop]) => {
    const b = document.querySelector(`[data-testid=${testid}]`);
    window.__labels = [];
    window.__stopped = false;
    window.__watching?.disconnect();
    window.__watching = new MutationObserver(() => {
      window.__labels.push(b.textContent + " | " + b.getAttribute("aria-busy") + " | " + b.title);
      if (stop && !window.__stopped && /%$/.test(b.textContent)) {
        window.__stopped = true;
        if (stop === "click") b.click();
        else document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
      }
    });
    window.__watching.observe(b, { childList: true, subtree: true, characterData: true, attributes: true });
  }, [testid, stop]);
  const percents = async () => (await page.evaluate(() => window.__labels)).map((l) => /(\d+) %/.exec(l)?.[1]).filter(Boolean).map(Number);

  const button = page.getByTestId("trace-without");
  await watch("trace-without", "click");
  await button.click();
  await page.waitForFunction(() => window.__stopped && document.querySelector("[data-testid=trace-without]")?.textContent === "⊘ without it");
  const progress = (await page.evaluate(() => window.__labels)).find((l) => /%/.test(l));
  assert.match(progress, /^◌ replaying… (\d+) % \| true \| Replaying the session without this flow: \1 %\. Click \(or Esc\) to stop\.$/);
  assert.equal(await button.getAttribute("aria-busy"), "false");
  assert.equal(await page.getByTestId("workspace-picker").inputValue(), original, "stopped, the workspace stays");
  assert.equal(await head(page), facts);
  // Started again, it runs to its end, a slice of commands a frame.
  await watch("trace-without", false);
  await button.click();
  await page.waitForFunction(() => / · without /.test(document.querySelector("[data-testid=workspace-picker]")?.selectedOptions[0]?.textContent ?? ""), null, { timeout: 120000 });
  const replayed = await percents();
  assert.ok(replayed.length >= 2, "more than one slice: " + replayed);
  assert.deepEqual(replayed, [...replayed].sort((a, b) => a - b), "it only goes forward");
  assert.equal(await head(page), facts - 5, "o1's five facts are gone");
  assert.notEqual(await page.getByTestId("workspace-picker").inputValue(), original);
  const without = await page.getByTestId("workspace-picker").inputValue();

  // A fork from near the head: its past folded a slice a frame, in the banner's button.
  const at = facts - 100;
  await page.getByTestId("timeline").fill(String(at));
  const fork = page.getByTestId("fork-button");
  // Stopped by Esc this time.
  await watch("fork-button", "escape");
  await fork.click();
  await page.waitForFunction(() => window.__stopped && document.querySelector("[data-testid=fork-button]")?.textContent === "⎇ fork from here");
  const forking = (await page.evaluate(() => window.__labels)).find((l) => /%/.test(l));
  assert.match(forking, /^◌ forking… (\d+) % \| true \| Making the fork: \1 %\. Click \(or Esc\) to stop\.$/);
  assert.equal(await page.getByTestId("workspace-picker").inputValue(), without, "stopped, no fork");
  await watch("fork-button", false);
  await fork.click();
  await page.waitForFunction((without) => document.querySelector("[data-testid=workspace-picker]")?.value !== without, without, { timeout: 120000 });
  const folded = await percents();
  assert.ok(folded.length >= 2, "more than one slice: " + folded);
  assert.equal(await head(page), at);
  assert.match(await picked(), /fork @/, "named a fork");
  assert.deepEqual(errors, []);
});

test("a fork side by side with its original and with a sibling fork: where they part, their facts, what differs at the heads", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  const [create, openIt, place, prepared] = scenarioCommands("restaurant", "happy-path");
  await submit(page, create);
  await submit(page, openIt);
  await waitForSaved(page);
  const forkedAt = await head(page);
  await submit(page, place);
  await submit(page, prepared);
  await waitForSaved(page);
  const originalHead = await head(page);
  const original = await page.getByTestId("workspace-picker").inputValue();
  assert.equal(await page.getByTestId("compare-button").count(), 0, "nothing of its domain to compare with");
  await page.getByTestId("timeline").fill(String(forkedAt));
  await page.getByTestId("fork-button").click();
  await waitForHead(page, forkedAt);
  const [, , notOnMenu] = scenarioCommands("restaurant", "rejected-not-on-menu");
  await submit(page, notOnMenu);
  await waitForSaved(page);
  const forkHead = await head(page);
  assert.ok(forkHead > forkedAt);

  await page.getByTestId("compare-button").click();
  const dialog = page.getByTestId("compare");
  const summary = dialog.getByTestId("compare-summary");
  await summary.waitFor({ timeout: 15000 });
  assert.match(await dialog.getByTestId("compare-with").locator("option:checked").textContent(), /its original/);
  assert.equal(await summary.getAttribute("data-shared"), String(forkedAt), "they part where the fork was made");
  assert.match(await summary.textContent(), new RegExp(`: ${originalHead} facts`));
  const rows = await dialog.getByTestId("compare-row").evaluateAll((rows) => rows.map((r) => ({
    position: Number(r.dataset.position),
    alike: r.dataset.alike === "true",
    theirs: r.querySelector("[data-side=theirs]").textContent,
    ours: r.querySelector("[data-side=ours]").textContent,
  })));
  assert.deepEqual(rows.map((r) => r.position), Array.from({ length: Math.max(originalHead, forkHead) - forkedAt }, (_, i) => forkedAt + i));
  assert.equal(rows[0].alike, false);
  assert.match(rows[0].theirs, /order-o1/, "the original placed o1 there");
  assert.match(rows[0].ours, /order-o2/, "the fork placed o2 there");
  assert.ok(rows.some((r) => /not_on_menu/.test(r.ours)), "the fork's refusal is in its column");
  // Every part that differs is listed; the original's order is only there.
  const parts = await dialog.getByTestId("compare-difference").evaluateAll((buttons) =>
    buttons.map((b) => ({ part: b.dataset.part, text: b.textContent })));
  assert.ok(parts.some((p) => p.part === "view"), "the view differs");
  const onlyOriginal = parts.findIndex((p) => /order-o1/.test(p.text));
  assert.ok(onlyOriginal >= 0 && /only there/.test(parts[onlyOriginal].text), JSON.stringify(parts));
  await dialog.getByTestId("compare-difference").nth(onlyOriginal).click();
  const detail = dialog.getByTestId("compare-detail");
  assert.equal(await detail.getAttribute("data-label"), "order-o1");
  assert.match(await detail.locator("[data-side=ours]").textContent(), /No such stream/);
  assert.match(await detail.locator("[data-side=theirs]").textContent(), /Ada/);
  assert.deepEqual(await lowContrast(page), [], "the comparison is readable");
  await page.screenshot({ path: `${shots}compare.png` });
  await page.emulateMedia({ colorScheme: "dark" });
  assert.deepEqual(await lowContrast(page), [], "the comparison is readable in the dark scheme");
  await page.emulateMedia({ colorScheme: "light" });
  // Keyboard: Esc closes it and gives the focus back to the button.
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "compare-button");
  // A fact of the workspace shown selects it in the log (and closes the comparison); the
  // facts are one Tab stop, ↓ and ↑ go between them.
  await page.getByTestId("compare-button").click();
  await summary.waitFor({ timeout: 15000 });
  assert.equal(await dialog.locator("[data-testid=compare-select][tabindex='0']").count(), 1, "one Tab stop");
  await dialog.getByTestId("compare-select").first().focus();
  await page.keyboard.press("ArrowDown");
  const focusedRow = () => page.evaluate(() => document.activeElement?.closest("[data-testid=compare-row]")?.dataset.position);
  assert.equal(await focusedRow(), String(forkedAt + 1));
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  await page.locator(`[data-testid=log-row][data-position="${forkedAt + 1}"][aria-selected=true]`).waitFor();
  await page.getByTestId("compare-button").click();
  await dialog.getByTestId("compare-select").first().click();
  await dialog.waitFor({ state: "detached" });
  await page.locator(`[data-testid=log-row][data-position="${forkedAt}"][aria-selected=true]`).waitFor();

  // A second fork of the original, two facts later, against the first: siblings part
  // where the first was made.
  await choose(page, "workspace-picker", original);
  await waitForHead(page, originalHead);
  await page.getByTestId("timeline").fill(String(forkedAt + 2));
  await page.getByTestId("fork-button").click();
  await waitForHead(page, forkedAt + 2);
  await waitForSaved(page);
  await page.getByTestId("compare-button").click();
  await summary.waitFor({ timeout: 15000 });
  assert.equal(await summary.getAttribute("data-shared"), String(forkedAt + 2), "alike with its original up to its fork");
  const sibling = await dialog.getByTestId("compare-with").locator("option", { hasText: "a fork of the same original" }).getAttribute("value");
  await dialog.getByTestId("compare-with").selectOption(sibling);
  await dialog.locator(`[data-testid=compare-summary][data-shared="${forkedAt}"]`).waitFor({ timeout: 15000 });
  assert.equal(await dialog.getByTestId("compare-row").first().getAttribute("data-alike"), "false");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });

  // A long divergence is drawn 200 positions at a time.
  const manyOrders = { order: { place_order: { order_id: "r${i}", restaurant_id: "luigi", customer: "R${i}", items: ["margherita"] } } };
  await submit(page, manyOrders, { times: 60 });
  await page.waitForFunction(() => !document.querySelector(".composer-progress"), null, { timeout: 60000 });
  await waitForSaved(page);
  const longHead = await head(page);
  await page.getByTestId("compare-button").click();
  await summary.waitFor({ timeout: 15000 });
  // The fork's queued saga commands ran as the original's did: they part later than #4.
  const positions = Math.max(longHead, originalHead) - Number(await summary.getAttribute("data-shared"));
  assert.ok(positions > 200, `${positions} positions`);
  assert.equal(await dialog.getByTestId("compare-row").count(), 200, "a page at first");
  await dialog.getByTestId("compare-more-facts").click();
  assert.equal(await dialog.getByTestId("compare-row").count(), positions, "then the rest");
  assert.equal(await dialog.getByTestId("compare-more-facts").count(), 0);
  assert.deepEqual(errors, []);
});

test("a number beyond what a JS number holds (the transfer's overflow example) is saved exactly", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  await choose(page, "domain-picker", "transfer");
  // Typed as the file has them: JSON.parse rounds u64::MAX to 18446744073709552000.
  for (const command of scenarioCommands("transfer", "credit-refused-overflow")) {
    await submit(page, JSON.stringify(command).replaceAll("18446744073709552000", "18446744073709551615"));
  }
  await waitForSaved(page);
  // The file's text, not its value: JSON.parse would round the number itself.
  const [before, facts] = [(await download(page, "export-journal")).text, await head(page)];
  assert.match(before, /18446744073709551615/, "the journal holds u64::MAX");
  await page.reload();
  await page.waitForSelector("[data-testid=domain-picker]");
  await waitForHead(page, facts);
  assert.equal((await download(page, "export-journal")).text, before, "the same journal after a reload");
  assert.equal(await page.getByTestId("error-banner").count(), 0);
  assert.deepEqual(errors, []);
});

test("a full storage quota says so, draws the unsaved rows as pending, and loses nothing", async () => {
  const { page } = await open(env, "/", { context: await freshContext(env) });
  const [create, openCmd, place] = scenarioCommands("restaurant", "happy-path");
  await submit(page, create);
  await waitForSaved(page);
  const saved = await head(page);
  assert.equal(await page.locator("[data-testid=log-row][data-pending=true]").count(), 0, "all committed");
  // From now on the browser refuses to store anything, as when the quota is used up.
  await page.evaluate(() => {
    const full = () => { throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); };
    IDBObjectStore.prototype.add = full;
    IDBObjectStore.prototype.put = full;
  });
  await submit(page, openCmd);
  await submit(page, place);
  const banner = page.getByTestId("error-banner");
  await banner.waitFor();
  assert.match(await banner.textContent(), /quota/i, "says what");
  assert.equal(Number(await page.getByTestId("saved").textContent()), saved, "nothing more is counted saved");
  const rows = await page.$$eval("[data-testid=log-row]", (rows) =>
    rows.map((r) => ({ position: Number(r.dataset.position), pending: r.dataset.pending === "true" })));
  assert.ok(rows.length > saved, "the new facts are shown");
  for (const row of rows) assert.equal(row.pending, row.position >= saved, `row ${row.position}`);
  assert.deepEqual(await lowContrast(page), [], "the pending rows stay readable");
  const journal = await exportedJournal(page);
  assert.equal(journal.filter((e) => e.submitted).length, 3, "the tab lost nothing: it can still be exported");
});

test("the explorer finds what a refused refund leaves broken, shrinks the run and opens it as a workspace", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  await waitForSaved(page);
  const dialog = page.getByTestId("explore");
  // The counter declares no invariants: nothing to explore, and the dialog says so.
  await choose(page, "domain-picker", "counter");
  await page.locator("body").focus();
  await page.keyboard.press("x");
  assert.equal(await dialog.getAttribute("role"), "dialog");
  assert.match(await dialog.getByTestId("explore-none").textContent(), /declares no invariants/);
  assert.equal(await dialog.getByTestId("explore-start").count(), 0);
  await page.keyboard.press("x");
  await dialog.waitFor({ state: "detached" });
  await page.getByTestId("explore-button").click();
  await dialog.waitFor();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  await choose(page, "domain-picker", "transfer");
  await page.getByTestId("explore-button").click();
  await dialog.waitFor();
  // What is checked and what is made to fail, in the domain's words.
  const invariants = await dialog.getByTestId("explore-invariant").allTextContents();
  assert.equal(invariants.length, 4, JSON.stringify(invariants));
  assert.equal(invariants[0], "✔ Every requested transfer finishes, completed or failed.");
  assert.match(await dialog.getByTestId("explore-fails").textContent(), /frozen/);
  assert.match(await dialog.getByTestId("explore-fails-unhandled").textContent(), /refund of a failed transfer is refused/);
  // As the domain allows (debits and credits refused): every invariant holds.
  await dialog.getByTestId("explore-runs").fill("60");
  await dialog.getByTestId("explore-start").click();
  const result = dialog.getByTestId("explore-result");
  await result.waitFor({ timeout: 30000 });
  assert.equal(await result.getAttribute("data-outcome"), "held");
  assert.match(await dialog.getByTestId("explore-tally").textContent(), /^60 runs · [\d,]+ commands · [\d,]+ facts · [1-9][\d,]* faults injected/);
  // A refund refused too: the money debited stays nowhere; the run is shrunk.
  await dialog.getByTestId("explore-unhandled").check();
  await dialog.getByTestId("explore-runs").fill("500");
  await dialog.getByTestId("explore-start").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=explore-result]")?.dataset.outcome === "broken", null, { timeout: 30000 });
  const broken = await dialog.getByTestId("explore-broken").textContent();
  assert.match(broken, /Broken: \S+ failed: (\d+) debited, 0 credited, 0 refunded/);
  const moves = dialog.getByTestId("explore-move");
  assert.ok((await moves.count()) >= 2, "an account opened and a transfer requested");
  const faults = (await moves.evaluateAll((items) => items.map((m) => Number(m.dataset.faults)))).reduce((a, b) => a + b, 0);
  assert.ok(faults >= 1, "a refund made to fail");
  assert.match(await dialog.getByTestId("explore-failed").first().textContent(), /made to fail\s*account\.refund\s*issued by transfer\s*✘ \{"account":"closed"\}/);
  assert.match(await moves.last().textContent(), /transfer\.request_transfer/);
  assert.deepEqual(await lowContrast(page), [], "the explorer is readable");
  await page.screenshot({ path: `${shots}explore.png` });
  await page.emulateMedia({ colorScheme: "dark" });
  assert.deepEqual(await lowContrast(page), [], "the explorer is readable in the dark scheme");
  await page.emulateMedia({ colorScheme: "light" });
  // Kept as a scenario (format 1.2, the refund's step a fault) that decider check passes.
  const kept = await download(page, "explore-scenario");
  assert.match(kept.name, /^Explored-.*\.json$/);
  const keptScenario = JSON.parse(kept.text);
  assert.equal(keptScenario.version, 1.2);
  assert.deepEqual(keptScenario.steps.flatMap((s) => s.faults ?? []).map((f) => f.rejection), [{ account: "closed" }]);
  const keptPath = join(mkdtempSync(join(tmpdir(), "decider-e2e-")), kept.name);
  writeFileSync(keptPath, kept.text);
  const cli = new URL("../../target/debug/decider", import.meta.url).pathname;
  if (existsSync(cli)) execFileSync(cli, ["check", keptPath], { stdio: "pipe" });
  // Opened as a new workspace: the shrunk run, its injected refusal in the log.
  await dialog.getByTestId("explore-open").click();
  await dialog.waitFor({ state: "detached" });
  await page.waitForFunction(() => /^Explored: /.test(document.querySelector("[data-testid=workspace-picker]")?.selectedOptions[0]?.textContent ?? ""), null, { timeout: 15000 });
  await waitForSaved(page);
  const rows = await logRows(page);
  assert.ok(rows.some((r) => r.kind === "rejection" && r.injected), JSON.stringify(rows));
  assert.equal(await page.getByTestId("domain-picker").inputValue(), "transfer");
  // Exported as a scenario of format 1.2: the refund's step made to fail is a fault.
  const exported = JSON.parse((await download(page, "export-scenario")).text);
  assert.equal(exported.version, 1.2);
  const scenarioFaults = exported.steps.flatMap((s) => s.faults ?? []);
  assert.deepEqual(scenarioFaults.map((f) => f.rejection), [{ account: "closed" }]);
  assert.deepEqual(errors, []);
});

test("the explorer starts from the workspace's facts when asked, and the shrunk run keeps them", async () => {
  const { page, errors } = await open(env, "/", { context: await freshContext(env) });
  await choose(page, "domain-picker", "transfer");
  for (const [id, owner] of [["alice", "Alice"], ["bob", "Bob"]]) {
    await submit(page, { account: { open_account: { account_id: id, owner, balance_cents: 5000 } } });
  }
  await waitForHead(page, 2);
  await waitForSaved(page);
  const before = await logRows(page);
  const dialog = page.getByTestId("explore");
  const label = dialog.locator("label", { has: page.getByTestId("explore-from-here") });
  // In the past, the facts up to the cursor are offered.
  await page.locator("body").focus();
  await page.keyboard.press("ArrowLeft");
  await page.getByTestId("past-banner").waitFor();
  const cursor = Number(await page.getByTestId("timeline").inputValue());
  await page.keyboard.press("x");
  await dialog.waitFor();
  assert.equal(await label.textContent(), `start every run from this workspace at the cursor (its first ${cursor} fact${cursor === 1 ? "" : "s"})`);
  assert.equal(await dialog.getByTestId("explore-from-here").isChecked(), false, "a new engine unless asked");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  await page.keyboard.press("End");
  await page.getByTestId("past-banner").waitFor({ state: "detached" });
  // Live: every fact; a refused refund breaks an invariant on top of them.
  await page.getByTestId("explore-button").click();
  assert.equal(await label.textContent(), "start every run from this workspace (2 facts)");
  await dialog.getByTestId("explore-from-here").check();
  await dialog.getByTestId("explore-unhandled").check();
  await dialog.getByTestId("explore-runs").fill("500");
  await dialog.getByTestId("explore-start").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=explore-result]")?.dataset.outcome === "broken", null, { timeout: 30000 });
  assert.match(await dialog.getByTestId("explore-shrunk").textContent(), /after this workspace's 2 facts:$/);
  const moves = await dialog.getByTestId("explore-move").allTextContents();
  assert.ok(moves.length >= 1, JSON.stringify(moves));
  assert.match(moves.at(-1), /transfer\.request_transfer/);
  await page.screenshot({ path: `${shots}explore-from-here.png` });
  // Opened, the new workspace starts with the facts the runs started from.
  await dialog.getByTestId("explore-open").click();
  await dialog.waitFor({ state: "detached" });
  await page.waitForFunction(() => /^Explored: /.test(document.querySelector("[data-testid=workspace-picker]")?.selectedOptions[0]?.textContent ?? ""), null, { timeout: 15000 });
  await waitForSaved(page);
  const rows = await logRows(page);
  assert.ok(rows.length > before.length);
  const same = (r) => [r.position, r.stream, r.kind, r.origin];
  assert.deepEqual(rows.slice(0, before.length).map(same), before.map(same));
  assert.ok(rows.some((r) => r.kind === "rejection" && r.injected), JSON.stringify(rows));
  assert.deepEqual(errors, []);
});
