// The impact of a draft policy on recorded decisions (POST /v1/replay with the draft): the
// outcomes before and after as a chart, each kind of change with the reasons that caused it and
// example decisions, the reasons that fire more or less often, and the report's warnings.
import { el, table, outcomeBadge, decisionLink, OUTCOMES } from "./dom.js";

let chart = null;

export function renderImpact(into, report) {
  const m = report.impact;
  const rate = (x) => (100 * x).toFixed(1) + "%";
  const changedReasons = m.reasons.filter((r) =>
    r.fired_before !== r.fired_after || r.undetermined_before !== r.undetermined_after);
  // Through el(): its children may be null (a part the report does not have).
  into.replaceChildren(el("div", {},
    el("h2", { text: "Impact of the draft" }),
    el("p", { id: "impact-summary" },
       `${m.decisions} recorded decision(s) replayed with the draft: ${m.changed} would change` +
       (m.not_replayed ? `, ${m.not_replayed} could not be replayed` : "") + "."),
    (m.warnings || []).length
      ? el("ul", { class: "warnings" }, m.warnings.map((w) => el("li", { class: "error", text: w })))
      : null,
    (m.never_recorded || []).length
      ? el("p", { class: "error", text: "The draft reads facts history never recorded: " +
                                         m.never_recorded.join(", ") + "." })
      : null,
    el("figure", {},
       el("div", { class: "chart small" }, el("canvas", { id: "impact-chart", role: "img",
         "aria-label": "Outcomes before and after the draft" })),
       el("figcaption", { class: "muted", text: "Outcomes of the same decisions, as recorded and with the draft." })),
    table("Outcomes before and after", ["Outcome", "Before", "After"],
          OUTCOMES.map((o) => [outcomeBadge(o),
            `${m.outcomes[o].before} (${rate(m.outcomes[o].before_rate)})`,
            `${m.outcomes[o].after} (${rate(m.outcomes[o].after_rate)})`])),
    el("h3", { text: "What changes" }),
    m.changes.length ? el("div", {}, m.changes.map(change))
                     : el("p", { class: "muted", text: "No decision changes." }),
    el("h3", { text: "Reasons that fire differently" }),
    changedReasons.length
      ? table("Reasons before and after", ["Reason", "Fired before", "Fired after",
                                           "Undetermined before", "Undetermined after"],
              changedReasons.map((r) => [r.code + (r.in_candidate ? "" : " (removed)"),
                String(r.fired_before), String(r.fired_after),
                String(r.undetermined_before), String(r.undetermined_after)]))
      : el("p", { class: "muted", text: "Every reason fires as before." })));
  if (chart) chart.destroy();
  chart = new window.Chart(into.querySelector("#impact-chart"), {
    type: "bar",
    data: {
      labels: OUTCOMES,
      datasets: [
        { label: "as recorded", backgroundColor: "#9aa7b3", data: OUTCOMES.map((o) => m.outcomes[o].before) },
        { label: "with the draft", backgroundColor: "#2f6fb3", data: OUTCOMES.map((o) => m.outcomes[o].after) },
      ],
    },
    options: { animation: false, maintainAspectRatio: false,
               scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

function change(c) {
  const codes = (list) => list.map((r) => r.code).join(", ") || "none";
  return el("section", { class: "change" },
    el("h4", {}, outcomeBadge(c.from), " → ", outcomeBadge(c.to), `: ${c.decisions} decision(s)`),
    el("ul", {}, c.causes.map((x) => el("li", {}, el("strong", { text: x.code }), ` ${x.change} (${x.decisions})`))),
    table("Examples", ["Decision", "Reasons before", "Reasons after"],
          c.examples.map((e) => [decisionLink(e.decision_id), codes(e.before.reasons), codes(e.after.reasons)])));
}
