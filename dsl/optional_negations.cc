#include "dsl/optional_negations.h"

#include <algorithm>
#include <vector>

#include "dsl/expr_printer.h"
#include "engine/outcome.h"

namespace kyc::dsl {

namespace {

class NegationLint {
 public:
  NegationLint(const Policy& p, const SourceFile& f, Diagnostics& d) : p_(p), file_(f), diags_(d) {}

  // `guarded`: optional facts that an `is missing` / `is present` in an enclosing `and`/`or`
  // already speaks about; the author has said what a missing value means there.
  void walk(const Expr& e, std::vector<int>& guarded) {
    if (e.kind == ExprKind::Presence) return;
    size_t mark = guarded.size();
    if (e.kind == ExprKind::Binary && (e.binary == BinaryOp::And || e.binary == BinaryOp::Or)) {
      for (const auto& k : e.kids) presence_facts(*k, guarded);
    } else if (e.kind == ExprKind::Binary &&
               (e.binary == BinaryOp::Ne || e.binary == BinaryOp::NotIn)) {
      warn(e, e.op_offset, false, guarded);
    } else if (e.kind == ExprKind::Unary && e.unary == UnaryOp::Not) {
      warn(e, e.offset, true, guarded);  // then the facts it named count as spoken about
    }
    for (const auto& k : e.kids) walk(*k, guarded);
    guarded.resize(mark);
  }

 private:
  // Facts under `is missing`/`is present` in `e`, through `and`, `or` and `not`.
  void presence_facts(const Expr& e, std::vector<int>& out) {
    if (e.kind == ExprKind::Presence) {
      for (const auto& k : e.kids)
        if (k->kind == ExprKind::Name && k->fact >= 0) out.push_back(k->fact);
      return;
    }
    bool connective =
        (e.kind == ExprKind::Binary && (e.binary == BinaryOp::And || e.binary == BinaryOp::Or)) ||
        (e.kind == ExprKind::Unary && e.unary == UnaryOp::Not);
    if (connective)
      for (const auto& k : e.kids) presence_facts(*k, out);
  }

  // Optional facts `e` reads outside presence tests, each once, in reading order.
  void optional_reads(const Expr& e, std::vector<int>& out) {
    if (e.kind == ExprKind::Presence) return;
    if (e.kind == ExprKind::Name && e.fact >= 0 && p_.facts[e.fact].optional &&
        std::find(out.begin(), out.end(), e.fact) == out.end())
      out.push_back(e.fact);
    for (const auto& k : e.kids) optional_reads(*k, out);
  }

  void warn(const Expr& e, uint32_t at, bool negation, std::vector<int>& guarded) {
    std::vector<int> reads;
    optional_reads(e, reads);
    std::vector<int> open;
    for (int f : reads)
      if (std::find(guarded.begin(), guarded.end(), f) == guarded.end()) open.push_back(f);
    if (open.empty()) return;
    std::string test = print_expr(e), names, missing, present;
    for (size_t i = 0; i < open.size(); ++i) {
      const std::string& n = p_.facts[open[i]].name.text;
      names += (i ? (i + 1 == open.size() ? " or '" : ", '") : "'") + n + "'";
      missing += n + " is missing or ";
      present += n + " is present and ";
    }
    std::string value = negation ? "true" : "false";
    diags_.warning(file_.locate(at),
                   names + (open.size() > 1 ? " are" : " is") + " optional: when " +
                       (open.size() > 1 ? "one is" : "it is") + " missing, '" + test + "' is " +
                       value + ". Say what a missing value means: (" + missing + test +
                       ") to count it as passing the test, or (" + present + test +
                       ") to count it as not");
    guarded.insert(guarded.end(), open.begin(), open.end());
  }

  const Policy& p_;
  const SourceFile& file_;
  Diagnostics& diags_;
};

// Every fact `e` reads, outside presence tests; `presence` is set when it holds one.
void fact_reads(const Expr& e, std::vector<int>& out, bool& presence) {
  if (e.kind == ExprKind::Presence) {
    presence = true;
    return;
  }
  if (e.kind == ExprKind::Name && e.fact >= 0 &&
      std::find(out.begin(), out.end(), e.fact) == out.end())
    out.push_back(e.fact);
  for (const auto& k : e.kids) fact_reads(*k, out, presence);
}

// A reason that holds a submission back (review, reject) but reads only optional facts, and
// never says what their absence means, does not fire when they are missing: `age(birth, today)
// < 18` on `birth : date?` approved a submission without a birth date. (Resubmit reasons such
// as an expiry that some cards do not have are what `?` is for.)
void warn_optional_only(const Policy& p, const Reason& r, const SourceFile& file,
                        Diagnostics& diags) {
  if (!r.when || !r.outcome ||
      (*r.outcome != engine::Outcome::Review && *r.outcome != engine::Outcome::Reject))
    return;
  std::vector<int> reads;
  bool presence = false;
  fact_reads(*r.when, reads, presence);
  if (presence || reads.empty() ||
      !std::all_of(reads.begin(), reads.end(), [&](int f) { return p.facts[f].optional; }))
    return;
  const std::string& first = p.facts[reads.front()].name.text;
  std::string names;
  for (size_t i = 0; i < reads.size(); ++i) names += (i ? ", " : "") + p.facts[reads[i]].name.text;
  diags.warning(file.locate(r.when_offset),
                "reason " + r.code.text + " (" + std::string(engine::outcome_name(*r.outcome)) +
                    ") reads only optional facts (" + names +
                    "): when they are missing it does not fire, and the submission can be "
                    "approved. To hold it back, declare " +
                    first +
                    " without '?' (the reason is then undetermined, and the policy's `on "
                    "missing` applies), or add `or " +
                    first + " is missing`");
}

}  // namespace

void warn_unguarded_negations(const Policy& policy, const SourceFile& file, Diagnostics& diags) {
  NegationLint lint(policy, file, diags);
  for (const auto& r : policy.reasons) {
    if (!r.when) continue;
    std::vector<int> guarded;
    size_t before = diags.items().size();
    lint.walk(*r.when, guarded);
    // One warning about a reason's optional facts is enough: the first one's fix says what
    // their absence means.
    if (diags.items().size() == before) warn_optional_only(policy, r, file, diags);
  }
}

}  // namespace kyc::dsl
