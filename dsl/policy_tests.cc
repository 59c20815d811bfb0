#include "dsl/policy_tests.h"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "dsl/checker.h"
#include "dsl/compiler.h"
#include "dsl/did_you_mean.h"
#include "dsl/parser.h"
#include "engine/evaluator.h"

namespace kyc::dsl {

namespace {

std::string join(const std::set<std::string>& codes) {
  std::string out = "[";
  for (const auto& c : codes) out += (out.size() > 1 ? ", " : "") + c;
  return out + "]";
}

std::set<std::string> codes_in(const engine::CompiledPolicy& p, const engine::Verdict& v,
                               engine::ReasonState state) {
  std::set<std::string> out;
  for (size_t r = 0; r < p.reasons.size(); ++r)
    if (v.reasons[r] == state) out.insert(p.reasons[r].code);
  return out;
}

class Runner {
 public:
  Runner(const LoadedPolicy& policy, const SourceFile& file, Diagnostics& diags)
      : policy_(policy), p_(*policy.compiled), file_(file), diags_(diags), storage_(),
        checker_(policy.ast, file, diags) {
    // Given values are folded into storage of their own, which shares the policy's schema.
    for (const auto& s : p_.schema.slots()) storage_.schema.add(s);
    folder_ = std::make_unique<ConstantFolder>(policy_.ast, storage_);
  }

  void run(TestSuite& suite, PolicyTestReport& report) {
    for (auto& f : suite.fixtures) {
      if (fixtures_.count(f.name.text))
        error(f.name.offset, "fixture '" + f.name.text + "' is defined twice");
      fixtures_[f.name.text] = &f;
    }
    // A failure names its case: two cases of one name would leave the reader guessing which.
    std::map<std::string, uint32_t> named;
    for (auto& t : suite.cases)
      if (auto [first, fresh] = named.emplace(t.name, t.offset); !fresh)
        error(t.offset, "case \"" + t.name + "\" is named twice (first on line " +
                            std::to_string(file_.locate(first->second).line) + ")");
    for (auto& t : suite.cases) run_case(t, report);
  }

 private:
  void error(uint32_t offset, std::string message) {
    diags_.error(file_.locate(offset), std::move(message));
  }

  // As in the checker, only the first few unknown names get a hint: each costs an edit
  // distance against every candidate.
  static constexpr size_t kMaxHints = 64;
  size_t hints_given_ = 0;
  std::string hint(const std::string& name, const std::vector<std::string>& candidates) {
    return ++hints_given_ > kMaxHints ? "" : did_you_mean(name, candidates);
  }
  std::vector<std::string> fact_names() const {
    std::vector<std::string> out;
    for (const auto& s : p_.schema.slots()) out.push_back(s.name);
    return out;
  }
  std::vector<std::string> reason_codes() const {
    std::vector<std::string> out;
    for (const auto& r : p_.reasons) out.push_back(r.code);
    return out;
  }
  std::vector<std::string> fixture_names() const {
    std::vector<std::string> out;
    for (const auto& [name, _] : fixtures_) out.push_back(name);
    return out;
  }

  // Applies given facts to the frame; false when one of them is wrong.
  // A given checked and folded: done once per given, however many cases apply it (a fixture
  // of 2,500 givens under 2,500 cases was 6 million checks and folds; its errors are reported
  // once, not once per case).
  struct Applied {
    bool ok = false;
    uint32_t slot = 0;
    std::optional<engine::Value> value;  // nullopt: the given clears the fact
  };

  const Applied& applied(GivenFact& g) {
    auto [it, fresh] = applied_.try_emplace(&g);
    Applied& a = it->second;
    if (!fresh) return a;
    auto slot = p_.schema.find(g.fact.text);
    if (!slot) {
      error(g.fact.offset,
            "the policy declares no fact '" + g.fact.text + "'" + hint(g.fact.text, fact_names()));
      return a;
    }
    a.slot = *slot;
    if (!g.value) {
      a.ok = true;
      return a;
    }
    size_t before = diags_.error_count();
    checker_.check(*g.value);
    if (diags_.error_count() != before) return a;
    engine::TypeRef want = p_.schema.slot(*slot).type, got = g.value->type;
    bool fits = want == got || (want.kind == engine::Type::Number && got.kind == engine::Type::Int) ||
                (want.kind == engine::Type::List && got.kind == engine::Type::List &&
                 (got.element == engine::Type::Unknown || got.element == want.element));
    if (!fits) {
      error(g.value->offset, "fact '" + g.fact.text + "' is " + engine::type_name(want) +
                                 ", the value is " + engine::type_name(got));
      return a;
    }
    engine::Value v = folder_->fold(*g.value);
    if (want.kind == engine::Type::Number && v.kind == engine::Value::Kind::Int)
      v = engine::Value::number(static_cast<double>(v.i));
    a.value = v;
    a.ok = true;
    return a;
  }

