#include "engine/json/decision.h"

#include <algorithm>
#include <set>

#include <boost/json/serialize.hpp>

#include "common/civil_date.h"
#include "common/json_text.h"

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
      return boost::json::string(common::format_date(v.days));
    case Value::Kind::Duration:
      return v.days;
    case Value::Kind::Period:
      return boost::json::string(to_text(v));
    case Value::Kind::List: {
      boost::json::array a;
      for (uint32_t k = 0; k < v.len; ++k) a.push_back(to_json(v.items[k]));
      return a;
    }
    case Value::Kind::Map: {
      boost::json::object o;
      for (uint32_t k = 0; k < v.len; ++k) o[v.items[k].str()] = to_json(v.items[v.len + k]);
      return o;
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
  d.locale = p.match_locale(locale);
  if (d.locale.empty()) d.locale = p.locales.empty() ? locale : p.locales.front();
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

namespace {

// The members of one JSON object, written in order with commas between them.
struct Members {
  std::string& out;
  bool first = true;

  void key(std::string_view name) {  // the names here need no escaping
    if (!first) out += ',';
    first = false;
    out += '"';
    out += name;
    out += "\":";
  }
  void text(std::string_view name, std::string_view value) {
    key(name);
    common::append_json_string(out, value);
  }
  void texts(std::string_view name, const std::vector<std::string>& values) {
    key(name);
    out += '[';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) out += ',';
      common::append_json_string(out, values[i]);
    }
    out += ']';
  }
  // `"name":{...}`, its members written by `write(Members&)`.
  template <typename Write>
  void object(std::string_view name, Write write) {
    key(name);
    open_object(write);
  }
  // `"name":[{...},...]`, each item's members written by `write(Members&, item)`.
  template <typename Item, typename Write>
  void objects(std::string_view name, const std::vector<Item>& items, Write write) {
    key(name);
    out += '[';
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += ',';
      open_object([&](Members& m) { write(m, items[i]); });
    }
    out += ']';
  }
  template <typename Write>
  void open_object(Write write) {
    out += '{';
    Members inner{out};
    write(inner);
    out += '}';
  }
};

}  // namespace

// The field order is part of replay: it is the order of every decision already recorded.
std::string decision_json(const Decision& d) {
  std::string out;
  out.reserve(512);
  Members{out}.open_object([&d](Members& top) {
    if (!d.decision_id.empty()) top.text("decision_id", d.decision_id);
    top.text("outcome", outcome_name(d.outcome));
    top.objects("reasons", d.reasons, [](Members& m, const FiredReason& r) {
      m.text("code", r.code);
      m.text("outcome", outcome_name(r.outcome));
      m.text("title", r.title);
      m.text("detail", r.detail);
      m.text("action", r.action);
      m.objects("evidence", r.evidence, [](Members& e, const Evidence& evidence) {
        e.text("atom", evidence.atom);
        // Fact values keep Boost.JSON's number format (1E-1): the few of them go through it.
        e.key("facts");
        e.out += boost::json::serialize(evidence.facts);
      });
    });
    top.objects("undetermined", d.undetermined, [](Members& m, const UndeterminedReason& u) {
      m.text("code", u.code);
      m.text("outcome", outcome_name(u.outcome));
      m.texts("missing", u.missing);
    });
    if (!d.ignored_facts.empty()) top.texts("ignored_facts", d.ignored_facts);
    top.object("policy", [&d](Members& m) {
      m.text("name", d.policy_name);
      m.text("version", d.policy_version);
      m.text("sha256", d.policy_sha256);
    });
    top.text("locale", d.locale);
    if (!d.today.empty()) top.text("today", d.today);
    top.text("evaluated_at", d.evaluated_at);
    if (!d.account_id.empty()) top.text("account_id", d.account_id);
  });
  return out;
}

}  // namespace kyc::engine
