// The policy: the running text and its tests in editors, read-only for audit. For admin:
// live diagnostics while typing (POST /v1/policies/validate, debounced), shown as markers at
// their line and column; Format; Run tests (POST /v1/policies/test); the impact of the draft
// on the decisions of a time range (POST /v1/replay); and Deploy with a required note (POST
// /v1/policies/deploy: tests first, then written and activated, recorded with the note and
// the token's name).
import { call, ApiError } from "./api.js";
import { me, status } from "./app.js";
import { el, field, daysFromToday } from "./dom.js";
import { definePolicyMode } from "./policy_mode.js";
import { renderImpact } from "./impact.js";

export async function policyScreen(main) {
  status("Loading the running policy…");
  const [info, text, tests] = await Promise.all([
    call("GET", "/v1/policies"), call("GET", "/v1/policies/text"),
    call("GET", "/v1/policies/tests").catch((e) => (e.status === 404 ? "" : Promise.reject(e)))]);
  const running = info.policies[0] || {};
  const admin = me.roles.includes("admin");
  main.append(
    el("h1", { text: "Policy" }),
    el("p", { id: "running", text:
      `Running: ${running.name || "?"} version ${running.version || "?"} (sha256 ${(running.sha256 || "").slice(0, 12)}),` +
      ` loaded ${running.loaded_at || "?"}.` +
      (info.last_reload_error ? ` The last reload failed: ${info.last_reload_error}` : "") }),
    ...(admin ? [toolbar()] : []),
    el("label", { for: "editor-area", text: "Policy text" + (admin ? "" : " (read only: editing needs the admin role)") }),
    el("textarea", { id: "editor-area" }),
    el("h2", { text: "Problems" }),
    el("ul", { id: "diagnostics" }, el("li", { class: "muted", text: admin ? "None yet." : "Checked when the admin edits." })),
    el("h2", { text: "Tests" }),
    el("label", { for: "tests-area", text: "Test cases (the .test file beside the policy)" }),
    el("textarea", { id: "tests-area" }),
    el("div", { id: "results", "aria-live": "polite" }));

  definePolicyMode(window.CodeMirror);
  const editor = window.CodeMirror.fromTextArea(main.querySelector("#editor-area"), {
    mode: "kyc-policy",
    lineNumbers: true,
    readOnly: !admin,
    gutters: ["CodeMirror-lint-markers"],
    lint: admin ? { getAnnotations: validate, async: true, delay: 500 } : false,
    extraKeys: { Tab: false, "Shift-Tab": false },  // Tab leaves the editor (keyboard users)
  });
  editor.setValue(text);
  editor.getInputField().setAttribute("aria-label", "Policy text");
  const testsEditor = window.CodeMirror.fromTextArea(main.querySelector("#tests-area"), {
    mode: "kyc-policy", lineNumbers: true, readOnly: !admin,
    extraKeys: { Tab: false, "Shift-Tab": false },
  });
  testsEditor.setValue(tests);
  testsEditor.getInputField().setAttribute("aria-label", "Test cases");
  testsEditor.getWrapperElement().classList.add("tests");
  if (admin) wire(main, editor, testsEditor);
  status(admin ? "Edit the policy: problems appear as you type." : "Policy loaded.", "ok");
}

function toolbar() {
  return el("div", { class: "panel" },
    el("div", { class: "toolbar" },
      el("button", { type: "button", id: "format", class: "secondary", text: "Format" }),
      el("button", { type: "button", id: "run-tests", class: "secondary", text: "Run tests" })),
    el("form", { id: "impact-form", class: "filters", "aria-label": "Impact of the draft" },
      field("Impact from (UTC)", el("input", { type: "date", name: "from", value: daysFromToday(-29) })),
      field("to (UTC, exclusive)", el("input", { type: "date", name: "to", value: daysFromToday(1) })),
      el("div", { class: "field" }, el("button", { type: "submit", class: "secondary", text: "Show impact" }))),
    el("form", { id: "deploy-form", class: "filters", "aria-label": "Deploy the draft" },
      field("Deploy note (required: why this change)", el("input", { type: "text", name: "note", id: "deploy-note",
        required: true, maxlength: 2000, placeholder: "e.g. ticket COMP-123: accept files up to 8 MiB" })),
      el("div", { class: "field" }, el("button", { type: "submit", text: "Deploy" }))),
    el("p", { class: "muted", text: "Deploy runs the tests first; a changed text needs a new version line. " +
                                    "The note and your name are recorded with the activation." }));
}

