// Sign in with a token: it is kept in this tab's session storage only, and checked at once
// against GET /v1/me, which names the token and its roles.
import { signIn, signOut } from "./api.js";
import { status } from "./app.js";

export function signInScreen(main, done) {
  document.title = "Sign in · kycd console";
  main.innerHTML = `
    <h1>Sign in</h1>
    <p>Paste the access token your administrator gave you. It stays in this browser tab only:
       closing the tab signs you out.</p>
    <form id="signin">
      <label for="token">Access token</label>
      <input id="token" name="token" type="password" autocomplete="off" required>
      <p><button type="submit">Sign in</button></p>
    </form>`;
  const form = main.querySelector("#signin");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    status("Checking the token…");
    signIn(form.token.value.trim());
    try {
      await done();
      status("Signed in.", "ok");
    } catch (e) {
      signOut();
      status(e.message, "error");
    } finally {
      button.disabled = false;
    }
  });
  main.querySelector("#token").focus();
}
