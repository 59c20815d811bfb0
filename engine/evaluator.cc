#include "engine/evaluator.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cstring>

#include <re2/re2.h>

#include "common/civil_date.h"

namespace kyc::engine {

namespace {

// Missing operands: the result is missing too; it stays "optional" only if every missing
// operand was an absent optional fact.
Value propagate_missing(const Value& a, const Value& b) {
  bool optional = (!a.is_missing() || a.optional) && (!b.is_missing() || b.optional);
  return Value::missing(optional);
}

// An atom (comparison, membership) that reads a missing operand: false when only optional
// facts are absent, otherwise unknown.
Value missing_atom(const Value& a, const Value& b) {
  Value m = propagate_missing(a, b);
  return m.optional ? Value::boolean(false) : Value::unknown();
}

// Connectives see an absent optional bool fact as false (see Value::optional).
inline Value as_condition(Value v) {
  if (v.is_missing() && v.optional) return Value::boolean(false);
  return v;
}

int three_way(const Value& a, const Value& b) {
  switch (a.kind) {
    case Value::Kind::Int:
      if (b.kind == Value::Kind::Int) return (a.i > b.i) - (a.i < b.i);
      [[fallthrough]];
    case Value::Kind::Number: {
      double x = a.as_double(), y = b.as_double();
      return (x > y) - (x < y);
    }
    case Value::Kind::String: {
      int c = a.str().compare(b.str());
      return (c > 0) - (c < 0);
    }
    case Value::Kind::Date:
    case Value::Kind::Duration:
    case Value::Kind::Period:
      return (a.days > b.days) - (a.days < b.days);
    case Value::Kind::Bool:
      return (a.b > b.b) - (a.b < b.b);
    default:
      return 0;
  }
}

// Byte equality for the short strings of fact values, inlined: a libc memcmp call costs more
// than the comparison itself at these sizes.
inline bool same_bytes(const char* a, const char* b, size_t n) {
  for (; n >= 8; a += 8, b += 8, n -= 8) {
    uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) return false;
  }
  for (; n > 0; --n)
    if (*a++ != *b++) return false;
  return true;
}

bool equal(const Value& a, const Value& b) {
  if (a.kind == Value::Kind::String && b.kind == Value::Kind::String)
    return a.len == b.len && same_bytes(a.s, b.s, a.len);  // lengths settle most cases
  if (a.kind == Value::Kind::List || b.kind == Value::Kind::List) {
    if (a.kind != b.kind || a.len != b.len) return false;
    for (uint32_t k = 0; k < a.len; ++k)
      if (!equal(a.items[k], b.items[k])) return false;
    return true;
  }
  return three_way(a, b) == 0;
}

Value compare_values(Op op, const Value& a, const Value& b) {
  switch (op) {
    case Op::Eq:
      return Value::boolean(equal(a, b));
    case Op::Ne:
      return Value::boolean(!equal(a, b));
    case Op::Lt:
      return Value::boolean(three_way(a, b) < 0);
    case Op::Le:
      return Value::boolean(three_way(a, b) <= 0);
    case Op::Gt:
      return Value::boolean(three_way(a, b) > 0);
    default:
      return Value::boolean(three_way(a, b) >= 0);
  }
}

bool set_contains(const ConstSet& set, const Value& v) {
  switch (v.kind) {
    case Value::Kind::String: {
      // Binary search on length alone, then the few items of that length byte by byte.
      auto it =
          std::lower_bound(set.strings.begin(), set.strings.end(), v.len,
                           [](const std::string& item, uint32_t len) { return item.size() < len; });
      for (; it != set.strings.end() && it->size() == v.len; ++it)
        if (same_bytes(it->data(), v.s, v.len)) return true;
      return false;
    }
    case Value::Kind::Int:
    case Value::Kind::Number:
      return std::binary_search(set.numbers.begin(), set.numbers.end(), v.as_double());
    case Value::Kind::Date:
    case Value::Kind::Duration:
    case Value::Kind::Period:
      return std::binary_search(set.days.begin(), set.days.end(), v.days);
    default:
      return false;
  }
}

// `fact OP constant` where the compiler gave the constant the fact's kind: one switch on the
// kind, one on the operator, both the same for a node on every evaluation.
[[gnu::always_inline]] inline Value compare_fact_const(const Node& n, const FactFrame& f) {
  const Value& a = f.get(n.slot);
  const Value& k = n.constant;
  if (a.kind != k.kind) {
    if (a.is_missing()) return a.optional ? Value::boolean(false) : Value::unknown();
    return compare_values(n.cmp, a, k);
  }
  int c;
  switch (a.kind) {
    case Value::Kind::Number:
      c = (a.d > k.d) - (a.d < k.d);
      break;
    case Value::Kind::Int:
      c = (a.i > k.i) - (a.i < k.i);
      break;
    case Value::Kind::Date:
    case Value::Kind::Duration:
    case Value::Kind::Period:
      c = (a.days > k.days) - (a.days < k.days);
      break;
    case Value::Kind::String:
      if (n.cmp == Op::Eq) return Value::boolean(equal(a, k));
      if (n.cmp == Op::Ne) return Value::boolean(!equal(a, k));
      return compare_values(n.cmp, a, k);
    default:
      return compare_values(n.cmp, a, k);
  }
  switch (n.cmp) {
    case Op::Eq:
      return Value::boolean(c == 0);
    case Op::Ne:
      return Value::boolean(c != 0);
    case Op::Lt:
      return Value::boolean(c < 0);
    case Op::Le:
      return Value::boolean(c <= 0);
    case Op::Gt:
      return Value::boolean(c > 0);
    default:
      return Value::boolean(c >= 0);
  }
}

}  // namespace