function wire(main, editor, testsEditor) {
  const results = main.querySelector("#results");
  const busy = async (button, work) => {
    button.disabled = true;
    try { await work(); } catch (e) { status(e.message, "error"); } finally { button.disabled = false; }
  };
  const format = main.querySelector("#format");
  format.addEventListener("click", () => busy(format, async () => {
    status("Formatting…");
    const answer = await call("POST", "/v1/policies/format", JSON.stringify({ policy: editor.getValue() }))
      .catch((e) => Promise.reject(new ApiError("Cannot format a draft with errors: fix the problems listed first.", e.status)));
    const cursor = editor.getCursor();
    editor.setValue(answer.formatted);
    editor.setCursor(cursor);
    status("Formatted.", "ok");
  }));
  const run = main.querySelector("#run-tests");
  run.addEventListener("click", () => busy(run, async () => {
    status("Running the tests…");
    const report = await call("POST", "/v1/policies/test",
      JSON.stringify({ policy: editor.getValue(), tests: testsEditor.getValue() }));
    showTests(results, report, testsEditor);
  }));
  const impact = main.querySelector("#impact-form");
  impact.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(impact.querySelector("button"), async () => {
      status("Replaying the recorded decisions with the draft…");
      const report = await call("POST", "/v1/replay", JSON.stringify({
        policy: editor.getValue(), from: impact.from.value, to: impact.to.value }));
      renderImpact(results, report);
      results.scrollIntoView({ block: "start" });
      status(`Impact: ${report.impact.changed} of ${report.impact.decisions} decision(s) would change.`, "ok");
    });
  });
  const deploy = main.querySelector("#deploy-form");
  deploy.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(deploy.querySelector("button"), async () => {
      status("Running the tests and deploying…");
      try {
        const done = await call("POST", "/v1/policies/deploy", JSON.stringify({
          policy: editor.getValue(), tests: testsEditor.getValue(), note: deploy.note.value }));
        deploy.note.value = "";
        main.querySelector("#running").textContent =
          `Running: version ${done.version} (sha256 ${done.sha256.slice(0, 12)}), deployed ${done.activated_at}.`;
        results.replaceChildren(el("p", { class: "ok", id: "deployed",
          text: `Deployed version ${done.version}. It is in the history with your note.` }));
        results.scrollIntoView({ block: "start" });
        status(`Deployed version ${done.version}.`, "ok");
      } catch (err) {
        // Failed tests come back with their report: show it where the tests are. The refusal
        // stays on the page (the status line is shared with the live checks).
        if (err.body && err.body.passed !== undefined) showTests(results, err.body, testsEditor);
        else results.replaceChildren();
        results.prepend(el("p", { class: "error", id: "deploy-error", text: "Not deployed: " + err.message }));
        results.scrollIntoView({ block: "start" });
        throw err;
      }
    });
  });
}

function showTests(results, report, testsEditor) {
  const failures = report.failures || [];
  const problems = report.diagnostics || [];
  results.replaceChildren(
    el("h2", { text: "Test results" }),
    el("p", { id: "test-summary", class: report.failed || problems.length ? "error" : "ok",
              text: `${report.passed} passed, ${report.failed} failed.` }),
    (report.never_fired || []).length
      ? el("p", { class: "muted", text: "No case makes these reasons fire: " + report.never_fired.join(", ") + "." })
      : "",
    el("ul", {}, [...problems.map((d) => ({ line: d.line, column: d.column, text: `${d.severity}: ${d.message}` })),
                  ...failures.map((f) => ({ line: f.line, column: f.column, text: `case "${f.case}": ${f.message}` }))]
      .map((f) => {
        const go = el("button", { type: "button", class: "link error",
                                  text: `tests line ${f.line}, column ${f.column}: ${f.text}` });
        go.addEventListener("click", () => {
          testsEditor.setCursor(f.line - 1, Math.max(0, f.column - 1));
          testsEditor.scrollIntoView(null, 100);
          testsEditor.focus();
        });
        return el("li", {}, go);
      })));
  results.scrollIntoView({ block: "start" });
  status(`Tests: ${report.passed} passed, ${report.failed} failed.`, report.failed || problems.length ? "error" : "ok");
}

// CodeMirror's lint addon asks for annotations; the server checks the draft.
async function validate(text, updateLinting, options, editor) {
  // The lint timer outlives the screen: a draft left behind (another screen, another
  // sign-in in this tab) is not checked.
  if (!editor.getWrapperElement().isConnected) return;
  const list = document.getElementById("diagnostics");
  try {
    // The draft's state goes to the problems list, not the status line: the status line
    // reports what the person did (a deploy's refusal must not be overwritten by a check).
    const answer = await call("POST", "/v1/policies/validate", text, "text/plain");
    const marks = answer.diagnostics.map((d) => ({
      from: window.CodeMirror.Pos(d.line - 1, Math.max(0, d.column - 1)),
      to: window.CodeMirror.Pos(d.line - 1, Math.max(0, d.column)),
      message: d.message,
      severity: d.severity,
    }));
    updateLinting(editor, marks);
    list.replaceChildren();
    for (const d of answer.diagnostics) {
      // Each problem is a button that puts the cursor where it is.
      const go = el("button", { type: "button", class: "link " + (d.severity === "error" ? "error" : "muted"),
                                text: `line ${d.line}, column ${d.column}: ${d.severity}: ${d.message}` });
      go.addEventListener("click", () => {
        editor.setCursor(d.line - 1, Math.max(0, d.column - 1));
        editor.scrollIntoView(null, 100);
        editor.focus();
      });
      list.append(el("li", {}, go));
    }
    // It loads, but a deploy would refuse it (the text changed under the running version).
    if (answer.activation_refused)
      list.append(el('li', {class: 'error', text: answer.activation_refused}));
    if (answer.reason_codes_removed)
      list.append(el('li', {
        class: 'muted',
        text:
            `Reason codes the running policy has and this draft does not (backends may key on them): ${
                answer.reason_codes_removed.join(', ')}`
      }));
    if (!answer.diagnostics.length && !answer.activation_refused && !answer.reason_codes_removed)
      list.replaceChildren(el('li', {class: 'ok', text: 'No problems.'}));
  } catch (e) {
    updateLinting(editor, []);
    status(e instanceof ApiError ? e.message : String(e), "error");
  }
}
