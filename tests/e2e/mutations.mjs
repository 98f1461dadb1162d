// Developer helper: `node tests/e2e/mutations.mjs [facts] [moves]` serves dist/ (DIST_DIR),
// fills a counter session with `facts` facts (20,000 by default) as the slider bench does,
// then moves the slider `moves` times (4 by default, the bench's positions scaled) and
// prints, for each move, the DOM mutations it made, counted per panel and kind (attribute
// name, text, nodes added or removed): what a move costs the browser, as counts that do
// not depend on the machine's load. ORDERS=<n>: a restaurant session of the big restaurant
// and a Repeat ×n orders instead (`facts` is then ignored).
import { start, open, counterSession, restaurantSession } from "./helpers.mjs";

let facts = Number(process.argv[2] ?? 20000);
const moves = Number(process.argv[3] ?? 4);
const env = await start();
const { page } = await open(env);
if (process.env.ORDERS) facts = await restaurantSession(page, Number(process.env.ORDERS));
else await counterSession(page, facts);
const positions = [0.123457, 0.500001, 0.999001, 0.000042].map((f) => Math.max(1, Math.round(f * facts)));
for (const position of positions.slice(0, moves)) {
  const { counts, beforeFrame } = await page.evaluate(
    (position) =>
      new Promise((resolve) => {
        const counts = {};
        const where = (node) => {
          const el = node.nodeType === 1 ? node : node.parentElement;
          const panel = el?.closest("[class*=panel-], header, footer, .workspaces, [role=alert], .past-banner");
          const name = panel && [...panel.classList].find((c) => c.startsWith("panel-"));
          return name ?? (panel ? (panel.className || panel.tagName).toString().split(" ")[0] : "page");
        };
        const add = (key, n = 1) => (counts[key] = (counts[key] ?? 0) + n);
        const tally = (records) => {
          for (const r of records) {
            const kind = r.type === "attributes" ? `@${r.attributeName}` : r.type === "characterData" ? "text" : `+${r.addedNodes.length}/-${r.removedNodes.length}`;
            add(`${where(r.target)} ${r.type === "childList" ? "nodes" : kind}`, r.type === "childList" ? r.addedNodes.length + r.removedNodes.length : 1);
          }
        };
        const observer = new MutationObserver(tally);
        observer.observe(document.body, { subtree: true, attributes: true, characterData: true, childList: true });
        const s = document.querySelector("[data-testid=timeline]");
        s.value = String(position);
        s.dispatchEvent(new Event("input", { bubbles: true }));
        // Two frames: the move's render and what its next frame does; those made before
        // the next frame's callbacks (the bench's check) are counted apart too.
        let beforeFrame = {};
        requestAnimationFrame(() => {
          tally(observer.takeRecords());
          beforeFrame = { ...counts };
          requestAnimationFrame(() => setTimeout(() => {
            observer.disconnect();
            resolve({ counts, beforeFrame });
          }, 50));
        });
      }),
    position,
  );
  const sum = (c) => Object.values(c).reduce((a, b) => a + b, 0);
  console.log(`move to ${position}: ${sum(counts)} mutations, ${sum(beforeFrame)} of them before the next frame (all, before)`);
  for (const [key, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) {
    console.log(`${String(n).padStart(7)} ${String(beforeFrame[key] ?? 0).padStart(6)}  ${key}`);
  }
}
await env.close();
