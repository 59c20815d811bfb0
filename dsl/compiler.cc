#include "dsl/compiler.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include <re2/re2.h>

#include "dsl/expr_printer.h"
#include "dsl/message_text.h"
#include "engine/evaluator.h"
#include "engine/personal_facts.h"

namespace kyc::dsl {

namespace {

using engine::Node;
using engine::Op;
using engine::Value;

class Compiler {
 public:
  Compiler(const Policy& p, engine::CompiledPolicy& out) : p_(p), out_(out) {}

  void declare_facts() {
    for (const auto& f : p_.facts)
      out_.schema.add(
          {f.name.text, f.type, f.optional, f.personal || engine::builtin_personal(f.name.text)});
  }

  void fold_lets() {
    for (const auto& l : p_.lets) lets_.push_back(fold(*l.value));
  }

  uint32_t compile(const Expr& e) {
    uint32_t index = lower(e);
    Node& n = out_.nodes[index];
    n.text = static_cast<uint32_t>(out_.texts.size());
    out_.texts.push_back(print_expr(e));
    return index;
  }

  Value fold(const Expr& e) {
    uint32_t index = compile(e);
    return evaluate_constant(index);
  }

  void reasons() {
    for (const auto& r : p_.reasons) {
      engine::CompiledReason cr;
      cr.code = r.code.text;
      cr.outcome = r.outcome.value_or(engine::Outcome::Review);
      cr.when = compile(*r.when);
      std::set<uint32_t> slots;
      collect_facts(*r.when, slots);
      cr.facts.assign(slots.begin(), slots.end());
      for (const auto& locale : p_.header.locales) {
        for (const auto& m : r.messages) {
          if (m.locale.text != locale.text) continue;
          cr.messages.push_back(
              {locale.text, message(m.title), message(m.detail), message(m.action)});
        }
      }
      out_.reasons.push_back(std::move(cr));
    }
    for (size_t i = 0; i < p_.reasons.size(); ++i)
      for (const auto& h : p_.reasons[i].hides)
        out_.reasons[i].hides.push_back(static_cast<uint32_t>(out_.find_reason(h.text)));
    order_hides();
  }

  // The notice's texts by locale (in header order) and outcome. A text written for every
  // outcome is copied to each; holes name constants only, so the texts are filled here.
  void notices() {
    for (const auto& locale : p_.header.locales) {
      for (const auto& n : p_.notices) {
        if (n.locale.text != locale.text) continue;
        engine::NoticeTexts texts{locale.text, {}, {}, {}, {}};
        std::array<std::string, 4>* parts[] = {&texts.subject, &texts.greeting, &texts.intro,
                                               &texts.closing};
        for (const auto& line : n.lines) {
          std::string text = constant_text(line.text);
          auto& by_outcome = *parts[static_cast<size_t>(line.part)];
          if (line.outcome)
            by_outcome[static_cast<size_t>(*line.outcome)] = text;
          else
            by_outcome.fill(text);
        }
        out_.notices.push_back(std::move(texts));
      }
    }
  }

  std::string constant_text(const MessageText& t) {
    std::string out;
    for (const auto& piece : message(t))
      out += piece.kind == engine::MessagePiece::Kind::Text ? piece.text
                                                            : engine::to_text(piece.constant);
    return out;
  }

 private:
  uint32_t push(Node n) {
    out_.nodes.push_back(n);
    return static_cast<uint32_t>(out_.nodes.size() - 1);
  }

  uint32_t constant(const Value& v) {
    Node n;
    n.op = Op::Const;
    n.constant = v;
    return push(n);
  }

  uint32_t with_kids(Node n, const std::vector<uint32_t>& kids) {
    n.first = static_cast<uint32_t>(out_.kids.size());
    n.count = static_cast<uint32_t>(kids.size());
    out_.kids.insert(out_.kids.end(), kids.begin(), kids.end());
    return push(n);
  }

