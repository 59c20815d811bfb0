#include "dsl/checker.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <re2/re2.h>

#include "common/civil_date.h"
#include "dsl/did_you_mean.h"
#include "dsl/message_text.h"
#include "dsl/notice_check.h"
#include "dsl/optional_negations.h"
#include "engine/builtins.h"

namespace kyc::dsl {

namespace {

using engine::Type;
using engine::TypeRef;

TypeRef scalar(Type t) { return {t, Type::Unknown}; }
const TypeRef kUnknown = scalar(Type::Unknown);

// A calendar duration has no fixed number of days (a year is 365 or 366 of them, a month 28
// to 31): comparing one with a day count would be off by a day around leap years.
// The mistakes a person new to the language makes most, each with how to write it.
// `2026-2-3` reads as 2026 minus 2 minus 3: its numbers, when the expression is only that.
std::vector<int64_t> subtracted_numbers(const Expr& e) {
  if (e.kind == ExprKind::Int) return {e.int_value};
  if (e.kind != ExprKind::Binary || e.binary != BinaryOp::Sub) return {};
  std::vector<int64_t> out;
  for (const auto& k : e.kids) {
    auto part = subtracted_numbers(*k);
    if (part.empty()) return {};
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

std::string two_digits(int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string cannot_compare(const Expr& x, const Expr& y) {
  TypeRef a = x.type, b = y.type;
  std::string message = "cannot compare " + type_name(a) + " with " + type_name(b);
  auto either = [&](Type t, Type u) {
    return (a.kind == t && b.kind == u) || (a.kind == u && b.kind == t);
  };
  const Expr& other = a.kind == Type::Date ? y : x;  // the side that is not the date
  if (either(Type::Date, Type::String)) {
    // Their own date, unquoted: an example with another date would change the rule if copied.
    bool a_date = other.kind == ExprKind::String && common::parse_date(other.str);
    return message + ": write a date without quotes (" +
           (a_date ? other.str : std::string("document.expiry < 2025-01-01")) + ")";
  }
  if (either(Type::Date, Type::Int)) {
    auto parts = subtracted_numbers(other);
    if (parts.size() == 3 && parts[0] >= 1000 && parts[0] <= 9999 && parts[1] >= 1 &&
        parts[1] <= 12 && parts[2] >= 1 && parts[2] <= 31)
      return message + ": a date has a two-digit month and day (" + std::to_string(parts[0]) + "-" +
             two_digits(parts[1]) + "-" + two_digits(parts[2]) +
             "); written otherwise it is a subtraction";
  }
  if (either(Type::Duration, Type::Int))
    return message + ": write a number of days with its unit (30 days, 2 weeks)";
  bool period = a.kind == Type::Period || b.kind == Type::Period;
  bool days = a.kind == Type::Duration || a.kind == Type::Int || b.kind == Type::Duration ||
              b.kind == Type::Int;
  if (period && days)
    message +=
        ": years and months have no fixed number of days; add them to a date and compare dates "
        "(`birth + 18 years <= today`), or compare whole years (`age(birth, today) >= 18`)";
  return message;
}

bool comparable(TypeRef a, TypeRef b) {
  if (a.kind == Type::Unknown || b.kind == Type::Unknown) return true;
  if (a.is_numeric() && b.is_numeric()) return true;
  if (a.kind == Type::List && b.kind == Type::List)
    return comparable(scalar(a.element), scalar(b.element));
  return a.kind == b.kind;
}

class Checker {
 public:
  Checker(Policy& p, const SourceFile& f, Diagnostics& d) : p_(p), file_(f), diags_(d) {
    for (size_t i = 0; i < p_.facts.size(); ++i) facts_.emplace(p_.facts[i].name.text, i);
  }

  void error(uint32_t offset, std::string message) {
    diags_.error(file_.locate(offset), std::move(message));
  }

  // A hint costs an edit distance against every candidate: a hostile text with thousands of
  // unknown names against thousands of reasons would make that quadratic, so only the first
  // few unknown names get one (a person fixes those first anyway).
  static constexpr size_t kMaxHints = 64;
  size_t hints_given_ = 0;
  template <typename Candidates>  // () -> std::vector<std::string>, called only for a hint
  std::string did_you_mean(std::string_view name, Candidates&& candidates) {
    if (++hints_given_ > kMaxHints) return "";
    return dsl::did_you_mean(name, candidates());
  }

  void run() {
    check_header();
    check_facts();
    check_lets();
    check_reasons();
    check_hides();
    warn_unused();
  }

  TypeRef type(Expr& e) {
    e.type = infer(e);
    return e.type;
  }

  // While checking a `let`, facts are off limits: constants must be known at load time.
  bool in_let = false;
  size_t lets_visible = 0;  // lets declared before the one being checked

 private:
  void check_header() {
    const Header& h = p_.header;
    if (!h.present) {
      error(0, "the policy has no header: start it with policy \"name\" { version ... }");
      return;
    }
    if (h.name.empty()) error(h.offset, "the policy's name is empty");
    if (!h.version) error(h.offset, "the policy header needs a version \"...\"");
    if (h.locales.empty()) error(h.offset, "the policy header needs `locales` (e.g. locales en)");
    std::set<std::string> seen;
    for (const auto& l : h.locales)
      if (!seen.insert(l.text).second) error(l.offset, "locale '" + l.text + "' is listed twice");
    if (h.on_missing == engine::Outcome::Approve)
      error(h.on_missing_offset,
            "'on missing approve' is not allowed: missing data must never approve");
  }

  void check_facts() {
    std::set<std::string> seen;
    for (const auto& f : p_.facts)
      if (!seen.insert(f.name.text).second)
        error(f.name.offset, "fact '" + f.name.text + "' is declared twice");
  }

  void check_lets() {
    std::set<std::string> seen;
    for (size_t i = 0; i < p_.lets.size(); ++i) {
      auto& l = p_.lets[i];
      if (!seen.insert(l.name.text).second)
        error(l.name.offset, "constant '" + l.name.text + "' is defined twice");
      if (facts_.count(l.name.text))
        error(l.name.offset, "constant '" + l.name.text + "' has the name of a fact");
      in_let = true;
      lets_visible = i;
      type(*l.value);
      in_let = false;
    }
    lets_visible = p_.lets.size();
  }

  void check_reasons() {
    std::map<std::string, size_t> codes;
    for (size_t i = 0; i < p_.reasons.size(); ++i) {
      auto& r = p_.reasons[i];
      if (!codes.emplace(r.code.text, i).second)
        error(r.code.offset, "reason code '" + r.code.text + "' is used twice");
      if (!r.outcome)
        error(r.code.offset,
              "reason " + r.code.text + " has no outcome (resubmit, review or reject)");
      else if (*r.outcome == engine::Outcome::Approve)
        error(r.outcome_offset,
              "a reason cannot have outcome approve: a reason is why a submission fails");
      if (!r.when) {
        error(r.code.offset, "reason " + r.code.text + " has no 'when' condition");
      } else {
        TypeRef t = type(*r.when);
        if (t.kind != Type::Bool && t.kind != Type::Unknown)
          error(r.when->offset,
                "the condition of " + r.code.text + " must be bool, not " + type_name(t));
      }
      check_messages(r);
    }
  }

  void check_messages(Reason& r) {
    if (!p_.header.present) return;  // no locales to check against; the header error says it
    std::set<std::string> declared;
    for (const auto& l : p_.header.locales) declared.insert(l.text);
    std::set<std::string> given;
    for (auto& m : r.messages) {
      if (!declared.count(m.locale.text))
        error(m.locale.offset,
              "locale '" + m.locale.text + "' is not declared in the policy header");
      if (!given.insert(m.locale.text).second)
        error(m.locale.offset,
              "reason " + r.code.text + " has two '" + m.locale.text + "' messages");
      for (auto* field : {&m.title, &m.detail, &m.action}) {
        const char* name = field == &m.title ? "title" : field == &m.detail ? "detail" : "action";
        if (!field->present) {
          error(m.locale.offset,
                "message " + m.locale.text + " of " + r.code.text + " has no " + name);
          continue;
        }
        check_holes(*field, &r);
      }
    }
    for (const auto& l : p_.header.locales)
      if (!given.count(l.text))
        error(r.code.offset,
              "reason " + r.code.text + " has no message for locale '" + l.text + "'");
  }

  // `reason`: the reason whose message this is (else a notice's or a constant's text).
  void check_holes(const MessageText& t, const Reason* reason = nullptr) {
    // +1: offsets inside the text count from after the opening quote.
    SplitText split = split_message(t.value);
    if (!split.error.empty()) {
      error(t.offset + 1 + split.error_offset, split.error);
      return;
    }
    for (const auto& part : split.parts) {
      if (!part.hole) continue;
      auto f = facts_.find(part.text);
      if (f != facts_.end()) {
        // A fact its condition does not read may be missing when the reason fires: the user
        // would read '?' in its place.
        if (reason && reason->when && !reads_fact(*reason->when, static_cast<int32_t>(f->second)))
          diags_.warning(file_.locate(t.offset + 1 + part.offset),
                         "'{" + part.text + "}': " + reason->code.text +
                             "'s condition does not read " + part.text +
                             ", so it may be missing when the reason fires, and the user would "
                             "read '?' here");
        used_.insert(f->second);
        continue;
      }
      if (find_let(part.text) >= 0) continue;
      error(t.offset + 1 + part.offset, "'{" + part.text +
                                            "}' does not name a declared fact or constant" +
                                            did_you_mean(part.text, [&] { return names(); }));
    }
  }

  static bool reads_fact(const Expr& e, int32_t fact) {
    if (e.kind == ExprKind::Name && e.fact == fact) return true;
    return std::any_of(e.kids.begin(), e.kids.end(),
                       [&](const auto& k) { return reads_fact(*k, fact); });
  }

  void check_hides() {
    std::map<std::string, size_t> codes;
    for (size_t i = 0; i < p_.reasons.size(); ++i) codes.emplace(p_.reasons[i].code.text, i);
    std::vector<std::vector<size_t>> edges(p_.reasons.size());
    std::vector<std::string> all;  // the codes, for a hint; built at the first unknown name
    for (size_t i = 0; i < p_.reasons.size(); ++i) {
      for (const auto& h : p_.reasons[i].hides) {
        auto it = codes.find(h.text);
        if (it == codes.end()) {
          if (all.empty())
            for (const auto& [c, _] : codes) all.push_back(c);
          error(h.offset, "hides unknown reason '" + h.text + "'" +
                              did_you_mean(h.text, [&] { return all; }));
        } else if (it->second == i) {
          error(h.offset, "reason " + h.text + " hides itself");
        } else {
          edges[i].push_back(it->second);
          warn_milder_hider(p_.reasons[i], h, p_.reasons[it->second]);
        }
      }
    }
    report_hides_cycle(edges);
  }

  // A reason that hides a graver one lowers the decision whenever both fire: a careless
  // `hides` turns a reject into a resubmit. Allowed (a content check is moot when the file is
  // not accepted), but said, so that it is meant.
  void warn_milder_hider(const Reason& hider, const Name& hidden_name, const Reason& hidden) {
    if (!hider.outcome || !hidden.outcome || *hider.outcome >= *hidden.outcome) return;
    std::string from(engine::outcome_name(*hider.outcome));
    std::string to(engine::outcome_name(*hidden.outcome));
    diags_.warning(file_.locate(hidden_name.offset),
                   "reason " + hider.code.text + " (" + from + ") hides " + hidden.code.text +
                       " (" + to + "): when both fire the decision is " + from + ", not " + to);
  }

  // Depth-first search for a cycle, reported once at the edge that closes it. The search keeps
  // its own stack: a policy may chain thousands of reasons through `hides`, and a recursive
  // search would be as deep as that chain.
  void report_hides_cycle(const std::vector<std::vector<size_t>>& edges) {
    enum : uint8_t { Unseen, OnPath, Done };
    std::vector<uint8_t> state(edges.size(), Unseen);
    struct Step {
      size_t reason;
      size_t next_edge;
    };
    std::vector<Step> path;
    for (size_t root = 0; root < edges.size(); ++root) {
      if (state[root] != Unseen) continue;
      path.push_back({root, 0});
      state[root] = OnPath;
      while (!path.empty()) {
        Step& top = path.back();
        if (top.next_edge == edges[top.reason].size()) {
          state[top.reason] = Done;
          path.pop_back();
          continue;
        }
        size_t w = edges[top.reason][top.next_edge++];
        if (state[w] == OnPath) return report_cycle(path, w);
        if (state[w] == Unseen) {
          state[w] = OnPath;
          path.push_back({w, 0});
        }
      }
    }
  }

  template <typename Path>
  void report_cycle(const Path& path, size_t closing) {
    std::string cycle;
    auto start = std::find_if(path.begin(), path.end(),
                              [&](const auto& step) { return step.reason == closing; });
    for (auto it = start; it != path.end(); ++it)
      cycle += p_.reasons[it->reason].code.text + " -> ";
    cycle += p_.reasons[closing].code.text;
    const Reason& from = p_.reasons[path.back().reason];
    const Name* at = nullptr;
    for (const auto& h : from.hides)
      if (h.text == p_.reasons[closing].code.text) at = &h;
    error(at ? at->offset : from.code.offset, "'hides' forms a cycle: " + cycle);
  }

  void warn_unused() {
    for (size_t i = 0; i < p_.facts.size(); ++i)
      // A second declaration of a name is an error already, not also an unread fact.
      if (!used_.count(i) && facts_.at(p_.facts[i].name.text) == i)
        diags_.warning(file_.locate(p_.facts[i].name.offset),
                       "fact '" + p_.facts[i].name.text + "' is declared but no reason reads it");
  }

  int find_let(const std::string& name) const {
    for (size_t i = 0; i < lets_visible && i < p_.lets.size(); ++i)
      if (p_.lets[i].name.text == name) return static_cast<int>(i);
    return -1;
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& f : p_.facts) out.push_back(f.name.text);
    for (const auto& l : p_.lets) out.push_back(l.name.text);
    return out;
  }

  TypeRef infer(Expr& e) {
    switch (e.kind) {
      case ExprKind::Bool:
        return scalar(Type::Bool);
      case ExprKind::Int:
        return scalar(Type::Int);
      case ExprKind::Number:
        return scalar(Type::Number);
      case ExprKind::String:
        return scalar(Type::String);
      case ExprKind::Date:
        return scalar(Type::Date);
      case ExprKind::Duration:
        return scalar(Type::Duration);
      case ExprKind::Period:
        return scalar(Type::Period);
      case ExprKind::Name:
        return name(e);
      case ExprKind::List:
        return list(e);
      case ExprKind::Map:
        return map(e);
      case ExprKind::Unary:
        return unary(e);
      case ExprKind::Binary:
        return binary(e);
      case ExprKind::Presence: {
        type(*e.kids[0]);
        if (e.kids[0]->kind != ExprKind::Name || e.kids[0]->fact < 0)
          error(e.kids[0]->offset, std::string("'is ") + (e.present ? "present" : "missing") +
                                       "' applies to a fact name");
        return scalar(Type::Bool);
      }
      case ExprKind::Call:
        return call(e);
    }
    return kUnknown;
  }

  TypeRef name(Expr& e) {
    if (auto f = facts_.find(e.text); f != facts_.end()) {
      if (in_let) {
        error(e.offset, "a constant cannot read facts ('" + e.text + "')");
        return kUnknown;
      }
      e.fact = static_cast<int32_t>(f->second);
      used_.insert(f->second);
      return p_.facts[f->second].type;
    }
    if (int l = find_let(e.text); l >= 0) {
      e.let = l;
      return p_.lets[l].value ? p_.lets[l].value->type : kUnknown;
    }
    bool later_let = std::any_of(p_.lets.begin(), p_.lets.end(),
                                 [&](const LetDecl& d) { return d.name.text == e.text; });
    if (later_let)
      error(e.offset, "constant '" + e.text + "' is used before its definition");
    else
      error(e.offset, "unknown name '" + e.text + "': not a declared fact or constant" +
                          did_you_mean(e.text, [&] { return names(); }));
    return kUnknown;
  }

  TypeRef list(Expr& e) {
    TypeRef element = kUnknown;
    for (auto& k : e.kids) {
      TypeRef t = type(*k);
      if (t.kind == Type::List || t.kind == Type::Map) {
        error(k->offset, t.kind == Type::List ? "lists cannot contain lists"
                                              : "lists cannot contain tables");
        continue;
      }
      if (element.kind == Type::Unknown) {
        element = t;
      } else if (t.kind != Type::Unknown && !comparable(element, t)) {
        error(k->offset,
              "list items must have one type: " + type_name(element) + " and " + type_name(t));
      } else if (t.kind == Type::Number) {
        element = t;  // int and number mix as number
      }
    }
    return {Type::List, element.kind};
  }

  // {"key": value, ...}: string keys, each once; values of one type, known at load time.
  TypeRef map(Expr& e) {
    TypeRef element = kUnknown;
    std::map<std::string, uint32_t> keys;
    for (size_t i = 0; i + 1 < e.kids.size(); i += 2) {
      Expr& key = *e.kids[i];
      if (!keys.emplace(key.str, key.offset).second)
        error(key.offset, "the key \"" + key.str + "\" is in the table twice");
      Expr& value = *e.kids[i + 1];
      TypeRef t = type(value);
      if (reads_fact(value)) {
        error(value.offset, "a table's values must be constants, not facts");
      } else if (t.kind == Type::List || t.kind == Type::Map) {
        error(value.offset, "a table's values must be single values, not " + type_name(t));
      } else if (element.kind == Type::Unknown || (t.kind == Type::Number && element.is_numeric())) {
        element = t;  // int and number mix as number
      } else if (t.kind != Type::Unknown && !comparable(element, t)) {
        error(value.offset,
              "table values must have one type: " + type_name(element) + " and " + type_name(t));
      }
    }
    return {Type::Map, element.kind};
  }

  static bool reads_fact(const Expr& e) {
    if (e.kind == ExprKind::Name && e.fact >= 0) return true;
    return std::any_of(e.kids.begin(), e.kids.end(),
                       [](const ExprPtr& k) { return reads_fact(*k); });
  }

  TypeRef unary(Expr& e) {
    TypeRef t = type(*e.kids[0]);
    if (t.kind == Type::Unknown) return e.unary == UnaryOp::Not ? scalar(Type::Bool) : kUnknown;
    if (e.unary == UnaryOp::Not) {
      if (t.kind != Type::Bool) error(e.kids[0]->offset, "'not' needs a bool, not " + type_name(t));
      return scalar(Type::Bool);
    }
    if (!t.is_numeric() && t.kind != Type::Duration && t.kind != Type::Period) {
      error(e.offset, "'-' needs a number or duration, not " + type_name(t));
      return kUnknown;
    }
    return t;
  }

  TypeRef binary(Expr& e) {
    std::vector<TypeRef> ts;
    for (auto& k : e.kids) ts.push_back(type(*k));
    auto bad = [&](const std::string& what) { error(e.op_offset ? e.op_offset : e.offset, what); };
    switch (e.binary) {
      case BinaryOp::And:
      case BinaryOp::Or:
        for (size_t i = 0; i < ts.size(); ++i)
          if (ts[i].kind != Type::Bool && ts[i].kind != Type::Unknown)
            error(e.kids[i]->offset, std::string("'") + (e.binary == BinaryOp::And ? "and" : "or") +
                                         "' needs bool operands, not " + type_name(ts[i]));
        return scalar(Type::Bool);
      case BinaryOp::Eq:
      case BinaryOp::Ne:
        if (ts[0].kind == Type::Map || ts[1].kind == Type::Map)
          bad("a table is read with lookup(TABLE, key, default) or `key in TABLE`, not compared");
        else if (!comparable(ts[0], ts[1]))
          bad(cannot_compare(*e.kids[0], *e.kids[1]));
        return scalar(Type::Bool);
      case BinaryOp::Lt:
      case BinaryOp::Le:
      case BinaryOp::Gt:
      case BinaryOp::Ge:
        if (!comparable(ts[0], ts[1]))
          bad(cannot_compare(*e.kids[0], *e.kids[1]));
        else if (ts[0].kind == Type::Bool || ts[0].kind == Type::List || ts[0].kind == Type::Map)
          bad("'<', '<=', '>', '>=' need numbers, dates, durations or strings, not " +
              type_name(ts[0]));
        return scalar(Type::Bool);
      case BinaryOp::In:
      case BinaryOp::NotIn:
        if (ts[1].kind == Type::Map) {
          if (ts[0].kind != Type::String && ts[0].kind != Type::Unknown)
            bad("a table's keys are strings: cannot look for " + type_name(ts[0]) + " in one");
        } else if (ts[1].kind != Type::List && ts[1].kind != Type::Unknown)
          bad("the right side of 'in' must be a list or a table, not " + type_name(ts[1]));
        else if (ts[1].kind == Type::List && ts[1].element != Type::Unknown &&
                 !comparable(ts[0], scalar(ts[1].element)))
          bad("cannot look for " + type_name(ts[0]) + " in a list of " + type_name(ts[1].element));
        return scalar(Type::Bool);
      default:
        return arithmetic(e, ts[0], ts[1]);
    }
  }

  TypeRef arithmetic(Expr& e, TypeRef a, TypeRef b) {
    if (a.kind == Type::Unknown || b.kind == Type::Unknown) return kUnknown;
    bool add = e.binary == BinaryOp::Add, sub = e.binary == BinaryOp::Sub;
    if (a.is_numeric() && b.is_numeric()) {
      if (e.binary == BinaryOp::Div) return scalar(Type::Number);
      return scalar(a.kind == Type::Int && b.kind == Type::Int ? Type::Int : Type::Number);
    }
    if ((add || sub) && a.kind == Type::Date && b.kind == Type::Duration) return scalar(Type::Date);
    if (add && a.kind == Type::Duration && b.kind == Type::Date) return scalar(Type::Date);
    if (sub && a.kind == Type::Date && b.kind == Type::Date) return scalar(Type::Duration);
    if ((add || sub) && a.kind == Type::Duration && b.kind == Type::Duration)
      return scalar(Type::Duration);
    if ((add || sub) && a.kind == Type::Date && b.kind == Type::Period) return scalar(Type::Date);
    if (add && a.kind == Type::Period && b.kind == Type::Date) return scalar(Type::Date);
    if ((add || sub) && a.kind == Type::Period && b.kind == Type::Period)
      return scalar(Type::Period);
    const char* op = add ? "+" : sub ? "-" : e.binary == BinaryOp::Mul ? "*" : "/";
    bool date_and_count = (add || sub) && ((a.kind == Type::Date && b.kind == Type::Int) ||
                                           (a.kind == Type::Int && b.kind == Type::Date));
    error(e.op_offset,
          std::string("'") + op + "' cannot combine " + type_name(a) + " and " + type_name(b) +
              (date_and_count ? ": give the number its unit (today - 30 days, birth + 18 years)"
                              : ""));
    return kUnknown;
  }

  TypeRef call(Expr& e) {
    std::vector<TypeRef> args;
    for (auto& k : e.kids) args.push_back(type(*k));
    auto fn = engine::find_builtin(e.text);
    if (!fn) {
      std::vector<std::string> all;
      std::string list;
      for (const auto& b : engine::all_builtins()) {
        all.emplace_back(b.name);
        list += (list.empty() ? "" : ", ") + std::string(b.name);
      }
      std::string hint = did_you_mean(e.text, [&] { return all; });
      error(e.offset, "unknown function '" + e.text + "'" +
                          (hint.empty() ? " (functions: " + list + ")" : hint));
      return kUnknown;
    }
    auto sig = engine::check_signature(fn->id, args);
    if (!sig.error.empty()) {
      error(e.offset, sig.error);
      return kUnknown;
    }
    if (fn->id == engine::Builtin::Matches) check_pattern(*e.kids[1]);
    if (fn->id == engine::Builtin::NameSimilarity) check_compared_names(e);
    return sig.result;
  }

  // name_similarity's cost is the product of its texts' lengths (engine/builtins.h): its calls
  // are counted, and a text the policy writes into one is bounded. Facts are bounded where
  // they come in.
  void check_compared_names(const Expr& call) {
    if (++name_similarity_calls_ == engine::kMaxNameSimilarityCalls + 1)
      error(call.offset, "a policy may call name_similarity at most " +
                             std::to_string(engine::kMaxNameSimilarityCalls) +
                             " times: each call may cost 40 ms per decision");
    for (const auto& arg : call.kids)
      if (size_t longest = longest_text(*arg); longest > engine::kMaxComparedNameBytes)
        error(arg->offset,
              "name_similarity compares names: a text written in the policy for it "
              "is at most " +
                  std::to_string(engine::kMaxComparedNameBytes) +
                  " bytes, and this one holds one of " + std::to_string(longest) +
                  " (comparing it would take seconds per decision)");
  }

  // The longest string an expression may take from the policy's own text: its literals, and
  // those of the constants (lists and tables from files included) it reads.
  size_t longest_text(const Expr& e) {
    if (e.kind == ExprKind::String) return e.str.size();
    if (e.kind == ExprKind::Name && e.let >= 0) return longest_in_let(static_cast<size_t>(e.let));
    size_t longest = 0;
    for (const auto& k : e.kids) longest = std::max(longest, longest_text(*k));
    return longest;
  }
  // Per constant, once: a constant reads only earlier ones, so they are measured in order and
  // no chain of constants recurses deeper than one expression's nesting.
  size_t longest_in_let(size_t let) {
    while (let_text_.size() <= let) {
      const auto& value = p_.lets[let_text_.size()].value;
      let_text_.push_back(value ? longest_text(*value) : 0);
    }
    return let_text_[let];
  }

  // matches(s, PATTERN): the pattern is a string literal, or a constant defined as one, and
  // RE2 accepts it; it is compiled once, at load.
  void check_pattern(const Expr& arg) {
    const Expr* literal = &arg;
    if (arg.kind == ExprKind::Name && arg.let >= 0 && p_.lets[arg.let].value)
      literal = p_.lets[arg.let].value.get();
    if (literal->kind != ExprKind::String) {
      error(arg.offset, "the pattern of matches must be a string written in the policy (or a "
                        "constant defined as one), so that it is checked when the policy loads");
      return;
    }
    RE2 re(literal->str, RE2::Quiet);
    if (!re.ok())
      error(literal->offset, "invalid pattern: " + re.error() +
                                 (re.error_arg().empty() ? "" : " at '" + re.error_arg() + "'"));
  }

  Policy& p_;
  const SourceFile& file_;
  Diagnostics& diags_;
  std::map<std::string, size_t> facts_;
  std::set<size_t> used_;
  size_t name_similarity_calls_ = 0;
  std::vector<size_t> let_text_;  // longest_in_let's, by constant
};

}  // namespace

void check_policy(Policy& policy, const SourceFile& file, Diagnostics& diags) {
  Checker(policy, file, diags).run();
  check_notices(policy, file, diags);
  if (!diags.has_errors()) warn_unguarded_negations(policy, file, diags);
}

struct ExpressionChecker::Impl {
  Checker checker;
};

// The checker only reads the policy here; it needs a mutable reference for run().
ExpressionChecker::ExpressionChecker(const Policy& policy, const SourceFile& file,
                                     Diagnostics& diags)
    : impl_(new Impl{Checker(const_cast<Policy&>(policy), file, diags)}) {
  impl_->checker.in_let = true;
  impl_->checker.lets_visible = policy.lets.size();
}

ExpressionChecker::~ExpressionChecker() = default;

void ExpressionChecker::check(Expr& e) { impl_->checker.type(e); }

}  // namespace kyc::dsl
