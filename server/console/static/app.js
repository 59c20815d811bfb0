// The console's frame: who is signed in, the screens their roles may see, and the status line
// where every action reports progress and errors. Screens are modules that render into <main>.
import { call, token, signOut } from "./api.js";
import { signInScreen } from "./signin.js";
import { overviewScreen } from "./overview.js";
import { decisionsScreen } from "./decisions.js";
import { decisionScreen } from "./decision.js";
import { policyScreen } from "./policy.js";
import { historyScreen } from "./history.js";
import { auditScreen } from "./audit.js";
import { helpScreen } from "./help.js";

// Which role sees which screen (the server checks every call again). A screen without a
// title is reached by a link only (a decision's page).
const READERS = ["audit", "admin"];
const SCREENS = [
  { path: "#/overview", title: "Overview", roles: READERS, render: overviewScreen },
  { path: "#/decisions", title: "Decisions", roles: READERS, render: decisionsScreen },
  { path: "#/decision/", title: "", roles: READERS, render: decisionScreen },
  { path: "#/policy", title: "Policy", roles: READERS, render: policyScreen },
  { path: "#/history", title: "History", roles: READERS, render: historyScreen },
  { path: "#/audit", title: "Audit", roles: READERS, render: auditScreen },
  { path: "#/help", title: "Help", roles: ["evaluate", "audit", "admin"], render: helpScreen },
];

export const me = { name: "", roles: [] };

export function status(text, kind = "") {
  const line = document.getElementById("status");
  line.textContent = text;
  line.className = kind;
}

async function whoAmI() {
  const answer = await call("GET", "/v1/me");
  me.name = answer.name;
  me.roles = answer.roles;
}

function renderFrame() {
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  nav.replaceChildren();
  who.replaceChildren();
  if (!token()) return;
  for (const screen of SCREENS) {
    if (!screen.title || !screen.roles.some((r) => me.roles.includes(r))) continue;
    const link = document.createElement("a");
    link.href = screen.path;
    link.textContent = screen.title;
    if (screenOf(location.hash) === screen.path) link.setAttribute("aria-current", "page");
    nav.append(link);
  }
  who.append(`Signed in as ${me.name || "(no name)"} · roles: ${me.roles.join(", ")} `);
  const out = document.createElement("button");
  out.className = "secondary";
  out.textContent = "Sign out";
  out.addEventListener("click", () => { signOut(); me.roles = []; location.hash = "#/signin"; });
  who.append(out);
}

async function route() {
  const main = document.getElementById("main");
  if (!token() || location.hash === "#/signin") {
    renderFrame();
    return signInScreen(main, async () => { await whoAmI(); location.hash = firstScreen(); });
  }
  try {
    if (!me.roles.length) await whoAmI();
  } catch (e) {
    status(e.message, "error");
    return;
  }
  const screen = SCREENS.find((s) => screenOf(location.hash) === s.path &&
                                     s.roles.some((r) => me.roles.includes(r)));
  if (!screen) { location.hash = firstScreen(); return; }
  renderFrame();
  main.replaceChildren();
  document.title = (screen.title || "Decision") + " · kycd console";
  status("");
  try {
    await screen.render(main);
  } catch (e) {
    status(e.message, "error");
  }
  // Focus for screen readers and the keyboard, without scrolling the header away.
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

// "#/decisions?reason=X" -> "#/decisions"; "#/decision/ID" -> "#/decision/".
function screenOf(hash) {
  const path = hash.split("?")[0];
  return path.startsWith("#/decision/") ? "#/decision/" : path;
}

function firstScreen() {
  const screen = SCREENS.find((s) => s.roles.some((r) => me.roles.includes(r)));
  return screen ? screen.path : "#/help";
}

// Shows the current screen again: a search submitted unchanged runs again (no hashchange).
export function refresh() { route(); }

window.addEventListener("hashchange", route);
route();
