// End-to-end tests of the playground: the `trunk build --release` output in dist/, served
// on 127.0.0.1 and driven in headless Chromium through its data-testids and the keyboard.
// Run by `cargo xtask test` as `node --test tests/e2e/` with DIST_DIR set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  start, open, shots, scenarioCommands, submit, fillCommand, head, waitForHead, logRows, choose,
  lowContrast,
} from "./helpers.mjs";

let env;
before(async () => (env = await start()));
after(async () => env?.close());

test("the page opens on the restaurant domain with an empty session that says what to do", async () => {
  const { page, errors } = await open(env);
  assert.equal(await page.getByTestId("domain-picker").inputValue(), "restaurant");
  assert.equal(await head(page), 0);
  const log = await page.getByTestId("log").textContent();
  assert.match(log, /example/i, "the empty log points at the example commands");
  assert.equal(await page.getByTestId("past-banner").count(), 0);
  await page.screenshot({ path: shots + "empty.png" });
  assert.deepEqual(errors, []);
});

test("the not-on-menu scenario typed command by command shows the rejection and its compensation", async () => {
  const { page, errors } = await open(env);
  await notOnMenu(page);
  const rows = await logRows(page);
  const rejection = rows.find((r) => r.kind === "rejection");
  assert.ok(rejection, "a rejection row");
  assert.equal(rejection.origin, "fulfilment");
  assert.match(rejection.stream, /^restaurant-/);
  const compensations = rows.filter((r) => r.compensation);
  assert.ok(compensations.length >= 2, `refund and cancel marked as compensation: ${JSON.stringify(rows)}`);
  assert.ok(compensations.some((r) => r.stream.startsWith("payment-")), "the refund");
  assert.ok(compensations.some((r) => r.stream.startsWith("order-")), "the cancellation");
  assert.ok(rows.every((r) => !r.injected));
  const kinds = await page.$$eval("[data-testid=trace-node]", (nodes) =>
    nodes.map((n) => `${n.dataset.kind}:${n.dataset.compensation}`));
  assert.ok(kinds.includes("rejection:false"), `trace: ${kinds}`);
  assert.ok(kinds.includes("command:true") && kinds.includes("event:true"), `trace: ${kinds}`);
  assert.match(await page.getByTestId("inspector").textContent(), /cancel/i);
  // At 1440 px the log's stream cell holds each of this flow's ids whole
  // (`restaurant-luigi` is the longest): none is split or cut.
  const cut = await page.$$eval("[data-testid=log-row] .log-stream", (cells) => cells
    .filter((c) => c.querySelector(".log-stream-split") || c.scrollWidth > c.clientWidth + 1)
    .map((c) => c.textContent));
  assert.deepEqual(cut, [], "every stream id whole at 1440 px");
  await page.screenshot({ path: shots + "compensation.png" });
  // Selecting the rejection travels to it; at 1440×900 its whole five-lane flow is seen
  // without scrolling the trace, though the past banner covers the panel's foot.
  await page.locator("[data-testid=log-row][data-kind=rejection]").click();
  await page.getByTestId("past-banner").waitFor();
  const nodes = await page.$$eval("[data-testid=trace-node]", (n) => n.map((e) => e.textContent));
  const boxes = await inSight(page, "[data-testid=trace-node]");
  assert.deepEqual(nodes.filter((_, i) => !boxes[i]), [], "every node of the flow is in sight");
  assert.deepEqual(errors, []);
});

test("an invalid command shows command-error with its JSON path and submits nothing", async () => {
  const { page, errors } = await open(env);
  await fillCommand(page, { order: { place_order: { customer: "Ada", items: [7], order_id: "o1", restaurant_id: "luigi" } } });
  const error = page.getByTestId("command-error");
  await error.waitFor();
  assert.match(await error.textContent(), /\$\.order\.place_order\.items\[0\]/);
  assert.ok(await page.getByTestId("command-submit").isDisabled());
  await page.keyboard.press("Control+Enter");
  assert.equal(await head(page), 0);
  await fillCommand(page, "{ not json");
  await error.waitFor();
  assert.match(await error.textContent(), /line 1/);
  await page.screenshot({ path: shots + "invalid.png" });
  assert.deepEqual(errors, []);
});

/** In step mode, the happy path's order placed and stepped until the fulfilment process
 * has queued the restaurant's accept; its queue item. */
async function acceptQueued(page) {
  await choose(page, "run-mode", "step");
  const [create, openCmd, place] = scenarioCommands("restaurant", "happy-path");
  for (const command of [create, openCmd, place]) await submit(page, command);
  const accept = page.getByTestId("queue-item").filter({ hasText: "accept_order" });
  for (let i = 0; i < 20 && (await accept.count()) === 0; i++) {
    await page.getByTestId("step-button").click();
  }
  return accept;
}

/** Steps (the `.` key) until the queue is empty, 20 steps at most. */
async function stepToTheEnd(page) {
  for (let i = 0; i < 20 && (await page.getByTestId("queue-item").count()) > 0; i++) {
    await page.keyboard.press(".");
  }
}

/** The happy path in step mode with a fault injected at the accept step (the prefilled
 * rejection), run to the end: the injected rejection's row. */
async function injectAtAccept(page) {
  const accept = await acceptQueued(page);
  await accept.getByTestId("inject-button").click();
  await page.getByTestId("inject-submit").click();
  await stepToTheEnd(page);
  return (await logRows(page)).find((r) => r.injected);
}

test("step mode: a fault injected at the restaurant's accept step compensates like a real rejection", async () => {
  const { page, errors } = await open(env);
  const accept = await acceptQueued(page);
  assert.equal(await accept.count(), 1, "the accept command waits in the queue");
  await page.screenshot({ path: shots + "step-queue.png" });
  await accept.getByTestId("inject-button").click();
  // The fault's editor is seen whole, its Inject button included, without scrolling.
  const editorSeen = await inSight(page, "[data-testid=inject-json], [data-testid=inject-submit]");
  assert.deepEqual(editorSeen, [true, true], "the raw JSON and the Inject button are in sight");
  const rejection = JSON.parse(await page.getByTestId("inject-json").inputValue());
  assert.ok(rejection.restaurant !== undefined, `prefilled with a restaurant rejection: ${JSON.stringify(rejection)}`);
  await page.getByTestId("inject-submit").click();
  await stepToTheEnd(page);
  assert.equal(await page.getByTestId("queue-item").count(), 0, "the flow ran to the end");
  const rows = await logRows(page);
  const injected = rows.find((r) => r.injected);
  assert.ok(injected && injected.kind === "rejection", `an injected rejection row: ${JSON.stringify(rows)}`);
  const compensations = rows.filter((r) => r.compensation);
  assert.ok(compensations.some((r) => r.stream.startsWith("payment-")), "refunded");
  assert.ok(compensations.some((r) => r.stream.startsWith("order-")), "cancelled");
  const injectedNodes = await page.$$eval("[data-testid=trace-node][data-kind=rejection]", (n) =>
    n.map((e) => e.dataset.injected));
  assert.ok(injectedNodes.includes("true"), "the trace marks the injected fault");
  await page.screenshot({ path: shots + "fault-injected.png" });
  assert.deepEqual(errors, []);
});

test("time travel: the past is said plainly, the composer is locked, fork starts a what-if branch", async () => {
  const { page, errors } = await open(env);
  for (const command of scenarioCommands("restaurant", "happy-path")) await submit(page, command);
  const total = await head(page);
  assert.ok(total >= 6, `facts: ${total}`);
  await page.getByTestId("timeline").fill("3");
  await page.getByTestId("past-banner").waitFor();
  assert.ok(await page.getByTestId("command-submit").isDisabled(), "locked in the past");
  // Locked for the keyboard too (and said so to assistive technology): the composer's
  // controls take no focus and are disabled.
  const focusable = await page.getByTestId("command-json").evaluate((el) => {
    el.focus();
    return document.activeElement === el;
  });
  assert.equal(focusable, false, "the raw JSON editor takes no focus in the past");
  assert.ok(await page.getByRole("textbox", { name: "Raw JSON" }).isDisabled(), "the raw JSON editor is disabled");
  assert.match(await page.getByTestId("past-banner").textContent(), /3/);
  await page.keyboard.press("ArrowLeft");
  assert.equal(await page.getByTestId("timeline").inputValue(), "2");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getByTestId("timeline").inputValue(), "3");
  await page.screenshot({ path: shots + "past.png" });
  await page.getByTestId("live-button").click();
  assert.equal(await page.getByTestId("past-banner").count(), 0);
  assert.equal(await page.getByTestId("timeline").inputValue(), String(total));
  assert.ok(await page.getByRole("textbox", { name: "Raw JSON" }).isEditable(), "the composer is unlocked when live");
  await page.getByTestId("timeline").fill("3");
  await page.getByTestId("fork-button").click();
  await waitForHead(page, 3);
  assert.equal(await page.getByTestId("past-banner").count(), 0, "the fork is live");
  await page.keyboard.press("End");
  assert.deepEqual(errors, []);
});

