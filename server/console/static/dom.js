// Building pages from the service's data without innerHTML: every value a caller or a policy
// chose (account ids, facts, messages) becomes text, never markup.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// A table with a caption for screen readers; `rows` are arrays of cells (text or nodes).
export function table(caption, headers, rows) {
  return el("div", { class: "scroll" },
    el("table", {},
      el("caption", { class: "sr-only", text: caption }),
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c) => el("td", {}, c)))))));
}

// A labelled form control: the label names it for screen readers and for clicks.
export function field(label, control) {
  if (!control.id) control.id = "f-" + label.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return el("div", { class: "field" }, el("label", { for: control.id, text: label }), control);
}

// The parameters after "?" in the page's hash (#/decisions?reason=X): a search the address
// bar can share. Never holds the token.
export function hashParams() {
  const hash = location.hash;
  const q = hash.indexOf("?");
  return new URLSearchParams(q < 0 ? "" : hash.slice(q + 1));
}

export function hashWith(path, params) {
  const kept = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) kept.set(k, v);
  const q = kept.toString();
  return path + (q ? "?" + q : "");
}

// Saves text as a file the browser downloads (an export).
export function saveFile(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// An outcome as a coloured word: the colour helps, the word says it.
export function outcomeBadge(outcome) {
  return el("span", { class: "badge " + (outcome || "none"), text: outcome || "—" });
}

export function decisionLink(id) {
  return el("a", { href: "#/decision/" + encodeURIComponent(id), text: id });
}

// YYYY-MM-DD of a Date, in UTC (the service counts in UTC).
export function isoDay(date) { return date.toISOString().slice(0, 10); }
export function daysFromToday(n) { return isoDay(new Date(Date.now() + n * 86400000)); }

export const OUTCOMES = ["approve", "resubmit", "review", "reject"];