size_t Verdict::fired() const {
  return static_cast<size_t>(std::count(reasons.begin(), reasons.end(), ReasonState::Fired));
}

Evaluator::Evaluator(const CompiledPolicy& policy) : policy_(&policy) {
  verdict_.reasons.resize(policy.reasons.size());
}

const Verdict& Evaluator::evaluate(const FactFrame& facts) {
  arena_.reset();
  const auto& reasons = policy_->reasons;
  Outcome out = Outcome::Approve;
  bool hiding = false;
  for (size_t r = 0; r < reasons.size(); ++r) {
    const Node& root = policy_->nodes[reasons[r].when];
    Value v =
        as_condition(root.eager ? eager_connective(root, facts) : operand(reasons[r].when, facts));
    ReasonState state = v.is_missing() ? ReasonState::Undetermined
                        : v.b          ? ReasonState::Fired
                                       : ReasonState::NotFired;
    verdict_.reasons[r] = state;
    if (state == ReasonState::Fired) {
      out = std::max(out, reasons[r].outcome);
      hiding |= !reasons[r].hides.empty();
    } else if (state == ReasonState::Undetermined) {
      out = std::max(out, policy_->on_missing);
    }
  }
  if (hiding) out = apply_hides();
  verdict_.outcome = out;
  return verdict_;
}

// A reason that fired (and is not itself hidden) hides those it names, fired or not; the
// outcome is then taken again over what is left.
Outcome Evaluator::apply_hides() {
  const auto& reasons = policy_->reasons;
  for (uint32_t r : policy_->hide_order) {
    if (verdict_.reasons[r] != ReasonState::Fired) continue;
    for (uint32_t h : reasons[r].hides)
      if (verdict_.reasons[h] != ReasonState::NotFired) verdict_.reasons[h] = ReasonState::Hidden;
  }
  Outcome out = Outcome::Approve;
  for (size_t r = 0; r < reasons.size(); ++r) {
    if (verdict_.reasons[r] == ReasonState::Fired) out = std::max(out, reasons[r].outcome);
    if (verdict_.reasons[r] == ReasonState::Undetermined) out = std::max(out, policy_->on_missing);
  }
  return out;
}

// The operands most conditions are made of, evaluated without a call: a comparison with a
// constant, a bool fact, `not` of one, a fact looked up in a constant set. Anything else
// goes through eval().
[[gnu::always_inline]] inline Value Evaluator::operand(uint32_t index, const FactFrame& f) {
  const Node& n = policy_->nodes[index];
  switch (n.op) {
    case Op::CompareFactConst:
      return compare_fact_const(n, f);
    case Op::CompareFacts: {
      const Value& a = f.get(n.slot);
      const Value& b = f.get(n.slot2);
      if (a.is_missing() || b.is_missing()) return missing_atom(a, b);
      return compare_values(n.cmp, a, b);
    }
    case Op::Fact:
      return f.get(n.slot);
    case Op::InSet:
    case Op::NotInSet: {
      const Node& needle = policy_->nodes[policy_->kids[n.first]];
      if (needle.op == Op::Fact) return in_set(n, f.get(needle.slot));
      break;
    }
    case Op::Not: {
      const Node& inner = policy_->nodes[policy_->kids[n.first]];
      if (inner.op == Op::Fact) {
        Value v = as_condition(f.get(inner.slot));
        return v.is_missing() ? v : Value::boolean(!v.b);
      }
      break;
    }
    default:
      break;
  }
  return eval(index, f);
}

