// History: every policy activation (when, which version, what triggered it, who, and the note
// written on deploy), newest first, and the text difference between any two of them.
import { call } from "./api.js";
import { status } from "./app.js";
import { el, field, table } from "./dom.js";

export async function historyScreen(main) {
  status("Loading the activations…");
  const { activations } = await call("GET", "/v1/policies/history");
  const list = [...activations].reverse();
  main.append(el("h1", { text: "Policy history" }));
  if (!list.length) {
    main.append(el("p", { class: "muted", text: "No activation is recorded yet." }));
    status("No activations.", "ok");
    return;
  }
  const option = (a, selected) => el("option", { value: a.sha256, selected,
    text: `${a.version} · ${a.time} · ${a.sha256.slice(0, 12)}` });
  // Versions may repeat (a restart of the same policy): one entry per policy.
  const distinct = list.filter((a, i) => list.findIndex((b) => b.sha256 === a.sha256) === i);
  const fromSelect = el("select", { name: "from" }, distinct.map((a, i) => option(a, i === 1)));
  const toSelect = el("select", { name: "to" }, distinct.map((a, i) => option(a, i === 0)));
  const out = el("div", { id: "diff", "aria-live": "polite" });
  const form = el("form", { class: "filters", "aria-label": "Compare two policies" },
    field("Earlier policy", fromSelect), field("Later policy", toSelect),
    el("div", { class: "field" }, el("button", { type: "submit", text: "Show the difference" })));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    await showDiff(fromSelect.value, toSelect.value, out);
  });
  main.append(
    table("Activations, newest first", ["Time (UTC)", "Version", "Trigger", "By", "Note", "sha256"],
      list.map((a) => [a.time, a.version, a.trigger, a.by || "—", a.note || "—",
                       el("code", { text: a.sha256.slice(0, 12) })])),
    el("h2", { text: "Difference" }), form, out);
  status(`${list.length} activation(s).`, "ok");
  if (distinct.length > 1) await showDiff(fromSelect.value, toSelect.value, out);
}

async function showDiff(from, to, out) {
  status("Comparing…");
  try {
    const d = await call("GET", `/v1/policies/diff?from=${from}&to=${to}`);
    const lines = (d.diff || "").split("\n");
    out.replaceChildren(
      el("p", {}, `From ${d.from.version} (${d.from.sha256.slice(0, 12)}) to ${d.to.version} (${d.to.sha256.slice(0, 12)}):`),
      d.diff ? el("pre", { class: "diff" }, lines.map((l) => el("span", {
        class: l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : l.startsWith("@@") ? "hunk" : "",
        text: l + "\n" })))
             : el("p", { class: "muted", text: "No difference." }));
    status("Difference shown.", "ok");
  } catch (e) {
    status(e.message, "error");
  }
}