  bool apply(std::vector<GivenFact>& given, engine::FactFrame& frame) {
    bool ok = true;
    for (auto& g : given) {
      const Applied& a = applied(g);
      if (!a.ok) {
        ok = false;
      } else if (a.value) {
        frame.set(a.slot, *a.value);
      } else {
        frame.clear(a.slot);
      }
    }
    return ok;
  }

  // `chain`: the fixtures extending this one, nearest last (at most kMaxFixtureDepth).
  static constexpr size_t kMaxFixtureDepth = 32;
  bool apply_fixture(const Name& name, engine::FactFrame& frame, std::vector<std::string>& chain) {
    auto it = fixtures_.find(name.text);
    if (it == fixtures_.end()) {
      error(name.offset, "unknown fixture '" + name.text + "'" + hint(name.text, fixture_names()));
      return false;
    }
    if (std::find(chain.begin(), chain.end(), name.text) != chain.end()) {
      error(name.offset, "fixture '" + name.text + "' extends itself (directly or through others)");
      return false;
    }
    if (chain.size() >= kMaxFixtureDepth) {
      error(name.offset, "fixtures extend each other more than " +
                             std::to_string(kMaxFixtureDepth) +
                             " deep here: let this one extend a fixture nearer the root");
      return false;
    }
    Fixture& f = *it->second;
    chain.push_back(name.text);
    bool ok = !f.extends || apply_fixture(*f.extends, frame, chain);
    chain.pop_back();
    if (!ok) return false;
    return apply(f.given, frame);
  }

  bool known_codes(const std::vector<Name>& codes) {
    bool ok = true;
    for (const auto& c : codes)
      if (p_.find_reason(c.text) < 0) {
        error(c.offset, "the policy has no reason '" + c.text + "'" + hint(c.text, reason_codes()));
        ok = false;
      }
    return ok;
  }

  void run_case(TestCase& t, PolicyTestReport& report) {
    engine::FactFrame frame(p_.schema);
    bool ok = true;
    std::vector<std::string> chain;
    if (t.extends) ok = apply_fixture(*t.extends, frame, chain);
    ok = apply(t.given, frame) && ok;
    ok = known_codes(t.codes) && known_codes(t.undetermined) && ok;
    if (!t.expect) {
      error(t.offset, "case \"" + t.name + "\" has no 'expect OUTCOME [CODES]'");
      ok = false;
    }
    if (!ok) {
      ++report.failed;
      return;
    }
    engine::Evaluator ev(p_);
    const engine::Verdict& v = ev.evaluate(frame);
    auto fired = codes_in(p_, v, engine::ReasonState::Fired);
    auto undetermined = codes_in(p_, v, engine::ReasonState::Undetermined);
    report.fired.insert(fired.begin(), fired.end());
    report.undetermined.insert(undetermined.begin(), undetermined.end());

    std::string why;
    if (v.outcome != *t.expect)
      why += "expected outcome " + std::string(engine::outcome_name(*t.expect)) + ", got " +
             std::string(engine::outcome_name(v.outcome)) + "; ";
    std::set<std::string> want_codes, want_undetermined;
    for (const auto& c : t.codes) want_codes.insert(c.text);
    for (const auto& c : t.undetermined) want_undetermined.insert(c.text);
    if (t.expect_codes && fired != want_codes)
      why += "expected reasons " + join(want_codes) + ", fired " + join(fired) + "; ";
    if (t.expect_undetermined && undetermined != want_undetermined)
      why +=
          "expected undetermined " + join(want_undetermined) + ", got " + join(undetermined) + "; ";
    if (why.empty()) {
      ++report.passed;
      return;
    }
    why.resize(why.size() - 2);
    report.failures.push_back(
        {file_.name(), file_.locate(t.offset), t.name,
         why + (t.expect_undetermined ? "" : " (undetermined: " + join(undetermined) + ")")});
    ++report.failed;
  }

  const LoadedPolicy& policy_;
  const engine::CompiledPolicy& p_;
  const SourceFile& file_;
  Diagnostics& diags_;
  engine::CompiledPolicy storage_;
  ExpressionChecker checker_;
  std::unique_ptr<ConstantFolder> folder_;  // after storage_ has the schema
  std::unordered_map<const GivenFact*, Applied> applied_;
  std::map<std::string, Fixture*> fixtures_;
};

}  // namespace

std::string CaseFailure::text() const {
  return file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": case \"" +
         case_name + "\": " + message;
}

void run_policy_tests(const LoadedPolicy& policy, const SourceFile& tests, Diagnostics& diags,
                      PolicyTestReport& report) {
  TestSuite suite = parse_tests(tests, diags);
  if (diags.has_errors()) return;
  Runner(policy, tests, diags).run(suite, report);
}

}  // namespace kyc::dsl
