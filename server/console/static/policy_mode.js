// The policy language for CodeMirror 5 (simple mode): keywords, reason codes, facts, strings,
// dates, sizes and durations, comments. Registered once, as "kyc-policy".
const KEYWORDS = /(?:policy|version|locales|on|missing|facts|personal|let|reason|outcome|when|hides|message|note|title|detail|action|notice|subject|greeting|intro|closing|and|or|not|in|is|present|true|false|approve|resubmit|review|reject)\b/;

export function definePolicyMode(CodeMirror) {
  if (CodeMirror.modes["kyc-policy"]) return;
  CodeMirror.defineSimpleMode("kyc-policy", {
    start: [
      { regex: /#.*/, token: "comment" },
      { regex: /"(?:[^\\"]|\\.)*"?/, token: "string" },
      { regex: /\d{4}-\d{2}-\d{2}\b/, token: "number" },
      { regex: /\d+(?:\.\d+)?\s*(?:KiB|MiB|GiB|KB|MB|GB|B|days?|weeks?|months?|years?)\b/, token: "number" },
      { regex: /\d+(?:\.\d+)?\b/, token: "number" },
      { regex: /(reason|hides)(\s+)([A-Z][A-Z0-9_]*)/, token: ["keyword", null, "reason"] },
      { regex: KEYWORDS, token: "keyword" },
      { regex: /[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+/, token: "fact" },
      { regex: /[A-Z][A-Z0-9_]*/, token: "variable-2" },
      { regex: /[a-z_][a-z0-9_]*(?=\s*\()/, token: "builtin" },
    ],
    meta: { lineComment: "#" },
  });
}
