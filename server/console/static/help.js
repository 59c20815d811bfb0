// A page of help in plain words: what each screen is for and who may use it.
export function helpScreen(main) {
  main.innerHTML = `
    <h1>Help</h1>
    <h2>Signing in</h2>
    <p>Your administrator gives you an access token. Paste it on the sign-in screen. The
       console shows only what your token's roles allow: <strong>evaluate</strong> (the
       backends that ask for decisions), <strong>audit</strong> (read decisions, the policy
       and the audit log) and <strong>admin</strong> (change and deploy the policy). The token
       stays in this browser tab; closing the tab signs you out.</p>
    <h2>Policy</h2>
    <p>Shows the policy the service runs: the rules that decide why a document submission
       fails and what the person is told. With the admin role you can edit it: every mistake
       is marked at its line as you type, with what to write instead. The policy language is
       explained in the project's <code>docs/policy-language.md</code>.</p>
    <h2>When something goes wrong</h2>
    <p>Every action reports in the line at the bottom of the page. "Not allowed" names the
       role an action needs. If the service restarts, the console says so and you can try
       again; you stay signed in.</p>`;
}
