// Decisions: search the recorded decisions by id, account, outcome, reason, policy version and
// time, newest first, a page at a time (GET /v1/verifications). The search lives in the
// page's address (#/decisions?reason=...), so it can be shared; the token never does. The
// whole search exports as CSV, the columns of `kyc audit export --format csv`.
import { call } from "./api.js";
import { status, refresh } from "./app.js";
import { el, field, table, hashParams, hashWith, saveFile, outcomeBadge, decisionLink,
         isoDay, OUTCOMES } from "./dom.js";

const FILTERS = ["decision_id", "account_id", "outcome", "reason", "policy_version", "from", "to"];

export async function decisionsScreen(main) {
  const p = hashParams();
  const q = Object.fromEntries(FILTERS.map((k) => [k, p.get(k) || ""]));
  const text = (label, name, extra = {}) =>
    field(label, el("input", { type: "text", name, value: q[name], ...extra }));
  const form = el("form", { class: "filters", role: "search", "aria-label": "Search decisions" },
    text("Decision id", "decision_id"),
    text("Account id", "account_id"),
    field("Outcome", el("select", { name: "outcome" },
      el("option", { value: "", text: "any" }),
      OUTCOMES.map((o) => el("option", { value: o, text: o, selected: q.outcome === o })))),
    text("Reason code", "reason", { placeholder: "DOC_EXPIRED", pattern: "[A-Z0-9_]*",
                                    title: "an upper-case reason code" }),
    text("Policy version", "policy_version"),
    field("From (UTC)", el("input", { type: "date", name: "from", value: q.from })),
    field("To (UTC, exclusive)", el("input", { type: "date", name: "to", value: q.to })),
    el("div", { class: "field" }, el("button", { type: "submit", text: "Search" })));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const next = hashWith("#/decisions", Object.fromEntries(FILTERS.map((k) => [k, form[k].value.trim()])));
    // The same search again still runs (hashchange does not fire for an unchanged hash).
    if (next === location.hash) refresh();
    else location.hash = next;
  });
  const exportButton = el("button", { type: "button", class: "secondary", text: "Export as CSV" });
  const results = el("div", { id: "results", "aria-live": "polite" });
  main.append(el("h1", { text: "Decisions" }), form,
              el("div", { class: "toolbar" }, exportButton), results);

  const query = new URLSearchParams(Object.entries(q).filter(([, v]) => v));
  exportButton.addEventListener("click", () => exportCsv(query, exportButton));
  await showPage(results, query, null);
}

async function showPage(results, query, after) {
  status("Searching…");
  const page = new URLSearchParams(query);
  page.set("limit", "50");
  if (after) page.set("after", after);
  const answer = await call("GET", "/v1/verifications?" + page.toString());
  results.querySelector(".more")?.remove();
  if (!after) results.replaceChildren();
  if (!answer.items.length && !after) {
    results.append(el("p", { class: "muted", text: "No decision matches this search." }));
    status("No decision found.", "ok");
    return;
  }
  const link = (name, value) => el("a", { href: hashWith("#/decisions", { [name]: value }), text: value });
  results.append(table("Decisions, newest first",
    ["Time (UTC)", "Decision", "Account", "Outcome", "Reasons", "Undetermined", "Policy"],
    answer.items.map((d) => [
      d.time.replace("T", " ").replace("Z", ""),
      decisionLink(d.decision_id),
      d.account_id ? link("account_id", d.account_id) : "—",
      outcomeBadge(d.outcome),
      el("span", {}, d.reasons.flatMap((r, i) => [i ? ", " : "", link("reason", r)])),
      d.undetermined.join(", "),
      d.policy_version,
    ])));
  const shown = results.querySelectorAll("tbody tr").length;
  if (answer.next) {
    const more = el("button", { type: "button", class: "secondary more", text: "Show older decisions" });
    more.addEventListener("click", async () => {
      more.disabled = true;
      try { await showPage(results, query, answer.next); } catch (e) { status(e.message, "error"); more.disabled = false; }
    });
    results.append(more);
  }
  status(`${shown} decision(s) shown${answer.next ? "; older ones follow" : ""}.`, "ok");
}

// Saves every decision a search finds as CSV (the server refuses more than its export limit,
// and says so). Used by this screen and by Audit's export of a time range.
export async function exportCsv(query, button, filename) {
  button.disabled = true;
  status("Exporting as CSV…");
  try {
    const q = new URLSearchParams(query);
    q.set("format", "csv");
    const csv = await call("GET", "/v1/verifications?" + q.toString());
    saveFile(csv, filename || `decisions-${isoDay(new Date())}.csv`, "text/csv");
    status(`Exported ${csv.split("\n").length - 2} decision(s) as CSV.`, "ok");
  } catch (e) {
    status(e.message, "error");
  } finally {
    button.disabled = false;
  }
}
