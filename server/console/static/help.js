// A page of help in plain words: what each screen is for and who may use it.
import { el } from "./dom.js";

const SECTIONS = [
  ["Signing in",
   "Your administrator gives you an access token. Paste it on the sign-in screen. The console " +
   "shows only what your token's roles allow: evaluate (the backends that ask for decisions: " +
   "they see this help only, never a person's facts), audit (read decisions, the policy and " +
   "the audit log) and admin (change and deploy the policy). The token stays in this browser " +
   "tab; closing the tab signs you out."],
  ["Overview",
   "How many decisions the service made per day (or hour), split by outcome: approved, asked " +
   "to resubmit, sent to review, rejected. Dashed lines mark when a new policy started. Below: " +
   "the reasons given most often (click one to see those decisions), and how many decisions " +
   "could not check everything because a fact was missing, with the facts that were missing."],
  ["Decisions",
   "Find decisions by their id, the account, the outcome, a reason, the policy version or the " +
   "dates. The newest come first; \"Show older decisions\" loads more. The address in the " +
   "browser holds the search, so you can send it to a colleague (it never holds your token). " +
   "\"Export as CSV\" saves every decision of the search for a spreadsheet."],
  ["A decision",
   "Everything about one decision: its outcome, each reason with what the person was told and " +
   "the facts that made it fire, the reasons that could not be decided and why, all the facts " +
   "as they were, the e-mail the person received in each language, the policy of that time " +
   "with the lines that fired highlighted, and the record's hash in the audit chain. Replay " +
   "decides again from the recorded facts and policy: \"match\" means the record is exactly " +
   "what that policy decides; otherwise the difference is shown."],
  ["Policy",
   "The rules that decide why a document submission fails and what the person is told, and " +
   "their test cases. With the admin role you can edit them: every mistake is marked at its " +
   "line as you type. Format tidies the layout. Run tests checks every test case. Show impact " +
   "replays the recorded decisions of the dates you choose with your draft and shows what would " +
   "change, with examples. Deploy needs a note saying why; it runs the tests first, then the " +
   "draft becomes the running policy and the change is recorded with your note and your name. " +
   "A changed policy needs a new version line. The language is explained in the project's " +
   "docs/policy-language.md."],
  ["History",
   "Every time a policy started to run: when, which version, what started it (a deploy from " +
   "here, a file change, a restart), who, and the note. Pick two to see exactly which lines " +
   "changed."],
  ["Audit",
   "Check the chain recomputes the hash that links every record to the one before: if anyone " +
   "edited, removed or inserted a record, the first broken one is named. Export saves the " +
   "decisions of a time range as CSV."],
  ["When something goes wrong",
   "Every action reports in the line at the bottom of the page. \"Not allowed\" names the role " +
   "an action needs. If the service restarts, the console says so and you can try again; you " +
   "stay signed in."],
];

export function helpScreen(main) {
  main.append(el("h1", { text: "Help" }),
    ...SECTIONS.flatMap(([title, text]) => [el("h2", { text: title }), el("p", { text })]));
}
