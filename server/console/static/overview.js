// Overview: decisions per day (or hour) by outcome as a stacked chart with the policy
// activations drawn on the same time axis, the most frequent reasons, and the share of
// undetermined decisions with the facts they missed. One call: GET /v1/stats, answered from
// counts the service keeps per hour (no scan of the log).
import { call } from "./api.js";
import { status, refresh } from "./app.js";
import { el, field, table, hashParams, hashWith, daysFromToday, OUTCOMES } from "./dom.js";

const COLOURS = { approve: "#2e7d32", resubmit: "#e0a100", review: "#1565c0", reject: "#b3261e" };

export async function overviewScreen(main) {
  const p = hashParams();
  const from = p.get("from") || daysFromToday(-29);
  const to = p.get("to") || daysFromToday(1);
  const bucket = p.get("bucket") || "day";
  const form = el("form", { class: "filters", "aria-label": "Time range" },
    field("From (UTC)", el("input", { type: "date", name: "from", value: from, required: true })),
    field("To (UTC, exclusive)", el("input", { type: "date", name: "to", value: to, required: true })),
    field("Per", el("select", { name: "bucket" },
      el("option", { value: "day", text: "day", selected: bucket === "day" }),
      el("option", { value: "hour", text: "hour (31 days at most)", selected: bucket === "hour" }))),
    el("div", { class: "field" }, el("button", { type: "submit", text: "Show" })));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const next = hashWith("#/overview", { from: form.from.value, to: form.to.value,
                                          bucket: form.bucket.value });
    if (next === location.hash) refresh();
    else location.hash = next;
  });
  main.append(el("h1", { text: "Overview" }), form);

  status("Counting decisions…");
  const stats = await call("GET", `/v1/stats?from=${from}&to=${to}&bucket=${bucket}`);
  stats.buckets = allBuckets(stats, from, to, bucket);
  const u = stats.undetermined;
  main.append(
    el("p", { id: "totals" },
      `${stats.total} decisions from ${from} to ${to}. `,
      `${u.decisions} (${(100 * u.share).toFixed(1)}%) had a reason left undetermined for lack of a fact.`),
    el("figure", {},
      el("div", { class: "chart" }, el("canvas", { id: "per-bucket", role: "img",
        "aria-label": `Decisions per ${bucket} by outcome, with policy activations` })),
      el("figcaption", { class: "muted",
        text: "Decisions per " + bucket + " by outcome. Dashed lines: policy activations." })),
    bucketTable(stats, bucket));
  drawChart(stats, bucket);

  const search = (params) => hashWith("#/decisions", { ...params, from, to });
  main.append(
    el("section", { class: "columns" },
      el("div", {}, el("h2", { text: "Most frequent reasons" }),
        stats.reasons.length
          ? table("Reasons by decisions", ["Reason", "Decisions"], stats.reasons.map((r) => [
              el("a", { href: search({ reason: r.code }), text: r.code }), String(r.count)]))
          : el("p", { class: "muted", text: "No reason fired in this range." })),
      el("div", {}, el("h2", { text: "Facts missing" }),
        u.missing_facts.length
          ? table("Facts missing from undetermined decisions", ["Fact", "Decisions"],
                  u.missing_facts.map((m) => [m.fact, String(m.count)]))
          : el("p", { class: "muted", text: "No decision missed a fact." }))),
    el("h2", { text: "Policy activations" }),
    stats.activations.length
      ? table("Policy activations", ["Time", "Version", "Trigger", "By"],
              stats.activations.map((a) => [a.time, a.version, a.trigger, a.by || "—"]))
      : el("p", { class: "muted", text: "No policy was activated in this range." }));
  status(`Overview of ${stats.total} decisions.`, "ok");
}

// The chart's numbers as a table too, for screen readers and for copying.
function bucketTable(stats, bucket) {
  return el("details", {}, el("summary", { text: "The numbers as a table" }),
    table(`Decisions per ${bucket}`, [bucket, "total", ...OUTCOMES],
          stats.buckets.map((b) => [label(b.start, bucket), String(b.total),
                                    ...OUTCOMES.map((o) => String(b.outcomes[o] || 0))])));
}

function label(start, bucket) {
  return bucket === "day" ? start.slice(0, 10) : start.slice(0, 13).replace("T", " ") + "h";
}

// Every bucket of the range, the empty ones too: a quiet day shows as a gap, not as nothing.
function allBuckets(stats, from, to, bucket) {
  const counted = new Map(stats.buckets.map((b) => [label(b.start, bucket), b]));
  const step = bucket === "day" ? 86400000 : 3600000;
  const out = [];
  for (let t = Date.parse(from + "T00:00:00Z"); t < Date.parse(to + "T00:00:00Z"); t += step) {
    const start = new Date(t).toISOString().replace(".000Z", "Z");
    out.push(counted.get(label(start, bucket)) || { start, total: 0, outcomes: {} });
  }
  return out;
}

function drawChart(stats, bucket) {
  const labels = stats.buckets.map((b) => label(b.start, bucket));
  // Each activation at the bucket it happened in.
  const marks = stats.activations.map((a) => ({
    at: labels.indexOf(label(a.time, bucket)), text: a.version,
  })).filter((m) => m.at >= 0);
  const activations = {
    id: "activations",
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      ctx.save();
      ctx.strokeStyle = "#333";
      ctx.fillStyle = "#333";
      ctx.setLineDash([4, 3]);
      ctx.font = "11px system-ui, sans-serif";
      for (const m of marks) {
        const x = scales.x.getPixelForValue(m.at);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        ctx.fillText(m.text, x + 3, chartArea.top + 10);
      }
      ctx.restore();
    },
  };
  new window.Chart(document.getElementById("per-bucket"), {
    type: "bar",
    data: {
      labels,
      datasets: OUTCOMES.map((o) => ({
        label: o, backgroundColor: COLOURS[o],
        data: stats.buckets.map((b) => b.outcomes[o] || 0),
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
    plugins: [activations],
  });
}
