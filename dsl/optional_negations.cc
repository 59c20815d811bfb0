#include "dsl/optional_negations.h"

#include <algorithm>
#include <vector>

#include "dsl/expr_printer.h"

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

}  // namespace

void warn_unguarded_negations(const Policy& policy, const SourceFile& file, Diagnostics& diags) {
  NegationLint lint(policy, file, diags);
  for (const auto& r : policy.reasons) {
    if (!r.when) continue;
    std::vector<int> guarded;
    lint.walk(*r.when, guarded);
  }
}

}  // namespace kyc::dsl
