// Calls to the kycd API with the signed-in token, and the errors a person can act on. The
// token lives only in this tab's session storage: closing the tab signs out.
const TOKEN_KEY = "kycd.token";

export function token() { return sessionStorage.getItem(TOKEN_KEY); }
export function signIn(value) { sessionStorage.setItem(TOKEN_KEY, value); }
export function signOut() { sessionStorage.removeItem(TOKEN_KEY); }

// An error with a sentence for the status line: what failed and what to do.
// `body` is the problem the service answered (some carry more, e.g. a failed test report).
export class ApiError extends Error {
  constructor(message, status, body) { super(message); this.status = status; this.body = body; }
}

// fetch() with the token; the parsed answer (JSON, or text for other types). A 401 sends the
// person to the sign-in screen; a 403 says which role is needed; a dropped connection (the
// service restarting) says so instead of failing silently.
export async function call(method, path, body, type = "application/json") {
  const headers = {};
  if (token()) headers.Authorization = "Bearer " + token();
  if (body !== undefined) headers["Content-Type"] = type;
  let response;
  try {
    response = await fetch(path, { method, headers, body, cache: "no-store" });
  } catch {
    throw new ApiError("The service did not answer (it may be restarting): try again in a moment.", 0);
  }
  const contentType = response.headers.get("Content-Type") || "";
  const data = contentType.includes("json") ? await response.json() : await response.text();
  if (response.ok) return data;
  const detail = (data && data.detail) || (typeof data === "string" ? data : response.statusText);
  if (response.status === 401) {
    signOut();
    location.hash = "#/signin";
    throw new ApiError("Your token was not accepted: sign in again. (" + detail + ")", 401);
  }
  if (response.status === 403) throw new ApiError("Not allowed: " + detail + ".", 403, data);
  throw new ApiError(detail, response.status, data);
}