// Kleene and/or over cheap operands, all evaluated, combined without branching on values.
[[gnu::always_inline]] inline Value Evaluator::eager_connective(const Node& n, const FactFrame& f) {
  const bool decisive = n.op == Op::Or;  // false decides an and, true decides an or
  const uint32_t* kid = policy_->kids.data() + n.first;
  bool any_decisive = false, any_unknown = false;
  for (uint32_t k = 0; k < n.count; ++k) {
    Value v = operand(kid[k], f);
    bool known = v.kind == Value::Kind::Bool;
    bool absent_optional = !known & v.optional;  // reads as false, see as_condition
    any_decisive |= (known | absent_optional) & ((known & v.b) == decisive);
    any_unknown |= !known & !v.optional;
  }
  return any_decisive  ? Value::boolean(decisive)
         : any_unknown ? Value::unknown()
                       : Value::boolean(!decisive);
}

[[gnu::always_inline]] inline Value Evaluator::in_set(const Node& n, const Value& needle) const {
  if (needle.is_missing()) return missing_atom(needle, needle);
  return Value::boolean(set_contains(policy_->sets[n.slot], needle) != (n.op == Op::NotInSet));
}

Value Evaluator::eval(uint32_t index, const FactFrame& f) {
  const Node& n = policy_->nodes[index];
  const uint32_t* kid = policy_->kids.data() + n.first;
  switch (n.op) {
    case Op::Const:
      return n.constant;
    case Op::Fact:
      return f.get(n.slot);
    case Op::Not: {
      Value v = as_condition(eval(kid[0], f));
      return v.is_missing() ? v : Value::boolean(!v.b);
    }
    case Op::And:
    case Op::Or: {
      // Kleene: a decisive operand (false for and, true for or) wins over unknown.
      const bool decisive = n.op == Op::Or;
      if (n.eager) return eager_connective(n, f);
      bool unknown = false;
      for (uint32_t k = 0; k < n.count; ++k) {
        Value v = as_condition(operand(kid[k], f));
        if (v.is_missing())
          unknown = true;
        else if (v.b == decisive)
          return Value::boolean(decisive);
      }
      return unknown ? Value::unknown() : Value::boolean(!decisive);
    }
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
      return compare(n, f);
    case Op::CompareFactConst:
    case Op::CompareFacts:
      return operand(index, f);
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Neg:
      return arithmetic(n, f);
    case Op::InSet:
    case Op::NotInSet:
    case Op::InList:
    case Op::NotInList:
      return membership(n, f);
    case Op::MakeList:
      return Value::unknown();  // only ever read through InList
    case Op::IsPresent:
    case Op::IsMissing: {
      bool present = !eval(kid[0], f).is_missing();
      return Value::boolean(n.op == Op::IsPresent ? present : !present);
    }
    case Op::Call:
      return call(n, f);
  }
  return Value::unknown();
}

Value Evaluator::compare(const Node& n, const FactFrame& f) {
  const uint32_t* kid = policy_->kids.data() + n.first;
  Value a = eval(kid[0], f), b = eval(kid[1], f);
  if (a.is_missing() || b.is_missing()) return missing_atom(a, b);
  return compare_values(n.op, a, b);
}

Value Evaluator::arithmetic(const Node& n, const FactFrame& f) {
  const uint32_t* kid = policy_->kids.data() + n.first;
  Value a = eval(kid[0], f);
  if (n.op == Op::Neg) {
    if (a.is_missing()) return a;
    if (a.kind == Value::Kind::Int)
      return a.i == INT64_MIN ? Value::unknown() : Value::integer(-a.i);  // no such int64
    if ((a.kind == Value::Kind::Duration || a.kind == Value::Kind::Period) && a.days == INT32_MIN)
      return Value::unknown();
    if (a.kind == Value::Kind::Duration) return Value::duration(-a.days);
    if (a.kind == Value::Kind::Period) return Value::period(-a.days);
    return Value::number(-a.d);
  }
  Value b = eval(kid[1], f);
  if (a.is_missing() || b.is_missing()) return propagate_missing(a, b);
  // Calendar arithmetic: date ± duration or calendar duration, date - date, durations ± each
  // other (the checker allows no other mix).
  // Days and months are int32: summed in 64 bits, and a sum past them is unknown (a policy
  // can add its million-day durations up as often as its size allows).
  auto days = [&](int32_t x, int32_t y, Value (*make)(int32_t)) {
    int64_t r = n.op == Op::Add ? int64_t{x} + y : int64_t{x} - y;
    return r < INT32_MIN || r > INT32_MAX ? Value::unknown() : make(static_cast<int32_t>(r));
  };
  if (a.kind == Value::Kind::Date) {
    if (b.kind == Value::Kind::Date) return days(a.days, b.days, &Value::duration);
    if (b.kind == Value::Kind::Period)
      return b.days == INT32_MIN
                 ? Value::unknown()
                 : Value::date(common::add_months(a.days, n.op == Op::Add ? b.days : -b.days));
    return days(a.days, b.days, &Value::date);
  }
  if (b.kind == Value::Kind::Date) {
    if (a.kind == Value::Kind::Period) return Value::date(common::add_months(b.days, a.days));
    return days(b.days, a.days, &Value::date);
  }
  if (a.kind == Value::Kind::Period && b.kind == Value::Kind::Period)
    return days(a.days, b.days, &Value::period);
  if (a.kind == Value::Kind::Duration && b.kind == Value::Kind::Duration)
    return days(a.days, b.days, &Value::duration);
  if (a.kind == Value::Kind::Int && b.kind == Value::Kind::Int && n.op != Op::Div) {
    // A result past int64 has no value, as a division by zero has none: unknown. Wrapped
    // around, a caller's 2^62 made `n * 2 > 100` false and a reject an approve.
    int64_t r = 0;
    bool overflow = n.op == Op::Add   ? __builtin_add_overflow(a.i, b.i, &r)
                    : n.op == Op::Sub ? __builtin_sub_overflow(a.i, b.i, &r)
                                      : __builtin_mul_overflow(a.i, b.i, &r);
    return overflow ? Value::unknown() : Value::integer(r);
  }
  double x = a.as_double(), y = b.as_double();
  switch (n.op) {
    case Op::Add:
      return Value::number(x + y);
    case Op::Sub:
      return Value::number(x - y);
    case Op::Mul:
      return Value::number(x * y);
    default:
      // Division by zero has no meaningful value: treat it as unknown, never as a number.
      return y == 0 ? Value::unknown() : Value::number(x / y);
  }
}