  static bool reads_facts(const Expr& e) {
    if (e.kind == ExprKind::Name && e.fact >= 0) return true;
    return std::any_of(e.kids.begin(), e.kids.end(),
                       [](const ExprPtr& k) { return reads_facts(*k); });
  }

  static void collect_facts(const Expr& e, std::set<uint32_t>& out) {
    if (e.kind == ExprKind::Name && e.fact >= 0) out.insert(static_cast<uint32_t>(e.fact));
    for (const auto& k : e.kids) collect_facts(*k, out);
  }

  // Runs a fact-free node once at load time and keeps the result as a constant.
  Value evaluate_constant(uint32_t index) {
    engine::FactFrame empty(out_.schema);
    engine::Evaluator ev(out_);
    return keep(ev.eval(index, empty));
  }

  // Copies a folded value's strings, list items and table entries into the policy's own
  // storage.
  Value keep(const Value& v) {
    if (v.kind == Value::Kind::String) return Value::string(out_.strings.emplace_back(v.str()));
    if (v.kind == Value::Kind::List || v.kind == Value::Kind::Map) {
      bool map = v.kind == Value::Kind::Map;
      auto& items = out_.lists.emplace_back();
      for (uint32_t k = 0; k < (map ? 2 * v.len : v.len); ++k) items.push_back(keep(v.items[k]));
      return map ? Value::map(items.data(), v.len) : Value::list(items.data(), v.len);
    }
    return v;
  }

  // A literal's value directly (a list read from a file has thousands of them), anything
  // else folded.
  Value constant_of(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Bool:
        return Value::boolean(e.int_value != 0);
      case ExprKind::Int:
        return Value::integer(e.int_value);
      case ExprKind::Number:
        return Value::number(e.number_value);
      case ExprKind::String:
        return Value::string(out_.strings.emplace_back(e.str));
      default:
        return fold(e);
    }
  }