test("the flow copies as a Mermaid sequence diagram that Mermaid draws, its compensations on a band", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.server.url });
  const { page, errors } = await open(env, "/", { context });
  await notOnMenu(page);
  await page.getByTestId("trace-mermaid").click();
  await page.getByRole("status").filter({ hasText: "Copied this flow as a Mermaid sequence diagram" }).waitFor();
  assert.match(await page.getByTestId("trace-mermaid").textContent(), /copied/);
  const text = await page.evaluate(() => navigator.clipboard.readText());
  const lines = text.split("\n").map((l) => l.trim());
  assert.equal(lines[0], "sequenceDiagram");
  const participant = (name) => lines.find((l) => l.endsWith(` as ${name}`))?.match(/ (L\d+) as /)?.[1];
  const [user, order, fulfilment, restaurant] =
    ["user", "order-o2", "fulfilment (saga)", "restaurant-luigi"].map(participant);
  assert.ok(user && order && fulfilment && restaurant, text);
  assert.ok(lines.includes(`${user}->>${order}: ▶ place_order`), text);
  const refused = lines.findIndex((l) => l.startsWith(`${restaurant}--x${fulfilment}: ✘ #35;`) && l.endsWith(" not_on_menu"));
  assert.ok(refused > 0, text);
  // After the refusal, the refund and the cancellation on one band.
  assert.deepEqual(lines.slice(refused + 1, refused + 3), ["rect rgba(245, 158, 11, 0.15)", `${fulfilment}->>${participant("payment-pay-o2")}: ↩ refund_payment`], text);
  assert.ok(lines.includes(`${fulfilment}->>${order}: ↩ cancel_order`), text);
  // Mermaid itself draws it: every participant and message, the band behind the compensations.
  const sheet = await context.newPage();
  await sheet.setContent("<!doctype html><body></body>");
  await sheet.addScriptTag({ path: new URL("../../node_modules/mermaid/dist/mermaid.min.js", import.meta.url).pathname });
  const drawn = await sheet.evaluate(async (text) => {
    window.mermaid.initialize({ startOnLoad: false });
    const { svg } = await window.mermaid.render("flow", text);
    document.body.innerHTML = svg;
    return {
      texts: [...document.querySelectorAll("svg text")].map((t) => t.textContent.trim()),
      bands: [...document.querySelectorAll("svg rect")].filter((r) => (r.getAttribute("fill") ?? r.style.fill).includes("245, 158, 11")).length,
    };
  }, text);
  for (const expected of ["user", "order-o2", "fulfilment (saga)", "restaurant-luigi", "▶ place_order", "✘ #4 not_on_menu", "↩ refund_payment", "✔ #6 order_cancelled"]) {
    assert.ok(drawn.texts.includes(expected), `${expected} drawn: ${JSON.stringify(drawn.texts)}`);
  }
  assert.equal(drawn.bands, 1, "one compensation band");
  await sheet.screenshot({ path: shots + "mermaid.png", fullPage: true });
  assert.deepEqual(errors, []);
});

/** Whether each element matching `selector` is in sight, top and bottom edge: what the
 * page shows at both (at its middle column) is the element or inside it, so it is neither
 * clipped by a scrolled panel nor covered by a banner. A trace node is measured by its box
 * (its failure note below may stick out of the lane). */
function inSight(page, selector) {
  return page.$$eval(selector, (elements) => elements.map((e) => {
    const r = (e.querySelector(":scope > .trace-box") ?? e).getBoundingClientRect();
    const x = r.x + r.width / 2;
    return [r.top + 2, r.bottom - 2].every((y) => e.contains(document.elementFromPoint(x, y)));
  }));
}

