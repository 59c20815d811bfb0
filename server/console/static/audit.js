// Audit: check the whole hash chain (POST /v1/audit/verify starts it in the background; the
// screen polls its progress, then shows the result or the first broken record), and export
// the decisions of a time range as CSV.
import { call } from "./api.js";
import { status } from "./app.js";
import { el, field, decisionLink, daysFromToday } from "./dom.js";
import { exportCsv } from "./decisions.js";

const POLL_MS = 400;

export async function auditScreen(main) {
  const start = el("button", { type: "button", id: "verify", text: "Check the chain" });
  const bar = el("progress", { id: "verify-progress", max: 1, value: 0, "aria-label": "Chain check progress" });
  const result = el("div", { id: "verify-result", "aria-live": "polite" });
  const from = el("input", { type: "date", name: "from", value: daysFromToday(-29) });
  const to = el("input", { type: "date", name: "to", value: daysFromToday(1) });
  const exportButton = el("button", { type: "button", text: "Export as CSV" });
  main.append(
    el("h1", { text: "Audit" }),
    el("h2", { text: "Chain check" }),
    el("p", {}, "Every decision and every policy activation is chained to the one before by a " +
                "hash. The check recomputes the whole chain: an edited, removed, reordered or " +
                "inserted record is found, and the first broken one is named."),
    el("div", { class: "toolbar" }, start, bar), result,
    el("h2", { text: "Export" }),
    el("p", {}, "The decisions of a time range, one row each with their facts and decision, " +
                "for a spreadsheet."),
    el("div", { class: "filters" }, field("From (UTC)", from), field("To (UTC, exclusive)", to),
       el("div", { class: "field" }, exportButton)));
  start.addEventListener("click", async () => {
    start.disabled = true;
    try {
      show(await call("POST", "/v1/audit/verify"), bar, result);
      await poll(bar, result);
    } catch (e) {
      status(e.message, "error");
    } finally {
      start.disabled = false;
    }
  });
  exportButton.addEventListener("click", () => {
    const range = Object.fromEntries([["from", from.value], ["to", to.value]].filter(([, v]) => v));
    exportCsv(range, exportButton, `decisions-${from.value || "start"}-to-${to.value || "now"}.csv`);
  });
  // A check started earlier (by anyone) is shown as it stands.
  const now = await call("GET", "/v1/audit/verify");
  if (now.state !== "idle") show(now, bar, result);
  if (now.state === "running") {
    start.disabled = true;
    await poll(bar, result).finally(() => { start.disabled = false; });
  } else if (now.state === "idle") {
    status("Ready.", "ok");
  }
}

async function poll(bar, result) {
  let misses = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (!bar.isConnected) return;  // the screen was left: the check goes on without us
    let s;
    try {
      s = await call("GET", "/v1/audit/verify");
      misses = 0;
    } catch (e) {
      // The service restarting: say so and keep asking for a while.
      if (e.status !== 0 || ++misses > 25) throw e;
      status(e.message);
      continue;
    }
    if (s.state === "idle") {
      result.replaceChildren(el("p", { class: "error",
        text: "The service restarted before the check finished: start it again." }));
      status("The check was interrupted.", "error");
      return;
    }
    show(s, bar, result);
    if (s.state === "done") return;
  }
}

function show(s, bar, result) {
  bar.max = Math.max(1, s.total);
  bar.value = s.checked;
  if (s.state === "running") {
    status(`Checking the chain: ${s.checked} of ${s.total} records…`);
    result.replaceChildren(el("p", { class: "muted", text: `Started ${s.started_at} by ${s.by || "—"}.` }));
    return;
  }
  bar.value = bar.max;
  if (s.ok) {
    result.replaceChildren(el("p", { class: "ok",
      text: `Intact: ${s.records} records checked, the chain holds (finished ${s.finished_at}).` }));
    status("The chain is intact.", "ok");
  } else {
    const b = s.broken || {};
    result.replaceChildren(el("p", { class: "error" },
      `Broken at record ${b.seq}`, b.decision_id ? el("span", {}, " (decision ", decisionLink(b.decision_id), ")") : "",
      `: ${b.problem}`));
    status("The chain is broken.", "error");
  }
}