  // A table: keys in the order Value::find searches (shorter first), then their values.
  uint32_t table(const Expr& e) {
    std::vector<std::pair<Value, Value>> entries;
    for (size_t i = 0; i + 1 < e.kids.size(); i += 2)
      entries.emplace_back(constant_of(*e.kids[i]), constant_of(*e.kids[i + 1]));
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return engine::shorter_first(a.first.str(), b.first.str());
    });
    // One value type: an int among numbers is kept as a number.
    bool numbers = std::any_of(entries.begin(), entries.end(), [](const auto& kv) {
      return kv.second.kind == Value::Kind::Number;
    });
    auto& items = out_.lists.emplace_back();
    for (const auto& kv : entries) items.push_back(kv.first);
    for (const auto& kv : entries)
      items.push_back(numbers ? Value::number(kv.second.as_double()) : kv.second);
    return constant(Value::map(items.data(), static_cast<uint32_t>(entries.size())));
  }

  uint32_t lower(const Expr& e) {
    if (!reads_facts(e) && e.kind != ExprKind::List && e.kind != ExprKind::Map) {
      switch (e.kind) {
        case ExprKind::Bool:
          return constant(Value::boolean(e.int_value != 0));
        case ExprKind::Int:
          return constant(Value::integer(e.int_value));
        case ExprKind::Number:
          return constant(Value::number(e.number_value));
        case ExprKind::String:
          return constant(Value::string(out_.strings.emplace_back(e.str)));
        case ExprKind::Date:
          return constant(Value::date(e.days));
        case ExprKind::Duration:
          return constant(Value::duration(e.days));
        case ExprKind::Period:
          return constant(Value::period(e.days));
        case ExprKind::Name:
          if (e.let >= 0) return constant(lets_[e.let]);
          break;
        default: {
          // Compile normally, run once, and replace the whole subtree by its value.
          size_t nodes = out_.nodes.size(), kids = out_.kids.size(), texts = out_.texts.size();
          Value v = evaluate_constant(lower_dynamic(e));
          out_.nodes.resize(nodes);
          out_.kids.resize(kids);
          out_.texts.resize(texts);
          // Without facts nothing is missing: this is `1 / 0` or an int past int64. Kept, it
          // would compare as whatever its bits say.
          if (v.is_missing())
            problems_.emplace_back(
                e.offset, "'" + print_expr(e) +
                              "' has no value: it divides by zero or leaves the integer range");
          return constant(v);
        }
      }
    }
    return lower_dynamic(e);
  }

  uint32_t lower_dynamic(const Expr& e) {
    Node n;
    switch (e.kind) {
      case ExprKind::Name:
        if (e.let >= 0) return constant(lets_[e.let]);
        n.op = Op::Fact;
        n.slot = static_cast<uint32_t>(e.fact);
        return push(n);
      case ExprKind::Map:
        return table(e);
      case ExprKind::List: {
        if (!reads_facts(e)) {
          std::vector<Value> items;
          for (const auto& k : e.kids) items.push_back(constant_of(*k));
          auto& stored = out_.lists.emplace_back(items);
          for (auto& it : stored) it = keep(it);
          return constant(Value::list(stored.data(), static_cast<uint32_t>(stored.size())));
        }
        n.op = Op::MakeList;
        return with_kids(n, children(e));
      }
      case ExprKind::Unary:
        n.op = e.unary == UnaryOp::Not ? Op::Not : Op::Neg;
        return with_kids(n, children(e));
      case ExprKind::Presence:
        n.op = e.present ? Op::IsPresent : Op::IsMissing;
        return with_kids(n, children(e));
      case ExprKind::Call:
        n.op = Op::Call;
        n.fn = engine::find_builtin(e.text)->id;
        if (n.fn == engine::Builtin::Matches) n.slot = pattern(*e.kids[1]);
        return with_kids(n, children(e));
      case ExprKind::Binary:
        return binary(e);
      default:
        return lower(e);
    }
  }

  // The checker made sure the pattern is a valid constant string.
  uint32_t pattern(const Expr& arg) {
    Value text = fold(arg);
    out_.patterns.push_back(std::make_shared<const re2::RE2>(
        re2::StringPiece(text.s, text.len), re2::RE2::Quiet));
    return static_cast<uint32_t>(out_.patterns.size() - 1);
  }

  std::vector<uint32_t> children(const Expr& e) {
    std::vector<uint32_t> kids;
    for (const auto& k : e.kids) kids.push_back(compile(*k));
    return kids;
  }

  uint32_t binary(const Expr& e) {
    Node n;
    switch (e.binary) {
      case BinaryOp::And:
        n.op = Op::And;
        break;
      case BinaryOp::Or:
        n.op = Op::Or;
        break;
      case BinaryOp::Eq:
        n.op = Op::Eq;
        break;
      case BinaryOp::Ne:
        n.op = Op::Ne;
        break;
      case BinaryOp::Lt:
        n.op = Op::Lt;
        break;
      case BinaryOp::Le:
        n.op = Op::Le;
        break;
      case BinaryOp::Gt:
        n.op = Op::Gt;
        break;
      case BinaryOp::Ge:
        n.op = Op::Ge;
        break;
      case BinaryOp::Add:
        n.op = Op::Add;
        break;
      case BinaryOp::Sub:
        n.op = Op::Sub;
        break;
      case BinaryOp::Mul:
        n.op = Op::Mul;
        break;
      case BinaryOp::Div:
        n.op = Op::Div;
        break;
      case BinaryOp::In:
      case BinaryOp::NotIn:
        return membership(e);
    }
    if (n.op == Op::And || n.op == Op::Or) {
      uint32_t index = with_kids(n, children(e));
      Node& made = out_.nodes[index];
      made.eager = true;
      for (uint32_t k = 0; k < made.count; ++k)
        made.eager &= is_cheap(out_.nodes[out_.kids[made.first + k]]);
      return index;
    }
    if (auto fast = compare_fact_const(e, n.op)) return *fast;
    return with_kids(n, children(e));
  }

  // Atoms worth evaluating even when a short circuit could skip them: a few loads and a
  // compare, no calls, no loops over run-time lists.
  bool is_cheap(const Node& n) const {
    switch (n.op) {
      case Op::Const:
      case Op::Fact:
      case Op::CompareFactConst:
      case Op::CompareFacts:
      case Op::IsPresent:
      case Op::IsMissing:
        return true;
      case Op::InSet:
      case Op::NotInSet:
      case Op::Not:
        return is_cheap(out_.nodes[out_.kids[n.first]]);
      default:
        return false;
    }
  }

  // `fact OP constant` (or `constant OP fact`, with the comparison mirrored) and
  // `fact OP fact` as one node without children.
  std::optional<uint32_t> compare_fact_const(const Expr& e, Op op) {
    if (op < Op::Eq || op > Op::Ge) return std::nullopt;
    const Expr* fact = e.kids[0].get();
    const Expr* other = e.kids[1].get();
    if (!(fact->kind == ExprKind::Name && fact->fact >= 0)) {
      std::swap(fact, other);
      op = op == Op::Lt   ? Op::Gt
           : op == Op::Gt ? Op::Lt
           : op == Op::Le ? Op::Ge
           : op == Op::Ge ? Op::Le
                          : op;
    }
    if (!(fact->kind == ExprKind::Name && fact->fact >= 0) ||
        other->type.kind == engine::Type::List || fact->type.kind == engine::Type::List)
      return std::nullopt;
    if (other->kind == ExprKind::Name && other->fact >= 0) {
      Node n;
      n.op = Op::CompareFacts;
      n.cmp = op;
      n.slot = static_cast<uint32_t>(fact->fact);
      n.slot2 = static_cast<uint32_t>(other->fact);
      return push(n);
    }
    if (reads_facts(*other)) return std::nullopt;
    Node n;
    n.op = Op::CompareFactConst;
    n.cmp = op;
    n.slot = static_cast<uint32_t>(fact->fact);
    n.constant = fold(*other);
    // Compare a number fact with a number constant, so the hot path needs no int->double step.
    if (fact->type.kind == engine::Type::Number && n.constant.kind == Value::Kind::Int)
      n.constant = Value::number(static_cast<double>(n.constant.i));
    return push(n);
  }

  // `x in LIST`: a list known at load time becomes a sorted set looked up by binary search.
  uint32_t membership(const Expr& e) {
    bool negate = e.binary == BinaryOp::NotIn;
    Node n;
    if (!reads_facts(*e.kids[1])) {
      uint32_t needle = compile(*e.kids[0]);
      Value list = fold(*e.kids[1]);
      engine::ConstSet set;
      // `key in TABLE` looks among the table's keys, the first half of its items.
      for (uint32_t k = 0; k < list.len; ++k) {
        const Value& item = list.items[k];
        if (item.kind == Value::Kind::String)
          set.strings.emplace_back(item.str());
        else if (item.kind == Value::Kind::Int || item.kind == Value::Kind::Number)
          set.numbers.push_back(item.as_double());
        else if (item.kind == Value::Kind::Date || item.kind == Value::Kind::Duration ||
                 item.kind == Value::Kind::Period)
          set.days.push_back(item.days);
      }
      std::sort(set.strings.begin(), set.strings.end(), engine::shorter_first);
      std::sort(set.numbers.begin(), set.numbers.end());
      std::sort(set.days.begin(), set.days.end());
      n.op = negate ? Op::NotInSet : Op::InSet;
      n.slot = static_cast<uint32_t>(out_.sets.size());
      out_.sets.push_back(std::move(set));
      return with_kids(n, {needle});
    }
    n.op = negate ? Op::NotInList : Op::InList;
    return with_kids(n, children(e));
  }

  // A message goes into every decision that fires its reason and into the audit record, so
  // it is bounded where it is written: its text with the constants filled in, and the number
  // of facts it quotes (each at most a fact's text). A 13 KB policy once quoted a 10 KB
  // constant 1,000 times: every answer was 10 MB.
  static constexpr size_t kMessageBytes = 4096, kMessageFacts = 16;

  engine::MessageTemplate message(const MessageText& t) {
    engine::MessageTemplate out = message_pieces(t);
    size_t bytes = 0, facts = 0;
    for (const auto& piece : out) {
      if (piece.kind == engine::MessagePiece::Kind::Fact) ++facts;
      bytes += piece.kind == engine::MessagePiece::Kind::Constant
                   ? engine::to_text(piece.constant).size()
                   : piece.text.size();
    }
    if (bytes > kMessageBytes)
      problems_.emplace_back(t.offset, "this text is " + std::to_string(bytes) +
                                           " bytes once its constants are filled in; at most " +
                                           std::to_string(kMessageBytes));
    else if (facts > kMessageFacts)
      problems_.emplace_back(t.offset, "this text quotes " + std::to_string(facts) +
                                           " facts; at most " + std::to_string(kMessageFacts));
    return out;
  }

  engine::MessageTemplate message_pieces(const MessageText& t) {
    engine::MessageTemplate out;
    for (auto& part : split_message(t.value).parts) {
      engine::MessagePiece piece;
      piece.text = part.text;
      if (part.hole) {
        if (auto slot = out_.schema.find(part.text)) {
          piece.kind = engine::MessagePiece::Kind::Fact;
          piece.slot = *slot;
        } else {
          for (size_t i = 0; i < p_.lets.size(); ++i)
            if (p_.lets[i].name.text == part.text) piece.constant = lets_[i];
          piece.kind = engine::MessagePiece::Kind::Constant;
        }
      }
      out.push_back(std::move(piece));
    }
    return out;
  }

  // Topological order over `hides` (the checker rejected cycles): hiders first.
  void order_hides() {
    size_t n = out_.reasons.size();
    std::vector<int> indegree(n, 0);
    for (const auto& r : out_.reasons)
      for (uint32_t h : r.hides) ++indegree[h];
    std::vector<uint32_t> ready;
    for (size_t i = 0; i < n; ++i)
      if (indegree[i] == 0) ready.push_back(static_cast<uint32_t>(i));
    while (!ready.empty()) {
      uint32_t r = ready.front();
      ready.erase(ready.begin());
      out_.hide_order.push_back(r);
      for (uint32_t h : out_.reasons[r].hides)
        if (--indegree[h] == 0) ready.push_back(h);
    }
  }

  const Policy& p_;
  engine::CompiledPolicy& out_;
  std::vector<Value> lets_;

 public:
  // What only compiling finds: a constant without a value, a message too long once its
  // constants are filled in. By source offset.
  std::vector<std::pair<uint32_t, std::string>> problems_;
};

}  // namespace

std::unique_ptr<engine::CompiledPolicy> compile_policy(const Policy& policy,
                                                       const SourceFile& source,
                                                       Diagnostics& diagnostics) {
  auto out = std::make_unique<engine::CompiledPolicy>();
  out->name = policy.header.name;
  out->version = policy.header.version.value_or("");
  for (const auto& l : policy.header.locales) out->locales.push_back(l.text);
  out->on_missing = policy.header.on_missing.value_or(engine::Outcome::Review);
  Compiler c(policy, *out);
  c.declare_facts();
  c.fold_lets();
  c.reasons();
  c.notices();
  for (const auto& [offset, message] : c.problems_)
    diagnostics.error(source.locate(offset), message);
  return out;
}

struct ConstantFolder::Impl {
  Compiler compiler;
};

ConstantFolder::ConstantFolder(const Policy& policy, engine::CompiledPolicy& storage)
    : impl_(new Impl{Compiler(policy, storage)}) {
  impl_->compiler.fold_lets();
}

ConstantFolder::~ConstantFolder() = default;

engine::Value ConstantFolder::fold(const Expr& e) { return impl_->compiler.fold(e); }

}  // namespace kyc::dsl
