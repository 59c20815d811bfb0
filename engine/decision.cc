#include "engine/decision.h"

#include <algorithm>
#include <set>

#include "engine/date.h"

namespace kyc::engine {

namespace {

void collect_slots(const CompiledPolicy& p, uint32_t node, std::set<uint32_t>& out) {
  const Node& n = p.nodes[node];
  if (n.op == Op::Fact || n.op == Op::CompareFactConst || n.op == Op::CompareFacts)
    out.insert(n.slot);
  if (n.op == Op::CompareFacts) out.insert(n.slot2);
  for (uint32_t k = 0; k < n.count; ++k) collect_slots(p, p.kids[n.first + k], out);
}

bool is_connective(Op op) { return op == Op::And || op == Op::Or; }

// Walks the true part of a fired condition: through `and`/`or` into the operands that were
// true, recording every other true sub-expression as an atom with the facts it read.
void collect_evidence(Evaluator& ev, const FactFrame& f, uint32_t node,
                      std::vector<Evidence>& out) {
  const CompiledPolicy& p = ev.policy();
  const Node& n = p.nodes[node];
  if (is_connective(n.op)) {
    for (uint32_t k = 0; k < n.count; ++k) {
      uint32_t kid = p.kids[n.first + k];
      if (ev.eval(kid, f).is_true()) collect_evidence(ev, f, kid, out);
    }
    return;
  }
  Evidence e;
  e.atom = p.texts[n.text];
  std::set<uint32_t> slots;
  collect_slots(p, node, slots);
  for (uint32_t s : slots) e.facts[p.schema.slot(s).name] = to_json(f.get(s));
  out.push_back(std::move(e));
}

const LocalizedMessage* pick_message(const CompiledReason& r, const std::string& locale) {
  for (const auto& m : r.messages)
    if (m.locale == locale) return &m;
  return r.messages.empty() ? nullptr : &r.messages.front();
}

}  // namespace

boost::json::value to_json(const Value& v) {
  switch (v.kind) {
    case Value::Kind::Missing:
      return nullptr;
    case Value::Kind::Bool:
      return v.b;
    case Value::Kind::Int:
      return v.i;
    case Value::Kind::Number:
      return v.d;
    case Value::Kind::String:
      return boost::json::string(v.str());
    case Value::Kind::Date:
      return boost::json::string(format_date(v.days));
    case Value::Kind::Duration:
      return v.days;
    case Value::Kind::List: {
      boost::json::array a;
      for (uint32_t k = 0; k < v.len; ++k) a.push_back(to_json(v.items[k]));
      return a;
    }
  }
  return nullptr;
}

std::string render(const MessageTemplate& tmpl, const FactFrame& facts) {
  std::string out;
  for (const auto& piece : tmpl) {
    switch (piece.kind) {
      case MessagePiece::Kind::Text:
        out += piece.text;
        break;
      case MessagePiece::Kind::Constant:
        out += to_text(piece.constant);
        break;
      case MessagePiece::Kind::Fact: {
        const Value& v = facts.get(piece.slot);
        out += v.is_missing() ? std::string("?") : to_text(v);
        break;
      }
    }
  }
  return out;
}

Decision explain(Evaluator& ev, const FactFrame& facts, const Verdict& verdict,
                 const std::string& locale) {
  const CompiledPolicy& p = ev.policy();
  Decision d;
  d.outcome = verdict.outcome;
  d.policy_name = p.name;
  d.policy_version = p.version;
  d.policy_sha256 = p.sha256;
  d.locale = std::find(p.locales.begin(), p.locales.end(), locale) != p.locales.end()
                 ? locale
                 : (p.locales.empty() ? locale : p.locales.front());
  if (auto today = p.schema.find("today"); today && facts.has(*today))
    d.evaluated_at = d.today = to_text(facts.get(*today));
  for (size_t r = 0; r < p.reasons.size(); ++r) {
    const CompiledReason& reason = p.reasons[r];
    if (verdict.reasons[r] == ReasonState::Fired) {
      FiredReason fr{reason.code, reason.outcome, {}, {}, {}, {}};
      if (const auto* m = pick_message(reason, d.locale)) {
        fr.title = render(m->title, facts);
        fr.detail = render(m->detail, facts);
        fr.action = render(m->action, facts);
      }
      collect_evidence(ev, facts, reason.when, fr.evidence);
      d.reasons.push_back(std::move(fr));
    } else if (verdict.reasons[r] == ReasonState::Undetermined) {
      UndeterminedReason ur{reason.code, p.on_missing, {}};
      for (uint32_t s : reason.facts)
        if (facts.get(s).is_missing() && !p.schema.slot(s).optional)
          ur.missing.push_back(p.schema.slot(s).name);
      d.undetermined.push_back(std::move(ur));
    }
  }
  return d;
}

// The one serialisation of a decision: the service answers with it, the audit log stores it,
// and replay compares against it byte for byte, so the field order here is part of replay.
boost::json::object to_json(const Decision& d) {
  boost::json::object o;
  if (!d.decision_id.empty()) o["decision_id"] = d.decision_id;
  o["outcome"] = outcome_name(d.outcome);
  boost::json::array reasons;
  for (const auto& r : d.reasons) {
    boost::json::array evidence;
    for (const auto& e : r.evidence)
      evidence.push_back(boost::json::object{{"atom", e.atom}, {"facts", e.facts}});
    reasons.push_back(boost::json::object{{"code", r.code},
                                          {"outcome", outcome_name(r.outcome)},
                                          {"title", r.title},
                                          {"detail", r.detail},
                                          {"action", r.action},
                                          {"evidence", std::move(evidence)}});
  }
  o["reasons"] = std::move(reasons);
  boost::json::array undetermined;
  for (const auto& u : d.undetermined) {
    boost::json::array missing;
    for (const auto& m : u.missing) missing.push_back(boost::json::string(m));
    undetermined.push_back(boost::json::object{
        {"code", u.code}, {"outcome", outcome_name(u.outcome)}, {"missing", std::move(missing)}});
  }
  o["undetermined"] = std::move(undetermined);
  if (!d.ignored_facts.empty()) {
    boost::json::array ignored;
    for (const auto& i : d.ignored_facts) ignored.push_back(boost::json::string(i));
    o["ignored_facts"] = std::move(ignored);
  }
  o["policy"] = boost::json::object{
      {"name", d.policy_name}, {"version", d.policy_version}, {"sha256", d.policy_sha256}};
  o["locale"] = d.locale;
  if (!d.today.empty()) o["today"] = d.today;
  o["evaluated_at"] = d.evaluated_at;
  if (!d.account_id.empty()) o["account_id"] = d.account_id;
  return o;
}

}  // namespace kyc::engine
