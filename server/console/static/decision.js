// One decision: its outcome; the reasons with what the person was told and the evidence;
// the undetermined reasons with the facts they missed; the facts as evaluated; the policy of
// that time with the fired reasons' lines highlighted; the notice e-mail in each of the
// policy's locales; the record's place in the hash chain; and Replay, which decides again
// from the recorded facts and policy and shows `match` or the exact difference.
import { call } from "./api.js";
import { status } from "./app.js";
import { el, table, outcomeBadge, hashWith } from "./dom.js";
import { definePolicyMode } from "./policy_mode.js";

export async function decisionScreen(main) {
  const id = decodeURIComponent(location.hash.slice("#/decision/".length).split("?")[0]);
  status("Loading the decision…");
  const r = await call("GET", "/v1/verifications/" + encodeURIComponent(id));
  const d = r.decision;
  const replayButton = el("button", { type: "button", text: "Replay" });
  const replayResult = el("div", { id: "replay", "aria-live": "polite" });
  main.append(
    el("h1", {}, "Decision ", el("code", { text: r.decision_id })),
    el("p", { class: "summary" }, outcomeBadge(d.outcome), ` ${r.time} · `,
       r.account_id ? el("a", { href: hashWith("#/decisions", { account_id: r.account_id }),
                                text: "account " + r.account_id }) : "no account",
       ` · ${r.stage} · policy ${d.policy?.version || "?"}`),
    el("div", { class: "toolbar" }, replayButton,
       el("span", { class: "muted" }, "Decides again from the recorded facts and policy.")),
    replayResult,
    el("h2", { text: "Reasons" }), reasonsList(d.reasons || []),
    el("h2", { text: "Undetermined" }), undeterminedList(d.undetermined || []),
    el("h2", { text: "Facts as evaluated" }), factsTable(r.facts),
    el("h2", { text: "Audit chain" }),
    el("dl", { class: "chain" },
       el("dt", { text: "Record" }), el("dd", { text: String(r.seq) }),
       el("dt", { text: "Chain hash" }), el("dd", {}, el("code", { id: "chain-hash", text: r.hash })),
       el("dt", { text: "Policy sha256" }), el("dd", {}, el("code", { text: r.policy_sha256 }))));
  replayButton.addEventListener("click", () => replay(r.decision_id, replayButton, replayResult));

  const notices = el("section", { id: "notices" }, el("h2", { text: "Notice e-mail" }));
  const policy = el("section", { id: "policy" }, el("h2", { text: "Policy of that time" }));
  main.append(notices, policy);
  // The policy and the notices are extras: a failure there leaves the decision readable.
  const fired = (d.reasons || []).map((x) => x.code);
  const text = await showPolicy(policy, r.policy_sha256, fired).catch((e) => {
    policy.append(el("p", { class: "error", text: e.message }));
    return "";
  });
  await showNotices(notices, r.decision_id, locales(text)).catch((e) =>
    notices.append(el("p", { class: "error", text: e.message })));
  status(`Decision ${r.decision_id}: ${d.outcome}.`, "ok");
}

function reasonsList(reasons) {
  if (!reasons.length) return el("p", { class: "muted", text: "No reason fired." });
  return el("ol", { class: "reasons" }, reasons.map((x) => el("li", {},
    el("p", {}, el("strong", { text: x.code }), " ", outcomeBadge(x.outcome), " ", x.title || ""),
    x.detail ? el("p", { text: x.detail }) : null,
    x.action ? el("p", {}, el("em", { text: "What to do: " }), x.action) : null,
    (x.evidence || []).length
      ? table("Evidence for " + x.code, ["Condition", "Facts"], x.evidence.map((e) => [
          el("code", { text: e.atom }),
          Object.entries(e.facts || {}).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")]))
      : null)));
}

function undeterminedList(list) {
  if (!list.length) return el("p", { class: "muted", text: "Every reason could be decided." });
  return el("ul", {}, list.map((u) => el("li", {}, el("strong", { text: u.code }),
    ` could not be decided: missing ${(u.missing || []).join(", ") || "facts"}.`)));
}

function factsTable(facts) {
  const rows = Object.entries(facts || {}).map(([k, v]) =>
    [el("code", { text: k }), typeof v === "string" ? v : JSON.stringify(v)]);
  return table("Facts as evaluated", ["Fact", "Value"], rows);
}

async function replay(id, button, out) {
  button.disabled = true;
  status("Replaying…");
  try {
    const answer = await call("POST", `/v1/verifications/${encodeURIComponent(id)}/replay`, "{}");
    out.replaceChildren(answer.match
      ? el("p", { class: "ok", text: "match: the recorded facts and policy give the same decision." })
      : el("div", {}, el("p", { class: "error", text: "Different:" }),
           el("pre", { text: answer.difference })));
    status(answer.match ? "Replay: match." : "Replay: the decision differs.", answer.match ? "ok" : "error");
  } catch (e) {
    status(e.message, "error");
  } finally {
    button.disabled = false;
  }
}

// The locales the policy writes its messages in (its `locales` line).
function locales(text) {
  const m = /^\s*locales\s+([^\n#]+)/m.exec(text || "");
  return m ? m[1].split(",").map((s) => s.trim()).filter(Boolean) : ["en"];
}

async function showNotices(section, id, list) {
  for (const locale of list) {
    const n = await call("GET", `/v1/verifications/${encodeURIComponent(id)}/notice?locale=${locale}`);
    section.append(el("article", { class: "notice", lang: n.locale },
      el("h3", { text: `${n.locale}: ${n.subject}` }), el("pre", { text: n.text })));
  }
}

async function showPolicy(section, sha256, fired) {
  const p = await call("GET", "/v1/policies/recorded/" + sha256);
  section.append(el("p", { class: "muted" },
    fired.length ? `The lines of the reasons that fired (${fired.join(", ")}) are highlighted.`
                 : "No reason fired."),
    el("label", { for: "policy-text", text: "Policy text (read only)" }),
    el("textarea", { id: "policy-text" }));
  definePolicyMode(window.CodeMirror);
  const editor = window.CodeMirror.fromTextArea(section.querySelector("#policy-text"), {
    mode: "kyc-policy", lineNumbers: true, readOnly: true, extraKeys: { Tab: false, "Shift-Tab": false },
  });
  editor.setValue(p.text);
  editor.getInputField().setAttribute("aria-label", "Policy text of that time");
  let first = null;
  for (const code of fired) {
    const span = p.reasons[code];
    if (!span) continue;
    for (let line = span.line; line <= span.end_line; ++line)
      editor.addLineClass(line - 1, "background", line === span.when_line ? "fired-when" : "fired");
    if (first === null || span.line < first) first = span.line;
  }
  if (first !== null) editor.scrollIntoView({ line: first - 1, ch: 0 }, 120);
  return p.text;
}