test("the flow list says what became of every flow, filters by outcome and opens a flow in the trace", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme });
    const { page, errors } = await open(env, "/", { context });
    for (const command of scenarioCommands("restaurant", "happy-path")) await submit(page, command);
    const [, , notOnMenu] = scenarioCommands("restaurant", "rejected-not-on-menu");
    await submit(page, notOnMenu);
    await choose(page, "run-mode", "step");
    await submit(page, { order: { place_order: { order_id: "o9", restaurant_id: "luigi", customer: "Alan", items: ["tiramisu"] } } });
    await page.waitForFunction(() => document.querySelector("[data-testid=queue-count]")?.textContent.includes("1"));
    const facts = await head(page);
    // The tabs by the keyboard: → shows the flows, and moves nothing in time.
    const tab = (name) => page.locator(`[data-testid=log-tab][data-tab=${name}]`);
    await tab("facts").focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await tab("flows").getAttribute("aria-selected"), "true");
    assert.equal(await page.evaluate(() => document.activeElement.dataset.tab), "flows", "the focus follows the tab");
    assert.equal(await page.getByTestId("past-banner").count(), 0, "→ on a tab is the tab's, not the timeline's");
    const rows = page.getByTestId("flow-row");
    await rows.first().waitFor();
    const outcomes = () => rows.evaluateAll((r) => r.map((row) => row.dataset.outcome));
    assert.deepEqual(await outcomes(), ["completed", "completed", "completed", "completed", "compensated", "pending"]);
    const counts = await page.getByTestId("flows-outcome").evaluateAll((b) =>
      Object.fromEntries(b.map((button) => [button.dataset.outcome, Number(button.querySelector("[data-testid=flows-count]").textContent)])));
    assert.deepEqual(counts, { all: 6, completed: 4, compensated: 1, refused: 0, pending: 1, failed: 0 });
    assert.match(await rows.nth(2).textContent(), /order\.place_order o1 · luigi/);
    assert.match(await rows.nth(4).textContent(), /✔ 4 ✘ 1/);
    assert.deepEqual(await lowContrast(page), [], `${colorScheme}, the flow list`);
    if (colorScheme === "dark") {
      await page.screenshot({ path: shots + "dark-flows.png" });
      assert.deepEqual(errors, []);
      await context.close();
      continue;
    }
    // Only the compensated ones; choosing one selects its last fact and traces it.
    await page.locator("[data-testid=flows-outcome][data-outcome=compensated]").click();
    assert.deepEqual(await outcomes(), ["compensated"]);
    await rows.first().click();
    await page.waitForSelector("[data-testid=flow-row][aria-selected=true]");
    assert.equal(await page.getByTestId("timeline").inputValue(), String(facts), "its last fact is the last of the log");
    const kinds = await page.$$eval("[data-testid=trace-node]", (n) => n.map((e) => `${e.dataset.kind}:${e.dataset.compensation}`));
    assert.ok(kinds.includes("rejection:false") && kinds.includes("command:true"), `its trace: ${kinds}`);
    assert.match(await page.getByTestId("inspector").textContent(), /cancelled/);
    // Back to all of them: the keyboard goes from flow to flow, each traced, its state shown.
    await page.locator("[data-testid=flows-outcome][data-outcome=all]").click();
    await page.getByTestId("flows").focus();
    await page.keyboard.press("Home");
    await page.waitForSelector("[data-testid=flow-row][aria-rowindex='2'][aria-selected=true]");
    assert.equal(await page.getByTestId("timeline").inputValue(), "1", "the first flow's one fact, the cursor after it");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.waitForSelector("[data-testid=flow-row][aria-rowindex='4'][aria-selected=true]");
    assert.match(await page.getByTestId("trace").textContent(), /order_confirmed/);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.waitForSelector("[data-testid=flow-row][aria-rowindex='6'][aria-selected=true]");
    assert.match(await page.getByTestId("trace").textContent(), /refund_payment/);
    assert.equal(await page.getByTestId("flows").getAttribute("aria-activedescendant"),
      await page.locator("[data-testid=flow-row][aria-selected=true]").getAttribute("id"), "the chosen row is the active one");
    await page.screenshot({ path: shots + "flows.png" });
    // The pending flow has no fact yet: chosen, it is traced where the log is.
    await page.keyboard.press("End");
    await page.waitForSelector("[data-testid=flow-row][data-outcome=pending][aria-selected=true]");
    assert.equal(await page.locator("[data-testid=trace-node][data-pending=true]").count(), 1);
    // Its step taken, it is completed where it is listed.
    await page.getByTestId("live-button").click().catch(() => {});
    await page.getByTestId("run-button").click();
    await page.waitForSelector("[data-testid=flow-row][aria-rowindex='7'][data-outcome=completed]");
    // `/` is the log's filter: from the flow list it shows the facts and focuses it; the
    // facts are where they were, the chosen flow's rows marked.
    await page.getByTestId("flows").focus();
    await page.keyboard.press("/");
    await page.waitForFunction(() => document.activeElement?.dataset.testid === "log-filter");
    assert.equal(await tab("facts").getAttribute("aria-selected"), "true");
    await page.waitForSelector(".log-row-flow[data-stream=order-o9]");
    // Back and forth by the tabs: the filter does not take the focus again.
    await tab("flows").click();
    await tab("facts").click();
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.tab), "facts");
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("which events changed a field: the order's status, from its row in the inspector to the fact that set it", async () => {
  const { page, errors } = await open(env);
  await notOnMenu(page);
  const rows = await logRows(page);
  const order = rows.filter((r) => r.stream.startsWith("order-"));
  assert.equal(order.length, 2, `placed and cancelled: ${JSON.stringify(order)}`);
  await page.locator(`[data-testid=log-row][data-position="${order[1].position}"]`).click();
  const status = page.locator("[data-section=stream] .json-tree-row").filter({ hasText: "status" });
  await status.hover();
  const button = status.getByTestId("field-history-button");
  assert.equal(await button.getAttribute("data-path"), "$.status");
  await button.click();
  const history = page.getByTestId("field-history");
  await history.waitFor();
  assert.equal(await history.getAttribute("data-path"), "$.status");
  assert.equal(await button.getAttribute("aria-pressed"), "true");
  const changes = history.getByTestId("field-change");
  assert.deepEqual(await changes.evaluateAll((c) => c.map((e) => Number(e.dataset.position))),
    order.map((r) => r.position), "each of the order's events changed its status");
  assert.match(await changes.nth(0).textContent(), /#\d+ v1\s*order_placed\s*"placed"/);
  assert.match(await changes.nth(1).textContent(), /#\d+ v2\s*↩ order_cancelled\s*"cancelled"/);
  assert.match(await history.textContent(), /initial state\s*absent/);
  assert.match(await history.locator("[aria-current=true]").textContent(), /cancelled/, "the value shown came from the last");
  await page.screenshot({ path: shots + "field-history.png" });
  // A change is a way to its fact: the cursor goes right after it, the history stays.
  await changes.nth(0).click();
  await page.getByTestId("past-banner").waitFor();
  assert.equal(await page.getByTestId("timeline").inputValue(), String(order[0].position + 1));
  assert.equal(await page.locator(`[data-testid=log-row][aria-selected=true]`).getAttribute("data-position"),
    String(order[0].position));
  assert.match(await history.locator("[aria-current=true]").textContent(), /placed/);
  assert.equal(await history.locator(".field-change-later").count(), 1, "the cancellation is after the cursor");
  // Another stream's fact hides it; a fact of its own stream shows it again.
  await page.locator("[data-testid=log-row][data-stream^=payment-]").first().click();
  assert.equal(await history.count(), 0, "not shown for the payment's stream");
  await page.locator(`[data-testid=log-row][data-position="${order[0].position}"]`).click();
  await history.waitFor();
  // The keyboard reaches the buttons; the pressed one closes the history, Esc too (and
  // only it: the past stays).
  await button.focus();
  await page.keyboard.press("Enter");
  assert.equal(await history.count(), 0);
  await page.keyboard.press("Enter");
  await history.waitFor();
  await page.keyboard.press("Escape");
  assert.equal(await history.count(), 0);
  assert.equal(await page.getByTestId("past-banner").count(), 1);
  assert.deepEqual(errors, []);
});

test("why was it refused: every version of the stream decided again, the event that made the difference, what led to it", async () => {
  const { page, errors } = await open(env);
  // Luigi's takes one order at a time: the second is refused over capacity.
  const [create, openCmd] = scenarioCommands("restaurant", "rejected-not-on-menu");
  create.restaurant.create_restaurant.capacity = 1;
  for (const command of [create, openCmd, ...scenarioCommands("restaurant", "rejected-over-capacity")]) {
    const before = await head(page);
    await submit(page, command);
    await page.waitForFunction((b) => Number(document.querySelector("[data-testid=head]").textContent) > b, before);
  }
  const rows = await logRows(page);
  const rejection = rows.find((r) => r.kind === "rejection");
  const restaurant = rows.filter((r) => r.stream === "restaurant-luigi");
  const ticket = restaurant.find((r) => /kitchen_ticket_created/.test(r.text));
  // From the log, by the keyboard: the row selected, `w` asks; the inspector shows the
  // answer on the envelope's tab, the focus stays in the log.
  await page.locator(`[data-testid=log-row][data-position="${rejection.position}"]`).click();
  await page.keyboard.press("w");
  const why = page.getByTestId("why");
  await why.waitFor();
  assert.equal(await page.locator("[data-testid=inspector-tab][data-tab=envelope]").getAttribute("aria-selected"), "true");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "log", "the focus stays in the log");
  const button = page.getByTestId("why-button");
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  const verdict = why.getByTestId("why-verdict");
  assert.equal(await verdict.getAttribute("data-verdict"), "turning-point");
  assert.equal(await verdict.getAttribute("data-position"), String(ticket.position), "the first order's ticket filled the kitchen");
  const stretches = await why.getByTestId("why-stretch").evaluateAll((items) => items.map((e) =>
    `${e.dataset.from}-${e.dataset.to} ${e.dataset.outcome} ${e.getAttribute("aria-current") ?? ""}`.trim()));
  assert.deepEqual(stretches, ["0-0 refused", "1-1 refused", "2-2 accepted", "3-4 refused true"],
    "unknown, closed, accepted once open, over capacity from the ticket on");
  assert.match(await why.getByTestId("why-stretch").nth(1).textContent(), /since #\d+ v1 restaurant_created.*closed/);
  assert.match(await why.getByTestId("why-stretch").nth(2).textContent(), /kitchen_ticket_created, order_accepted/);
  assert.match(await why.getByTestId("why-stretch").nth(3).textContent(), /over_capacity.*\{"capacity":1\}/);
  // Nothing freed the kitchen since: it would still be refused now.
  assert.equal(await why.getByTestId("why-now").getAttribute("data-outcome"), "refused");
  // What led to it: the payment the fulfilment reacted to, then the order you placed.
  const causes = await why.getByTestId("why-cause").evaluateAll((c) => c.map((e) => Number(e.dataset.position)));
  const o5 = rows.filter((r) => r.position < rejection.position && /o5/.test(r.text));
  assert.deepEqual(causes, [o5.find((r) => r.stream.startsWith("payment-")).position, o5.find((r) => r.stream.startsWith("order-")).position]);
  assert.match(await why.textContent(), /command you submitted/);
  await page.screenshot({ path: shots + "why-refused.png" });
  // The keyboard: Esc inside closes it and gives the focus back to its toggle; the
  // toggle opens it again; a fact in it is a way to that fact.
  await why.getByTestId("why-turning").focus();
  await page.keyboard.press("Escape");
  assert.equal(await why.count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "why-button");
  assert.equal(await page.getByTestId("past-banner").count(), 1, "Esc closed the answer only");
  await page.keyboard.press("Enter");
  await why.waitFor();
  // Esc on the toggle closes it too.
  await page.keyboard.press("Escape");
  assert.equal(await why.count(), 0);
  await page.keyboard.press("Enter");
  await why.waitFor();
  // `w` from the log closes it as it opened it.
  await page.locator(`[data-testid=log-row][data-position="${rejection.position}"]`).click();
  await page.keyboard.press("w");
  assert.equal(await why.count(), 0);
  assert.equal(await button.getAttribute("aria-expanded"), "false");
  await page.keyboard.press("w");
  await why.getByTestId("why-turning").click();
  assert.equal(await page.locator("[data-testid=log-row][aria-selected=true]").getAttribute("data-position"),
    String(ticket.position));
  assert.equal(await why.count(), 0, "the answer is the rejection's, not the ticket's");
  // What if the ticket had not been made? A fork from just before it: live, its past this
  // one's up to the ticket, the accept that made it still waiting in the queue.
  // (The answer asked for is there again as soon as its rejection is selected again.)
  await page.locator(`[data-testid=log-row][data-position="${rejection.position}"]`).click();
  await why.getByTestId("why-fork").click();
  await waitForHead(page, ticket.position);
  assert.equal(await page.getByTestId("past-banner").count(), 0, "the fork is live");
  assert.match(await page.getByTestId("queue-item").first().textContent(), /accept_order/);
  assert.deepEqual(errors, []);
});

test("why was it refused, for the not-on-menu rejection and for an injected fault", async () => {
  const { page, errors } = await open(env);
  await notOnMenu(page);
  const rejection = (await logRows(page)).find((r) => r.kind === "rejection");
  await page.locator(`[data-testid=log-row][data-position="${rejection.position}"]`).click();
  await page.locator("[data-testid=inspector-tab][data-tab=envelope]").click();
  await page.getByTestId("why-button").click();
  const why = page.getByTestId("why");
  await why.waitFor();
  // Sushi was never on the menu: refused at every version, no event to blame; the
  // refusal became "not on menu" when the restaurant opened.
  assert.equal(await why.getByTestId("why-verdict").getAttribute("data-verdict"), "always");
  assert.match(await why.getByTestId("why-verdict").textContent(), /no event of the stream made it fail/);
  assert.equal(await why.getByTestId("why-reason-since").count(), 1);
  assert.deepEqual(await why.getByTestId("why-stretch").evaluateAll((s) => s.map((e) => e.dataset.outcome)),
    ["refused", "refused", "refused"]);
  assert.equal(await why.getByTestId("why-now").getAttribute("data-outcome"), "refused");

  // A fault injected at the accept step: the decider would have accepted it.
  const fresh = await open(env);
  const injected = await injectAtAccept(fresh.page);
  await fresh.page.locator(`[data-testid=log-row][data-position="${injected.position}"]`).click();
  await fresh.page.locator("[data-testid=inspector-tab][data-tab=envelope]").click();
  await fresh.page.getByTestId("why-button").click();
  const answer = fresh.page.getByTestId("why");
  await answer.waitFor();
  assert.equal(await answer.getByTestId("why-verdict").getAttribute("data-verdict"), "injected");
  assert.match(await answer.getByTestId("why-verdict").textContent(), /would have been accepted.*kitchen_ticket_created/);
  assert.equal(await answer.getByTestId("why-now").getAttribute("data-outcome"), "accepted");
  assert.deepEqual(errors, []);
  assert.deepEqual(fresh.errors, []);
});

test("entering the past makes no element: live, the past banner waits unseen and out of reach", async () => {
  const { page, errors } = await open(env);
  for (const command of scenarioCommands("restaurant", "happy-path")) await submit(page, command);
  // Live: in the page, but not seen, not reachable by Tab, and not named by its test id.
  const idle = page.locator(".timeline-dock .banner-past");
  assert.equal(await idle.count(), 1);
  assert.equal(await idle.isVisible(), false);
  assert.equal(await page.getByTestId("past-banner").count(), 0);
  const focused = await idle.locator("button").evaluateAll((buttons) =>
    buttons.map((b) => (b.focus(), document.activeElement === b)));
  assert.deepEqual(focused, [false, false], "its buttons take no focus while live");
  // Into the past: the banner is shown, and no element is made or removed in the dock.
  await page.evaluate(() => {
    window.dockChanges = 0;
    new MutationObserver((records) => {
      for (const r of records) window.dockChanges += r.addedNodes.length + r.removedNodes.length;
    }).observe(document.querySelector(".timeline-dock"), { childList: true, subtree: true });
  });
  await page.getByTestId("timeline").fill("3");
  await page.getByTestId("past-banner").waitFor();
  assert.match(await page.getByTestId("past-banner").textContent(), /the state after fact #2 \(position 3 of \d+\)/);
  assert.equal(await page.evaluate(() => window.dockChanges), 0, "nodes made or removed in the dock");
  await page.getByTestId("live-button").click();
  assert.equal(await page.getByTestId("past-banner").count(), 0);
  assert.equal(await idle.isVisible(), false);
  assert.deepEqual(errors, []);
});

test("a slider move shows its position in the frame it draws; the state's JSON is text for scripts, never laid out", async () => {
  const { page, errors } = await open(env);
  for (const command of scenarioCommands("restaurant", "happy-path")) await submit(page, command);
  const total = await head(page);
  // Moved as the slider bench moves it; read in a task posted from the next animation
  // frame's callback, which runs once that frame's style, layout and paint are done.
  const seen = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const s = document.querySelector("[data-testid=timeline]");
        s.value = "3";
        s.dispatchEvent(new Event("input", { bubbles: true }));
        requestAnimationFrame(() => {
          const after = new MessageChannel();
          after.port1.onmessage = () =>
            resolve({
              inspector: document.querySelector(".inspector-at")?.textContent,
              row: document.querySelector("[data-testid=log-row].log-row-selected")?.dataset.position,
              position: document.querySelector(".timeline-position")?.textContent,
              state: document.querySelector(".timeline-state")?.textContent,
            });
          after.port2.postMessage(0);
        });
      }),
  );
  assert.deepEqual(seen, {
    inspector: "state after #2",
    row: "2",
    position: `position 3 / ${total}`,
    state: "⚠ viewing the past",
  });
  // The whole state at the cursor is in the inspector's text (scripts read it), but it has
  // no box: a move does not lay its texts out again.
  const json = await page.$$eval("[data-testid=inspector] [data-json]", (pres) =>
    pres.map((p) => ({ name: p.dataset.json, boxes: p.getClientRects().length, text: p.textContent })));
  assert.deepEqual(json.map((p) => [p.name, p.boxes]), [["stream", 0], ["view", 0], ["process", 0]]);
  const view = JSON.parse(json.find((p) => p.name === "view").text);
  assert.equal(typeof view, "object");
  assert.match(await page.getByTestId("inspector").textContent(), /"orders"/);
  assert.deepEqual(errors, []);
});