Value Evaluator::membership(const Node& n, const FactFrame& f) {
  const uint32_t* kid = policy_->kids.data() + n.first;
  Value needle = eval(kid[0], f);
  bool negate = n.op == Op::NotInSet || n.op == Op::NotInList;
  if (n.op == Op::InSet || n.op == Op::NotInSet) return in_set(n, needle);
  // A list built at run time: `x in [a, b]` is Kleene `x == a or x == b`.
  const Node& hay = policy_->nodes[kid[1]];
  if (hay.op == Op::MakeList) {
    if (needle.is_missing()) return missing_atom(needle, needle);
    bool unknown = false;
    const uint32_t* items = policy_->kids.data() + hay.first;
    for (uint32_t k = 0; k < hay.count; ++k) {
      Value item = eval(items[k], f);
      if (item.is_missing()) {
        if (!item.optional) unknown = true;
      } else if (equal(needle, item)) {
        return Value::boolean(!negate);
      }
    }
    return unknown ? Value::unknown() : Value::boolean(negate);
  }
  Value list = eval(kid[1], f);
  if (needle.is_missing() || list.is_missing()) return missing_atom(needle, list);
  for (uint32_t k = 0; k < list.len; ++k)
    if (equal(needle, list.items[k])) return Value::boolean(!negate);
  return Value::boolean(negate);
}

Value Evaluator::call(const Node& n, const FactFrame& f) {
  const uint32_t* kid = policy_->kids.data() + n.first;
  Value args[3];
  assert(n.count <= 3);
  Value missing = Value::missing(true);
  bool any_missing = false;
  for (uint32_t k = 0; k < n.count; ++k) {
    args[k] = eval(kid[k], f);
    if (args[k].is_missing()) {
      any_missing = true;
      missing = propagate_missing(missing, args[k]);
    }
  }
  if (any_missing) return missing;
  if (n.fn == Builtin::Matches)
    return Value::boolean(RE2::FullMatch(re2::StringPiece(args[0].s, args[0].len),
                                         *policy_->patterns[n.slot]));
  return call_builtin(n.fn, args, arena_);
}

int CompiledPolicy::find_reason(std::string_view code) const {
  for (size_t r = 0; r < reasons.size(); ++r)
    if (reasons[r].code == code) return static_cast<int>(r);
  return -1;
}

std::string CompiledPolicy::match_locale(std::string_view asked) const {
  for (const auto& l : locales)
    if (l == asked) return l;  // the common case, on every decision
  auto canonical = [](std::string_view tag) {
    std::string out(tag);
    for (char& c : out)
      c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::string wanted = canonical(asked);
  while (!wanted.empty()) {
    for (const auto& l : locales)
      if (canonical(l) == wanted) return l;
    size_t dash = wanted.rfind('-');
    wanted.resize(dash == std::string::npos ? 0 : dash);
  }
  return "";
}

const NoticeTexts* CompiledPolicy::find_notice(std::string_view locale) const {
  for (const auto& n : notices)
    if (n.locale == locale) return &n;
  return nullptr;
}

}  // namespace kyc::engine
