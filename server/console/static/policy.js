// The policy: the running text in an editor, read-only for audit. For admin, live
// diagnostics while typing: the draft is checked by POST /v1/policies/validate (debounced),
// and every problem is a marker at its line and column with the message.
import { call, ApiError } from "./api.js";
import { me, status } from "./app.js";
import { definePolicyMode } from "./policy_mode.js";

export async function policyScreen(main) {
  status("Loading the running policy…");
  const [info, text] = await Promise.all([call("GET", "/v1/policies"),
                                          call("GET", "/v1/policies/text")]);
  const running = info.policies[0] || {};
  const admin = me.roles.includes("admin");
  main.innerHTML = `
    <h1>Policy</h1>
    <p id="running"></p>
    <div class="toolbar" id="tools"></div>
    <label for="editor-area">Policy text${admin ? "" : " (read only: editing needs the admin role)"}</label>
    <textarea id="editor-area"></textarea>
    <h2>Problems</h2>
    <ul id="diagnostics"><li class="muted">None yet.</li></ul>`;
  main.querySelector("#running").textContent =
    `Running: ${running.name || "?"} version ${running.version || "?"} (sha256 ${(running.sha256 || "").slice(0, 12)}),` +
    ` loaded ${running.loaded_at || "?"}.` +
    (info.last_reload_error ? ` The last reload failed: ${info.last_reload_error}` : "");

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
  status(admin ? "Edit the policy: problems appear as you type." : "Policy loaded.", "ok");
}

// CodeMirror's lint addon asks for annotations; the server checks the draft.
async function validate(text, updateLinting, options, editor) {
  const list = document.getElementById("diagnostics");
  try {
    status("Checking…");
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
      const item = document.createElement("li");
      const go = document.createElement("button");
      go.type = "button";
      go.className = "link " + (d.severity === "error" ? "error" : "muted");
      go.textContent = `line ${d.line}, column ${d.column}: ${d.severity}: ${d.message}`;
      go.addEventListener("click", () => {
        editor.setCursor(d.line - 1, Math.max(0, d.column - 1));
        editor.scrollIntoView(null, 100);
        editor.focus();
      });
      item.append(go);
      list.append(item);
    }
    if (!answer.diagnostics.length) list.innerHTML = '<li class="ok">No problems.</li>';
    status(answer.valid ? "The draft is valid." : `${answer.errors} error(s) in the draft.`,
           answer.valid ? "ok" : "error");
  } catch (e) {
    updateLinting(editor, []);
    status(e instanceof ApiError ? e.message : String(e), "error");
  }
}