test("text keeps a 4.5:1 contrast in the light and the dark scheme, live and in the past", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme });
    const { page, errors } = await open(env, "/", { context });
    assert.equal(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), colorScheme === "dark");
    await notOnMenu(page);
    // Live: the rejection, the compensation, the trace, the inspector's changes.
    assert.deepEqual(await lowContrast(page), [], `${colorScheme}, live`);
    if (colorScheme === "dark") await page.screenshot({ path: shots + "dark.png" });
    // The past: the banner, the locked composer's note, the facts after the cursor.
    await page.getByTestId("timeline").focus();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await page.getByTestId("past-banner").waitFor();
    const cursor = Number(await page.getByTestId("timeline").inputValue());
    const after = (await logRows(page)).filter((r) => r.position >= cursor);
    assert.ok(after.length >= 2, `facts after the cursor are shown: ${JSON.stringify(after)}`);
    assert.deepEqual(await lowContrast(page), [], `${colorScheme}, in the past`);
    if (colorScheme === "dark") await page.screenshot({ path: shots + "dark-past.png" });
    // A compensation selected: its name in the compensation colour on the selection's tint.
    await page.locator("[data-testid=log-row][data-compensation=true][data-stream^=payment]").click();
    await page.waitForSelector("[data-testid=log-row][data-compensation=true][aria-selected=true]");
    assert.deepEqual(await lowContrast(page), [], `${colorScheme}, a compensation selected`);
    // A field's history with a change after the cursor (the order's status, at its
    // placing: the stream is new there, so every row's history button shows).
    await page.locator("[data-testid=log-row][data-stream^=order-]").first().click();
    await page.locator("[data-section=stream] [data-testid=field-history-button][data-path='$.status']").click();
    await page.getByTestId("field-history").waitFor();
    assert.equal(await page.locator(".field-change-later").count(), 1);
    assert.deepEqual(await lowContrast(page), [], `${colorScheme}, a field's history`);
    if (colorScheme === "dark") await page.screenshot({ path: shots + "dark-field-history.png" });
    // Why the order was refused, its answer scrolled into view.
    await page.locator("[data-testid=log-row][data-kind=rejection]").click();
    await page.keyboard.press("w");
    await page.getByTestId("why").scrollIntoViewIfNeeded();
    assert.deepEqual(await lowContrast(page), [], `${colorScheme}, why it was refused`);
    if (colorScheme === "dark") await page.screenshot({ path: shots + "dark-why-refused.png" });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("narrow windows: a stacked panel is as tall as what it shows, up to its share of the window", async () => {
  for (const [width, height] of [[900, 900], [700, 800]]) {
    const context = await env.browser.newContext({ viewport: { width, height } });
    const { page, errors } = await open(env, "/", { context });
    const bottomGap = (testid) =>
      page.evaluate((testid) => {
        const rows = [...document.querySelectorAll(`[data-testid=${testid}]`)];
        const last = Math.max(...rows.map((r) => r.getBoundingClientRect().bottom));
        return document.querySelector(".panel-log").getBoundingClientRect().bottom - last;
      }, testid);
    const panelHeight = (name) => page.evaluate((name) => document.querySelector(`.panel-${name}`).getBoundingClientRect().height, name);
    // A few facts: the log ends below its last row, not a screenful later.
    const [create, openIt] = scenarioCommands("restaurant", "happy-path");
    await submit(page, create);
    await submit(page, openIt);
    await waitForHead(page, 2);
    const gap = await bottomGap("log-row");
    assert.ok(gap >= 0 && gap < 16, `${width}px: the log ends ${gap}px below its last row`);
    // The empty queue says so in a few lines.
    assert.ok((await panelHeight("queue")) < 0.25 * height, `${width}px: the empty queue is ${await panelHeight("queue")}px tall`);
    // A long log is capped at 60% of the window and scrolls inside.
    const another = structuredClone(create);
    another.restaurant.create_restaurant.restaurant_id = "r${i}";
    await submit(page, another, { times: 60 });
    await waitForHead(page, 62);
    const log = await panelHeight("log");
    assert.ok(Math.abs(log - 0.6 * height) < 2, `${width}px: a long log is ${log}px tall`);
    await page.screenshot({ path: shots + `narrow-${width}.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("keyboard: ? lists the shortcuts, Esc closes, / focuses the filter, no shortcut fires while typing", async () => {
  const { page, errors } = await open(env);
  await page.keyboard.press("?");
  await page.getByTestId("shortcuts").waitFor();
  assert.equal(await page.getByTestId("shortcuts").getAttribute("role"), "dialog");
  await page.screenshot({ path: shots + "shortcuts.png" });
  await page.keyboard.press("Escape");
  assert.equal(await page.getByTestId("shortcuts").count(), 0);
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "log-filter");
  await page.keyboard.type("?");
  assert.equal(await page.getByTestId("shortcuts").count(), 0, "typing ? in a field is text");
  assert.equal(await page.getByTestId("log-filter").inputValue(), "?");
  assert.deepEqual(errors, []);
});

test("closing a dialog gives the focus back to where it was: the ? button, the log, the specs button", async () => {
  const { page, errors } = await open(env);
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    return e.dataset.testid ?? e.getAttribute("aria-label") ?? e.tagName;
  });
  // The ? button, by the keyboard: Enter opens, the close button takes the focus, Esc
  // closes and the focus is on the ? button again (not lost to the page's body).
  const help = page.getByRole("button", { name: "Keyboard shortcuts (?)" });
  await help.focus();
  await page.keyboard.press("Enter");
  await page.getByTestId("shortcuts").waitFor();
  assert.equal(await focused(), "Close");
  await page.keyboard.press("Escape");
  assert.equal(await page.getByTestId("shortcuts").count(), 0);
  assert.equal(await focused(), "Keyboard shortcuts (?)");
  // The ? key pressed in the log: back in the log.
  await page.getByTestId("log").focus();
  const inLog = await focused();
  await page.keyboard.press("?");
  await page.getByTestId("shortcuts").waitFor();
  await page.keyboard.press("Escape");
  assert.equal(await focused(), inLog);
  // The specs dialog closed by its button: the specs button has the focus again.
  await page.getByTestId("specs-button").click();
  await page.getByTestId("specs").waitFor();
  await page.getByTestId("specs").getByRole("button", { name: "Close" }).click();
  assert.equal(await page.getByTestId("specs").count(), 0);
  assert.equal(await focused(), "specs-button");
  assert.deepEqual(errors, []);
});

test("Tab and Shift+Tab go round a dialog's controls, never to the page behind it", async () => {
  const { page, errors } = await open(env);
  const inside = (testid) => page.evaluate((id) => document.querySelector(`[data-testid=${id}]`)?.contains(document.activeElement) ?? false, testid);
  // The ? overlay: its close button alone.
  await page.keyboard.press("?");
  await page.getByTestId("shortcuts").waitFor();
  for (const key of ["Tab", "Tab", "Shift+Tab", "Shift+Tab"]) {
    await page.keyboard.press(key);
    assert.ok(await inside("shortcuts"), `after ${key} the focus is still in the overlay`);
  }
  await page.keyboard.press("Escape");
  await page.getByTestId("shortcuts").waitFor({ state: "detached" });
  // The specs dialog: from its close button, Shift+Tab goes to its last control, and Tab
  // from there back to the close button.
  await page.getByTestId("specs-button").click();
  await page.getByTestId("specs").waitFor();
  // Its scenarios listed (read after it opens): their links are its last controls.
  const links = () => page.evaluate(() => document.querySelectorAll("[data-testid=specs] a[href]").length);
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=specs] a[href]").length > 0);
  for (let n = await links(), was = -1; n !== was; was = n, n = await links()) await page.waitForTimeout(200);
  const close = page.getByTestId("specs").getByRole("button", { name: "Close" });
  await close.focus();
  await page.keyboard.press("Shift+Tab");
  assert.ok(await inside("specs"), "Shift+Tab from the first control stays in the dialog");
  await page.keyboard.press("Tab");
  assert.ok(await close.evaluate((b) => b === document.activeElement), "Tab from the last control comes round to the first");
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    assert.ok(await inside("specs"), `Tab ${i + 1} stays in the dialog`);
  }
  assert.deepEqual(errors, []);
});

test("a fault's editor closed by Esc or Cancel leaves the focus on its ⚡ button", async () => {
  const { page, errors } = await open(env);
  const accept = await acceptQueued(page);
  const button = accept.getByTestId("inject-button");
  const onButton = () => button.evaluate((b) => document.activeElement === b);
  for (const close of ["Escape", "Cancel"]) {
    await button.focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("inject-json").waitFor();
    assert.equal(await onButton(), false, "the editor takes the focus");
    if (close === "Escape") await page.keyboard.press("Escape");
    else await accept.getByRole("button", { name: "Cancel" }).click();
    await page.getByTestId("inject-json").waitFor({ state: "detached" });
    assert.ok(await onButton(), `after ${close}, the focus is on the ⚡ button`);
  }
  assert.deepEqual(errors, []);
});

test("the log's filter bar keeps its place when the first fact arrives: the flow toggle waits, disabled", async () => {
  const { page, errors } = await open(env);
  const ids = ["log-filter", "log-kind-filter", "log-origin-filter", "log-stream-filter", "log-flow-filter"];
  const boxes = () => Promise.all(ids.map((id) => page.getByTestId(id).boundingBox()));
  const before = await boxes();
  assert.ok(await page.getByTestId("log-flow-filter").isDisabled(), "no flow to show yet");
  await submit(page, scenarioCommands("restaurant", "happy-path")[0]);
  await waitForHead(page, 1);
  await page.waitForFunction(() => !document.querySelector("[data-testid=log-flow-filter]").disabled);
  assert.deepEqual(await boxes(), before, "no field of the bar moved");
  assert.deepEqual(errors, []);
});

test("message names are whole in the log at 1280×720, the longest of the happy path included", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const { page, errors } = await open(env, "/", { context });
  for (const command of scenarioCommands("restaurant", "happy-path")) await submit(page, command);
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=log-row]").length >= 9);
  const names = await page.$$eval("[data-testid=log-row] .log-message-name", (cells) =>
    cells.map((c) => ({ name: c.textContent, fits: c.scrollWidth <= c.clientWidth })));
  for (const longest of ["kitchen_ticket_created", "order_ready_for_pickup"]) {
    assert.ok(names.some((n) => n.name === longest), `${longest} in ${JSON.stringify(names)}`);
  }
  assert.deepEqual(names.filter((n) => !n.fits), [], "no name is cut");
  await page.screenshot({ path: shots + "names-1280.png" });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a narrow log (the composer widened) keeps a short message name whole before the stream and origin grow", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const { page, errors } = await open(env, "/", { context });
  await choose(page, "domain-picker", "counter");
  await submit(page, { increment: { counter_id: "c-" + "abcdefghijklmnopqrstuvwxyz".repeat(2), by: 1 } });
  await waitForHead(page, 1);
  // The composer as wide as it gets, then the side panel back to its least: a 400 px log.
  await page.locator("[data-testid=splitter][data-split=composer]").focus();
  await page.keyboard.press("End");
  await page.locator("[data-testid=splitter][data-split=side]").focus();
  await page.keyboard.press("End");
  await page.keyboard.press("Home");
  const seen = await page.locator("[data-testid=log-row] .log-message-name").evaluate((name) => ({
    text: name.textContent, cut: name.scrollWidth > name.clientWidth,
    log: name.closest("[data-testid=log]").getBoundingClientRect().width,
  }));
  assert.ok(seen.log > 360 && seen.log < 450, `a narrow log: ${JSON.stringify(seen)}`);
  assert.deepEqual([seen.text, seen.cut], ["incremented", false], JSON.stringify(seen));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a stream id longer than its cell keeps its start and its end, with one ellipsis, at any width", async () => {
  const letters = (n) => Array.from({ length: n }, (_, i) => "abcdefghijklmnopqrstuvwxyz"[i % 26]).join("");
  const ids = ["c-" + letters(58), "c-" + letters(57) + "Z"];
  for (const width of [1280, 1440, 1920]) {
    const context = await env.browser.newContext({ viewport: { width, height: 720 } });
    const { page, errors } = await open(env, "/", { context });
    await choose(page, "domain-picker", "counter");
    for (const id of ids) await submit(page, { increment: { counter_id: id, by: 1 } });
    await waitForHead(page, 2);
    for (const id of ids) {
      const cell = page.locator(`[data-testid=log-row][data-stream="counter-${id}"] .log-stream`);
      const seen = await cell.evaluate((c) => {
        const [start, end] = c.children;
        return {
          start: start.textContent, end: end.textContent,
          cellCut: c.scrollWidth > c.clientWidth, startCut: start.scrollWidth > start.clientWidth,
          endCut: end.scrollWidth > end.clientWidth, title: c.title,
        };
      });
      const stream = `counter-${id}`;
      assert.ok(stream.startsWith(seen.start) && stream.endsWith(seen.end), `${width}: ${JSON.stringify(seen)}`);
      assert.equal(seen.end.length, 8, "the last 8 characters stay");
      assert.deepEqual([seen.cellCut, seen.startCut, seen.endCut], [false, true, false],
        `${width}: only the start is cut (one ellipsis), not the cell too`);
      assert.equal(seen.title, stream, "the whole id on hover");
    }
    if (width === 1280) await page.screenshot({ path: shots + "long-stream-1280.png" });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

/** A 234 px wide page of the counter domain whose one fact's stream id is long (its end
 * neutral characters, which stay at the end, right of the letters): the narrowest log
 * (its one position takes 3 characters, log/mod.rs). */
async function narrowLogWithLongId() {
  const context = await env.browser.newContext({ viewport: { width: 234, height: 720 } });
  const { page, errors } = await open(env, "/", { context });
  await choose(page, "domain-picker", "counter");
  const id = "c-" + "abcdefghijklmnopqrstuvwxyz".repeat(2) + "-12-";
  await submit(page, { increment: { counter_id: id, by: 1 } });
  await waitForHead(page, 1);
  return { context, page, errors, id };
}

test("in the narrowest log a long stream id's last characters give way by their start, its very end in sight", async () => {
  // A window so narrow that the stream cell is narrower than an id's last 8 characters.
  const { context, page, errors, id } = await narrowLogWithLongId();
  const seen = await page.locator(`[data-testid=log-row][data-stream="counter-${id}"] .log-stream`).evaluate((cell) => {
    const tail = cell.querySelector(".log-stream-tail");
    const text = tail.firstChild;
    const range = document.createRange();
    range.setStart(text, text.length - 1);
    range.setEnd(text, text.length);
    const [last, box] = [range.getBoundingClientRect(), cell.getBoundingClientRect()];
    return {
      end: tail.textContent, tailCut: tail.scrollWidth > tail.clientWidth, cell: box.width,
      lastFromRight: box.right - last.right, lastFromLeft: last.left - box.left,
    };
  });
  assert.equal(seen.end, "wxyz-12-", "the last 8 characters");
  assert.ok(seen.tailCut, `the cell is narrower than the last 8 characters: ${JSON.stringify(seen)}`);
  assert.ok(seen.lastFromRight >= -0.5 && seen.lastFromRight <= 1 && seen.lastFromLeft > 0,
    `the id's last character at the cell's right edge: ${JSON.stringify(seen)}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a split stream id's start is its first character and an ellipsis, or nothing, never a sliver", async () => {
  // The widths around those where the cell holds the last 8 characters and less than two
  // more (the narrowest log's stream column, and the 360-600 px one's at its least; a log
  // of one fact, its position column 3 characters wide). A line's first
  // character is clipped, never ellipsized: a start narrower than two characters shows a
  // sliver of it, or `c.`.
  const { context, page, errors, id } = await narrowLogWithLongId();
  const cell = page.locator(`[data-testid=log-row][data-stream="counter-${id}"] .log-stream`);
  const slivers = [];
  const sweep = (from, to) => Array.from({ length: (to - from) / 2 + 1 }, (_, i) => from + 2 * i);
  for (const width of [...sweep(226, 272), ...sweep(364, 420)]) {
    await page.setViewportSize({ width, height: 720 });
    const seen = await cell.evaluate((c) => {
      const [start, end] = [c.querySelector(".log-stream-head"), c.querySelector(".log-stream-tail")];
      const [box, s, e] = [c, start, end].map((el) => el.getBoundingClientRect());
      // The start's part inside the cell (a start put on the hidden second line has none).
      const inside = s.top < box.bottom - 1 ? Math.max(0, Math.min(s.right, box.right) - Math.max(s.left, box.left)) : 0;
      const ch = e.width / Math.max(1, end.textContent.length);
      return { cell: box.width, inside, ch, endInside: e.left >= box.left - 0.5 && e.right <= box.right + 0.5 };
    });
    if (seen.inside > 0 && seen.inside < 2 * seen.ch - 0.5) slivers.push({ width, ...seen });
    assert.ok(seen.endInside, `${width}: the end inside its cell: ${JSON.stringify(seen)}`);
  }
  assert.deepEqual(slivers, [], "a start narrower than its first character and the ellipsis is not drawn");
  assert.deepEqual(errors, []);
  await context.close();
});

test("scrolled to a selected node, the trace shows whole lanes from its top", async () => {
  for (const [width, height] of [[1100, 760], [1100, 720]]) {
    const { context, page, errors } = await notOnMenuAt(width, height);
    // Full size: fitted, this flow shows whole and nothing scrolls (the next tests).
    await page.getByTestId("trace-fit").click();
    await page.waitForSelector("[data-testid=trace-fit][aria-pressed=false]");
    // The refund (a middle lane, the cursor into the past), then the rejection (the last lane).
    for (const select of ["[data-testid=log-row][data-compensation=true][data-stream^=payment]", "[data-testid=log-row][data-kind=rejection]"]) {
      await page.locator(select).click();
      await page.waitForFunction(() => document.querySelector("[data-testid=trace-node].trace-node-selected"));
      await page.waitForTimeout(200);
      const seen = await page.getByTestId("trace").evaluate((svg) => {
        const scroll = svg.closest(".trace-scroll");
        const view = scroll.getBoundingClientRect();
        const labels = scroll.querySelector(".trace-lanes").getBoundingClientRect();
        // The first lane label reaching into the view starts at its top: whole.
        const first = [...scroll.querySelectorAll("[data-testid=trace-lane]")]
          .map((l) => l.getBoundingClientRect()).find((r) => r.bottom > view.top + 1);
        const node = svg.querySelector(".trace-node-selected").getBoundingClientRect();
        return {
          firstLaneFromTop: first.top - view.top,
          selectedInView: node.left >= labels.right && node.right <= view.right && node.top >= view.top && node.bottom <= scroll.getBoundingClientRect().top + scroll.clientHeight,
          scrolled: [scroll.scrollLeft, scroll.scrollTop],
        };
      });
      const where = `${width}×${height}, ${select}: ${JSON.stringify(seen)}`;
      assert.ok(Math.abs(seen.firstLaneFromTop) <= 1, `the top lane whole: ${where}`);
      assert.ok(seen.selectedInView, `the selected node in view: ${where}`);
      assert.ok(seen.scrolled[1] > 0, `a short trace had to scroll: ${where}`);
    }
    await page.screenshot({ path: shots + `trace-whole-lanes-${width}x${height}.png` });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

/** A page `width` × `height` in a context of its own, the not-on-menu flow submitted. */
async function notOnMenuAt(width, height) {
  const context = await env.browser.newContext({ viewport: { width, height } });
  const { page, errors } = await open(env, "/", { context });
  await notOnMenu(page);
  return { context, page, errors };
}

/** Submits the not-on-menu scenario's commands one by one, each once its facts are in. */
async function notOnMenu(page) {
  for (const command of scenarioCommands("restaurant", "rejected-not-on-menu")) {
    const before = await head(page);
    await submit(page, command);
    await page.waitForFunction((b) => Number(document.querySelector("[data-testid=head]").textContent) > b, before);
  }
}

/** The trace's nodes and lanes inside and outside the part of the panel in view. */
function traceInView(page) {
  return page.getByTestId("trace").evaluate((svg) => {
    const scroll = svg.closest(".trace-scroll");
    const view = scroll.getBoundingClientRect();
    const [right, bottom] = [view.left + scroll.clientWidth, view.top + scroll.clientHeight];
    const labels = scroll.querySelector(".trace-lanes").getBoundingClientRect();
    const inside = (r) => r.left >= labels.right - 0.5 && r.right <= right + 0.5 && r.top >= view.top - 0.5 && r.bottom <= bottom + 0.5;
    const nodes = [...svg.querySelectorAll("[data-testid=trace-node]")].map((n) => inside(n.getBoundingClientRect()));
    const lanes = [...scroll.querySelectorAll("[data-testid=trace-lane]")].map((l) => l.getBoundingClientRect().bottom <= bottom + 0.5);
    return { nodes: nodes.length, cut: nodes.filter((n) => !n).length, lanes: lanes.length, lanesCut: lanes.filter((l) => !l).length,
      scrolls: scroll.scrollWidth > scroll.clientWidth || scroll.scrollHeight > scroll.clientHeight };
  });
}

test("fitted, a ten-column flow is whole in the trace at 1100×760; full size it scrolls; the choice is kept", async () => {
  const { context, page, errors } = await notOnMenuAt(1100, 760);
  const fit = page.getByTestId("trace-fit");
  assert.equal(await fit.getAttribute("aria-pressed"), "true", "on by default");
  await page.waitForFunction(() => /%/.test(document.querySelector("[data-testid=trace-fit]").textContent));
  const fitted = await traceInView(page);
  assert.deepEqual(fitted, { nodes: 10, cut: 0, lanes: 5, lanesCut: 0, scrolls: false }, "every node and lane whole");
  const percent = Number((await fit.textContent()).match(/(\d+) %/)[1]);
  assert.ok(percent >= 70 && percent < 100, `scaled down, not below 70 %: ${percent}`);
  await page.screenshot({ path: shots + "trace-fit-1100.png" });
  await fit.click();
  await page.waitForSelector("[data-testid=trace-fit][aria-pressed=false]");
  const full = await traceInView(page);
  assert.ok(full.cut > 0 && full.scrolls, `full size, the flow scrolls: ${JSON.stringify(full)}`);
  assert.equal(await fit.textContent(), "Fit", "no scale shown at full size");
  // This browser's choice: kept across a reload.
  await page.reload();
  await page.getByTestId("trace-fit").waitFor();
  assert.equal(await page.getByTestId("trace-fit").getAttribute("aria-pressed"), "false");
  assert.deepEqual(errors, []);
  await context.close();
});

test("at 1100 and 1366 px the log's origins and stream ids are whole, and every message name beside its ext badge", async () => {
  for (const [width, height] of [[1100, 760], [1366, 768]]) {
    const { context, page, errors } = await notOnMenuAt(width, height);
    const cells = await page.$$eval("[data-testid=log-row]", (rows) => rows.map((row) => {
      const [origin, name, stream] = [row.querySelector(".log-origin"), row.querySelector(".log-message-name"), row.querySelector(".log-stream")];
      const badge = row.querySelector(".log-message .badge-ext");
      // On the cell's one visible line, not wrapped away.
      const shown = badge && badge.getBoundingClientRect().bottom <= badge.parentElement.getBoundingClientRect().bottom + 0.5;
      return { origin: origin.textContent, originWhole: origin.scrollWidth <= origin.clientWidth,
        badge: Boolean(shown), name: name.textContent, nameWhole: name.scrollWidth <= name.clientWidth,
        // A short log's position column is narrow (its last position's digits): the ids get the room.
        streamWhole: stream.scrollWidth <= stream.clientWidth + 1 && !stream.querySelector(".log-stream-split") };
    }));
    const at = `${width}×${height}: ${JSON.stringify(cells)}`;
    assert.equal(cells.filter((c) => c.badge).length, 4, `the order's and the payment's events are external: ${at}`);
    assert.ok(cells.some((c) => c.origin === "fulfilment" && c.badge), `a process's external event: ${at}`);
    assert.deepEqual(cells.filter((c) => !c.originWhole || !c.nameWhole || !c.streamWhole), [], `nothing cut: ${at}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("the inspector's tabs stay on one line at 1100 px, and its copy button stands apart from the id", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 760 } });
  const { page, errors } = await open(env, "/", { context });
  await notOnMenu(page);
  await page.locator("[data-testid=log-row][data-compensation=true][data-stream^=payment]").click();
  await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=inspector-tab]")].some((t) => /Δ/.test(t.textContent)));
  const seen = await page.getByTestId("inspector").evaluate((inspector) => {
    const tops = [...inspector.querySelectorAll("[data-testid=inspector-tab]")].map((t) => Math.round(t.getBoundingClientRect().top));
    const copy = inspector.querySelector("[data-testid=copy-id]");
    const id = copy.previousElementSibling;
    return { tops, gap: copy.getBoundingClientRect().left - id.getBoundingClientRect().right, id: id.textContent };
  });
  assert.equal(seen.tops.length, 4, JSON.stringify(seen));
  assert.equal(new Set(seen.tops).size, 1, `one line of tabs: ${JSON.stringify(seen)}`);
  assert.equal(seen.id, "payment-pay-o2");
  assert.ok(seen.gap >= 4, `a space between the id and its copy button: ${JSON.stringify(seen)}`);
  // By the keyboard, the focused tab's ring is whole: inside the tab bar, which clips.
  await page.getByTestId("inspector-tab").first().focus();
  await page.keyboard.press("ArrowRight");
  const ring = await page.evaluate(() => {
    const tab = document.activeElement;
    const style = getComputedStyle(tab);
    const out = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
    const [box, bar] = [tab.getBoundingClientRect(), tab.parentElement.getBoundingClientRect()];
    return { tab: tab.dataset.tab, drawn: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
      whole: box.top - out >= bar.top - 0.5 && box.bottom + out <= bar.bottom + 0.5 };
  });
  assert.deepEqual(ring, { tab: "view", drawn: true, whole: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a stream's version of four digits is whole in the log, not cut to two and an ellipsis", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const { page, errors } = await open(env, "/", { context });
  await choose(page, "domain-picker", "counter");
  // The counter stops at 1,000: its thousandth increment is version 1000.
  await submit(page, { increment: { counter_id: "c", by: 1 } }, { times: 1000 });
  await waitForHead(page, 1000, 60000);
  const seen = await page.locator("[data-testid=log-row][data-position='999'] .log-version").evaluate((cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const [text, box] = [range.getBoundingClientRect(), cell.getBoundingClientRect()];
    return { text: cell.textContent, left: text.left - box.left, right: box.right - text.right };
  });
  assert.equal(seen.text, "1000");
  assert.ok(seen.left >= -0.5 && seen.right >= -0.5, `the digits inside their cell: ${JSON.stringify(seen)}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("closing the error banner gives the focus back to the control that caused it, else the composer", async () => {
  const { page, errors } = await open(env);
  const focused = () => page.evaluate(() => document.activeElement.dataset.testid ?? document.activeElement.tagName);
  // A seed that is not a number, by the keyboard: the banner's ×, then Enter.
  await page.getByTestId("seed").fill("-3");
  await page.getByTestId("seed").press("Enter");
  const close = page.getByTestId("error-banner").getByRole("button", { name: "Dismiss the error" });
  await close.focus();
  await page.keyboard.press("Enter");
  await page.getByTestId("error-banner").waitFor({ state: "detached" });
  assert.equal(await focused(), "seed", "back on the seed");
  // A file that is not a scenario, given while nothing has the focus (dropped, or by a
  // script): the composer's command takes the focus.
  await page.evaluate(() => document.activeElement.blur());
  await page.getByTestId("import-file").setInputFiles({
    name: "bad.json", mimeType: "application/json", buffer: Buffer.from('{"format": "decider-lab/scenario"}'),
  });
  await close.click();
  await page.getByTestId("error-banner").waitFor({ state: "detached" });
  assert.equal(await focused(), "command-picker", "on the composer");
  assert.deepEqual(errors, []);
});

test("Esc dismisses the error banner as its × does, not while typing in a field, and after an open overlay", async () => {
  const { page, errors } = await open(env);
  const focused = () => page.evaluate(() => document.activeElement.dataset.testid ?? document.activeElement.tagName);
  const banner = page.getByTestId("error-banner");
  await page.getByTestId("seed").fill("-3");
  await page.getByTestId("seed").press("Enter");
  await banner.waitFor();
  await page.keyboard.press("Escape");
  assert.equal(await banner.count(), 1, "Esc while typing in the seed leaves the banner");
  // Out of the field (a click on the page's background), Esc closes it as × does.
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press("Escape");
  await banner.waitFor({ state: "detached" });
  assert.equal(await focused(), "seed", "the focus back on the seed");
  // A bad file's error with the shortcuts open over it: the first Esc closes the overlay.
  await page.evaluate(() => document.activeElement.blur());
  await page.getByTestId("import-file").setInputFiles({
    name: "bad.json", mimeType: "application/json", buffer: Buffer.from('{"format": "decider-lab/scenario"}'),
  });
  await banner.waitFor();
  await page.keyboard.press("?");
  await page.getByTestId("shortcuts").waitFor();
  await page.keyboard.press("Escape");
  await page.getByTestId("shortcuts").waitFor({ state: "detached" });
  assert.equal(await banner.count(), 1, "the overlay went first");
  await page.keyboard.press("Escape");
  await banner.waitFor({ state: "detached" });
  assert.equal(await focused(), "command-picker", "on the composer");
  assert.deepEqual(errors, []);
});

test("a trace node's whole name: in its tooltip, and hovered, focused or selected, in the trace's header", async () => {
  const { page, errors } = await open(env);
  for (const command of scenarioCommands("restaurant", "happy-path")) await submit(page, command);
  await page.locator("[data-testid=log-row]", { hasText: "order_ready_for_pickup" }).click();
  const named = page.getByTestId("trace-node-name");
  await page.waitForFunction(() => document.querySelector("[data-testid=trace-node-name]")?.textContent.includes("order_ready"));
  assert.match(await named.textContent(), /order\.order_ready_for_pickup · order-o1 · #8/);
  const node = page.locator("[data-testid=trace-node][aria-pressed=true]");
  assert.doesNotMatch(await node.locator("text").first().textContent(), /order_ready_for_pickup/, "cut in its node");
  assert.match(await node.locator("title").textContent(), /order\.order_ready_for_pickup/, "whole in its tooltip");
  // The keyboard moves through the flow: each node's name is read in the header.
  await node.focus();
  await page.keyboard.press("ArrowLeft");
  assert.match(await named.textContent(), /\.mark_ready · from fulfilment/);
  await page.keyboard.press("Home");
  assert.match(await named.textContent(), /restaurant\.mark_prepared/);
  assert.deepEqual(errors, []);
});

test("the header's count is a bare number for scripts and grouped for people; one fact is a fact", async () => {
  const { page, errors } = await open(env);
  // What is seen: the grouped number and the noun after it.
  const shown = page.locator("[data-testid=head] + span");
  const seen = () => shown.evaluate((s) => s.textContent + s.nextSibling.textContent);
  await choose(page, "domain-picker", "counter");
  await submit(page, { increment: { counter_id: "c", by: 1 } });
  await waitForHead(page, 1);
  assert.equal(await seen(), "1 fact");
  await submit(page, { increment: { counter_id: "c${i}", by: 1 } }, { times: 1200 });
  await waitForHead(page, 1201, 60000);
  assert.equal(await page.getByTestId("head").textContent(), "1201", "scripts read a bare number");
  assert.equal(await seen(), "1,201 facts", "people read it grouped");
  assert.equal(await shown.getAttribute("aria-hidden"), "true", "screen readers read the bare number once");
  assert.deepEqual(errors, []);
});

test("the timeline's and the past banner's positions are grouped in thousands", async () => {
  const { page, errors } = await open(env);
  await choose(page, "domain-picker", "counter");
  await submit(page, { increment: { counter_id: "c${i}", by: 1 } }, { times: 1200 });
  await waitForHead(page, 1200, 60000);
  const position = page.locator(".timeline-position");
  assert.equal(await position.textContent(), "position 1,200 / 1,200");
  await page.getByTestId("timeline").fill("1100");
  await page.getByTestId("past-banner").waitFor();
  assert.equal(await position.textContent(), "position 1,100 / 1,200");
  assert.equal(await page.getByTestId("timeline").getAttribute("aria-valuetext"), "position 1,100 of 1,200");
  assert.match(await page.getByTestId("past-banner").textContent(), /\(position 1,100 of 1,200\)/);
  assert.deepEqual(errors, []);
});

test("a flow narrower than the trace panel has its lanes to the panel's edge, and nothing more to scroll", async () => {
  const { page, errors } = await open(env);
  await notOnMenu(page);
  const seen = await page.evaluate(() => {
    const scroll = document.querySelector(".trace-scroll");
    const drawing = document.querySelector("[data-testid=trace]").getBoundingClientRect();
    const panel = scroll.getBoundingClientRect();
    // Beside the drawing, 10 px inside the panel's right edge, at each lane's middle.
    const lanes = [...document.querySelectorAll("[data-testid=trace-lane]")].map((lane) => {
      const r = lane.getBoundingClientRect();
      return document.elementFromPoint(panel.right - 10, r.top + r.height / 2)?.getAttribute("class");
    });
    return { room: panel.right - drawing.right, lanes, scrolls: scroll.scrollWidth > scroll.clientWidth };
  });
  assert.ok(seen.room > 50, `at 1440 px the five-lane flow is narrower than the panel: ${JSON.stringify(seen)}`);
  assert.ok(seen.lanes.length >= 5 && seen.lanes.every((c) => /trace-band/.test(c ?? "")), JSON.stringify(seen));
  assert.equal(seen.scrolls, false, "the bands' run-on adds nothing to scroll");
  assert.deepEqual(errors, []);
});

test("the trace keeps its place when a fault's editor opens in a short window", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const { page, errors } = await open(env, "/", { context });
  const accept = await acceptQueued(page);
  const trace = () => page.getByTestId("trace").evaluate((t) => t.closest(".panel").getBoundingClientRect().toJSON());
  const before = await trace();
  await accept.getByTestId("inject-button").click();
  await page.getByTestId("inject-json").waitFor();
  assert.deepEqual(await trace(), before, "the trace panel did not move");
  const seen = await inSight(page, "[data-testid=inject-json], [data-testid=inject-submit]");
  assert.deepEqual(seen, [true, true], "the editor is whole");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an invalid command's note beside Submit shows the error whole and focuses the raw JSON", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const { page, errors } = await open(env, "/", { context });
  // The examples fill the composer of a newcomer: the error below the raw JSON is out of sight.
  await fillCommand(page, { order: { place_order: { customer: "Ada", items: [7], order_id: "o1", restaurant_id: "luigi" } } });
  await page.getByTestId("command-error").waitFor();
  assert.deepEqual(await inSight(page, "[data-testid=command-error]"), [false], "out of sight at first");
  await page.getByRole("button", { name: /^Show the error: at \$\.order\.place_order\.items/ }).click();
  assert.deepEqual(await inSight(page, "[data-testid=command-error]"), [true], "the error is in sight");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "command-json");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the panels' edges move with the pointer and the arrow keys, and stay where they were put after a reload", async () => {
  const { page, errors } = await open(env);
  await submit(page, scenarioCommands("restaurant", "happy-path")[0]);
  await waitForHead(page, 1);
  const splitter = (name) => page.locator(`[data-testid=splitter][data-split=${name}]`);
  const share = async (name) => Number(await splitter(name).getAttribute("aria-valuenow"));
  const box = async (name) => splitter(name).boundingBox();
  for (const name of ["composer", "side", "trace"]) {
    assert.equal(await splitter(name).getAttribute("role"), "separator");
    assert.match(await splitter(name).getAttribute("aria-label"), /^Resize the /);
  }
  assert.equal(await share("trace"), 38, "the trace's default share of the height");

  // The keyboard: three steps up grow the trace; the arrows move no fact in time here.
  const traceTop = (await box("trace")).y;
  await splitter("trace").focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowUp");
  assert.equal(await share("trace"), 44);
  assert.ok((await box("trace")).y < traceTop - 20, "the trace's top edge went up");
  await splitter("composer").focus();
  await page.keyboard.press("Shift+ArrowRight");
  assert.equal(await share("composer"), 31, "Shift moves by four steps");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await page.getByTestId("past-banner").count(), 0, "← on a splitter is not a step back in time");
  assert.equal(await share("composer"), 29);

  // The pointer: the right column's edge dragged 150 px to the left widens it.
  const side = await box("side");
  await page.mouse.move(side.x + side.width / 2, side.y + side.height / 2);
  await page.mouse.down();
  await page.mouse.move(side.x - 150, side.y + side.height / 2, { steps: 5 });
  await page.mouse.up();
  const moved = await box("side");
  assert.ok(Math.abs(moved.x - (side.x - 150)) < 4, `the edge follows the pointer: ${side.x} → ${moved.x}`);
  const sideShare = await share("side");
  assert.ok(sideShare > 33, `the right column is wider: ${sideShare} %`);
  await page.screenshot({ path: shots + "resized.png" });

  // Kept by this browser: a reload puts every edge back where it was.
  await page.reload();
  await page.waitForSelector("[data-testid=domain-picker]");
  assert.equal(await share("trace"), 44);
  assert.equal(await share("composer"), 29);
  assert.equal(await share("side"), sideShare);
  assert.ok(Math.abs((await box("side")).x - moved.x) < 2, "the right column's edge is where it was");

  // A double click (or Enter) gives the default size back, for the next load too.
  await splitter("trace").dblclick();
  assert.equal(await share("trace"), 38);
  await splitter("composer").focus();
  await page.keyboard.press("Enter");
  assert.equal(await share("composer"), 23);
  await page.reload();
  await page.waitForSelector("[data-testid=domain-picker]");
  assert.equal(await share("trace"), 38);
  assert.equal(await share("composer"), 23);
  assert.ok(Math.abs((await box("trace")).y - traceTop) < 2, "the trace is back at its default height");

  // Home: as narrow as the composer gets (its 280 px, right of the grid's 6 px padding).
  await splitter("composer").focus();
  await page.keyboard.press("Home");
  const least = await box("composer");
  assert.ok(Math.abs(least.x - (6 + 280)) < 2, `the composer at its least width: edge at ${least.x}`);
  assert.equal(await share("composer"), Math.round((100 * 280) / (1440 - 12)));
  const range = async (name) =>
    [await splitter(name).getAttribute("aria-valuemin"), await splitter(name).getAttribute("aria-valuemax")].map(Number);
  assert.equal((await range("composer"))[0], await share("composer"), "the announced least share is the one Home gave");
  // End: as wide as the composer gets, which is where the log keeps its 360 px.
  await page.keyboard.press("End");
  assert.equal((await range("composer"))[1], await share("composer"), "the announced largest share is the one End gave");
  const log = await page.locator(".panel-log").boundingBox();
  assert.ok(log.width >= 359, `the log keeps its least width: ${log.width}`);
  assert.deepEqual(errors, []);
});

test("real-time mode: the flow unfolds one step at a time", async () => {
  const { page, errors } = await open(env);
  const [create, openCmd, place] = scenarioCommands("restaurant", "happy-path");
  await submit(page, create);
  await submit(page, openCmd);
  const before = await head(page);
  await choose(page, "run-mode", "realtime");
  await page.getByTestId("interval").fill("150");
  await page.getByTestId("interval").press("Enter");
  await submit(page, place);
  // The order's flow takes several steps; it must be seen partly done, then done.
  await page.waitForFunction((b) => Number(document.querySelector("[data-testid=head]").textContent) > b, before);
  const partial = await head(page);
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=queue-item]").length === 0, null, { timeout: 15000 });
  const done = await head(page);
  assert.ok(done > partial, `grew from ${partial} to ${done} step by step`);
  assert.ok(done - before >= 4, `the whole flow ran: ${done - before} facts`);
  assert.deepEqual(errors, []);
});

test("Repeat ×1000 creates a thousand orders' worth of facts and the log stays virtualized", async () => {
  const { page, errors } = await open(env);
  await choose(page, "domain-picker", "counter");
  await submit(page, { increment: { counter_id: "c${i}", by: 1 } }, { times: 1000 });
  await waitForHead(page, 1000, 30000);
  const rendered = await page.getByTestId("log-row").count();
  assert.ok(rendered > 0 && rendered < 150, `only visible rows are in the DOM: ${rendered}`);
  const streams = new Set((await logRows(page)).map((r) => r.stream));
  assert.ok(streams.size > 1, "each repetition has its own counter");
  await page.screenshot({ path: shots + "repeat.png" });
  assert.deepEqual(errors, []);
});

test("while a Repeat runs the inspector says its state is held, not live, and is live again at its end", async () => {
  const { page, errors } = await open(env);
  await choose(page, "domain-picker", "counter");
  const status = () => page.getByTestId("inspector").locator("header").innerText();
  assert.match(await status(), /live/);
  await submit(page, { increment: { counter_id: "c${i}", by: 1 } }, { times: 20000 });
  await page.locator(".composer-progress").waitFor();
  const during = await status();
  assert.match(during, /◌ held/, during);
  assert.doesNotMatch(during, /live/, "the held state is not called live");
  assert.match(await page.getByTestId("inspector").locator("header [title]").last().getAttribute("title"), /Repeat/);
  await waitForHead(page, 20000, 120000);
  await page.locator(".composer-progress").waitFor({ state: "detached" });
  assert.match(await status(), /state after #19999\s+● live/);
  assert.deepEqual(errors, []);
});

test("a panic shows a visible error instead of a blank page", async () => {
  const { page, errors } = await open(env, "/?debug-panic", { noWait: true });
  const alert = page.locator("#panic");
  await alert.waitFor({ timeout: 15000 });
  assert.equal(await alert.getAttribute("role"), "alert");
  assert.match(await alert.textContent(), /deliberate panic requested with \?debug-panic/);
  assert.ok(await alert.isVisible());
  await page.screenshot({ path: shots + "panic.png" });
  assert.ok(errors.some((e) => e.includes("deliberate panic")), `console: ${errors}`);
});
