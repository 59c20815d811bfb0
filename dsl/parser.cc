#include "dsl/parser.h"

#include <cctype>

#include <tao/pegtl/contrib/limit_depth.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "common/civil_date.h"
#include "common/utf8.h"
#include "dsl/grammar.h"

namespace kyc::dsl {

namespace {

namespace g = grammar;
namespace pegtl = tao::pegtl;
using PNode = pegtl::parse_tree::node;

// Bounds the parser's own recursion (rule nesting) so hostile input cannot exhaust the stack;
// the friendlier, smaller limit on expression nesting is ParseOptions::max_nesting.
constexpr size_t kMaxRuleDepth = 3000;
template <typename Rule>
struct depth_action : pegtl::limit_depth<kMaxRuleDepth> {};

template <typename Rule>
using selector = pegtl::parse_tree::selector<
    Rule,
    pegtl::parse_tree::store_content::on<
        // expressions
        g::expr, g::operand, g::or_expr, g::and_expr, g::and_operand, g::not_expr, g::not_operand,
        g::not_op, g::cmp_expr, g::cmp_op, g::not_in_op, g::in_op, g::is_present, g::is_missing,
        g::add_expr, g::add_operand, g::add_op, g::mul_expr, g::mul_operand, g::mul_op, g::unary,
        g::unary_operand, g::neg_op, g::date_lit, g::size_lit, g::duration_lit, g::number_lit,
        g::int_lit, g::string_lit, g::true_lit, g::false_lit, g::name_ref, g::call, g::call_name,
        g::list_lit, g::map_lit,
        // policy
        g::header, g::header_version, g::header_locales, g::header_on_missing, g::locale_name,
        g::outcome_word, g::facts_block, g::fact_decl, g::fact_name, g::scalar_type,
        g::element_type, g::optional_mark, g::personal_mark, g::let_decl, g::let_name, g::reason,
        g::reason_code, g::reason_outcome, g::reason_when, g::reason_hides, g::hide_code,
        g::reason_message, g::message_locale, g::message_field, g::field_name, g::reason_note,
        g::notice, g::notice_locale, g::notice_line, g::notice_part, g::notice_outcome,
        // tests
        g::fixture, g::fixture_name, g::extends_clause, g::given_fact, g::missing_value,
        g::test_case, g::expect_outcome, g::expect_undetermined, g::code_list,
        g::required_code_list, g::code_item, g::next_code>>;

template <typename... Rules>
bool is(const PNode& n) {
  return (n.is_type<Rules>() || ...);
}

uint32_t offset_of(const PNode& n) { return static_cast<uint32_t>(n.m_begin.byte); }

// The token's text without the whitespace and comments `tok<>` consumed after it.
std::string word(const PNode& n) {
  std::string_view s = n.string_view();
  size_t end = s.find_first_of(" \t\r\n#");
  return std::string(s.substr(0, end));
}

Name name_of(const PNode& n) { return {word(n), offset_of(n)}; }

struct Builder {
  const SourceFile& file;
  Diagnostics& diags;
  const ParseOptions& options;

  void error(uint32_t offset, std::string message) {
    diags.error(file.locate(offset), std::move(message));
  }

  ExprPtr make(ExprKind kind, const PNode& n) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->offset = offset_of(n);
    return e;
  }

  bool too_deep(size_t depth, const PNode& n) {
    if (depth <= options.max_nesting) return false;
    error(offset_of(n), "expression nested too deeply (the limit is " +
                            std::to_string(options.max_nesting) + " levels)");
    return true;
  }

  // Left-associative chain: operand (op operand)*. `a + b + c` becomes ((a + b) + c), a tree
  // as deep as the chain is long, and every later pass (checker, compiler, evaluator,
  // formatter, evidence) walks it recursively: each link counts as one level of nesting.
  ExprPtr chain(const PNode& n, size_t depth) {
    size_t links = (n.children.size() - 1) / 2;
    if (depth + links > options.max_nesting) {
      error(offset_of(n), "a chain of " + std::to_string(links + 1) +
                              " terms nests too deeply (the limit is " +
                              std::to_string(options.max_nesting) +
                              " levels, and each operator of a chain is one): group it with "
                              "parentheses or split it into constants");
      return nullptr;
    }
    depth += links;
    ExprPtr left = expr(*n.children[0], depth);
    for (size_t i = 1; i + 1 < n.children.size() && left; i += 2) {
      const PNode& op = *n.children[i];
      auto e = make(ExprKind::Binary, n);
      e->offset = left->offset;
      e->op_offset = offset_of(op);
      char c = op.string_view()[0];
      e->binary = c == '+'   ? BinaryOp::Add
                  : c == '-' ? BinaryOp::Sub
                  : c == '*' ? BinaryOp::Mul
                             : BinaryOp::Div;
      e->kids.push_back(std::move(left));
      ExprPtr right = expr(*n.children[i + 1], depth);
      if (!right) return nullptr;
      e->kids.push_back(std::move(right));
      left = std::move(e);
    }
    return left;
  }

  // N-ary and/or.
  ExprPtr connective(const PNode& n, BinaryOp op, size_t depth) {
    if (n.children.size() == 1) return expr(*n.children[0], depth);
    auto e = make(ExprKind::Binary, n);
    e->binary = op;
    for (const auto& c : n.children) {
      ExprPtr k = expr(*c, depth);
      if (!k) return nullptr;
      e->kids.push_back(std::move(k));
    }
    return e;
  }

  // Prefix operators (not, -) written as a run in front of their operand.
  ExprPtr prefixed(const PNode& n, UnaryOp op, size_t depth) {
    size_t count = n.children.size() - 1;
    if (too_deep(depth + count, n)) return nullptr;
    ExprPtr inner = expr(*n.children.back(), depth + count);
    for (size_t i = count; i-- > 0 && inner;) {
      auto e = make(ExprKind::Unary, *n.children[i]);
      e->unary = op;
      e->kids.push_back(std::move(inner));
      inner = std::move(e);
    }
    return inner;
  }

  ExprPtr comparison(const PNode& n, size_t depth) {
    ExprPtr left = expr(*n.children[0], depth);
    if (n.children.size() == 1 || !left) return left;
    const PNode& op = *n.children[1];
    if (is<g::is_present, g::is_missing>(op)) {
      auto e = make(ExprKind::Presence, n);
      e->present = op.is_type<g::is_present>();
      e->op_offset = offset_of(op);
      e->kids.push_back(std::move(left));
      return e;
    }
    auto e = make(ExprKind::Binary, n);
    e->op_offset = offset_of(op);
    if (op.is_type<g::in_op>()) {
      e->binary = BinaryOp::In;
    } else if (op.is_type<g::not_in_op>()) {
      e->binary = BinaryOp::NotIn;
    } else {
      std::string s = word(op);
      e->binary = s == "=="   ? BinaryOp::Eq
                  : s == "!=" ? BinaryOp::Ne
                  : s == "<=" ? BinaryOp::Le
                  : s == ">=" ? BinaryOp::Ge
                  : s == "<"  ? BinaryOp::Lt
                              : BinaryOp::Gt;
    }
    e->kids.push_back(std::move(left));
    ExprPtr right = expr(*n.children[2], depth);
    if (!right) return nullptr;
    e->kids.push_back(std::move(right));
    return e;
  }

  ExprPtr literal(const PNode& n) {
    std::string_view text = n.string_view();
    if (n.is_type<g::true_lit>() || n.is_type<g::false_lit>()) {
      auto e = make(ExprKind::Bool, n);
      e->int_value = n.is_type<g::true_lit>();
      e->text = std::string(text);
      return e;
    }
    if (n.is_type<g::string_lit>()) {
      auto e = make(ExprKind::String, n);
      e->text = std::string(text);
      e->str = unescape(text.substr(1, text.size() - 2));
      return e;
    }
    if (n.is_type<g::date_lit>()) {
      auto e = make(ExprKind::Date, n);
      e->text = std::string(text);
      auto days = common::parse_date(text);
      if (!days) {
        error(offset_of(n), "'" + e->text + "' is not a calendar date");
        return nullptr;
      }
      e->days = *days;
      return e;
    }
    if (n.is_type<g::int_lit>()) {
      auto e = make(ExprKind::Int, n);
      e->text = std::string(text);
      try {
        e->int_value = std::stoll(e->text);
      } catch (const std::out_of_range&) {
        error(offset_of(n), "integer '" + e->text + "' is too large");
        return nullptr;
      }
      return e;
    }
    if (n.is_type<g::number_lit>()) {
      auto e = make(ExprKind::Number, n);
      e->text = std::string(text);
      e->number_value = std::stod(e->text);
      return e;
    }
    if (n.is_type<g::duration_lit>()) {
      size_t digits_end = text.find_first_not_of("0123456789");
      std::string_view unit = text.substr(text.find_first_not_of(" \t", digits_end));
      // Years and months are calendar durations, counted in months; days and weeks in days.
      bool calendar = unit.starts_with("year") || unit.starts_with("month");
      auto e = make(calendar ? ExprKind::Period : ExprKind::Duration, n);
      int64_t count = 0;
      try {
        count = std::stoll(std::string(text.substr(0, digits_end)));
      } catch (const std::out_of_range&) {
        count = INT32_MAX;
      }
      if (unit.starts_with("week")) count *= 7;
      if (unit.starts_with("year")) count = std::min<int64_t>(count, INT32_MAX) * 12;
      if (count > 1000000) {
        error(offset_of(n), "duration '" + std::string(text) + "' is too long");
        return nullptr;
      }
      e->days = static_cast<int32_t>(count);
      e->text = std::string(text.substr(0, digits_end)) + " " + std::string(unit);
      return e;
    }
    // size_lit: number and unit, to bytes.
    auto e = make(ExprKind::Int, n);
    size_t num_end = text.find_first_not_of("0123456789.");
    std::string_view unit = text.substr(text.find_first_not_of(" \t", num_end));
    double amount = std::stod(std::string(text.substr(0, num_end)));
    double scale = unit == "KiB"   ? 1024.0
                   : unit == "MiB" ? 1024.0 * 1024
                   : unit == "GiB" ? 1024.0 * 1024 * 1024
                   : unit == "KB"  ? 1e3
                   : unit == "MB"  ? 1e6
                   : unit == "GB"  ? 1e9
                                   : 1.0;
    if (amount * scale > 9e15) {
      error(offset_of(n), "size '" + std::string(text) + "' is too large");
      return nullptr;
    }
    e->int_value = static_cast<int64_t>(amount * scale);
    e->text = std::string(text.substr(0, num_end)) + " " + std::string(unit);
    return e;
  }

  ExprPtr expr(const PNode& n, size_t depth) {
    if (is<g::expr, g::operand>(n)) {
      if (too_deep(depth + 1, n)) return nullptr;
      return connective(n, BinaryOp::Or, depth + 1);
    }
    if (is<g::or_expr>(n)) return connective(n, BinaryOp::Or, depth);
    if (is<g::and_expr, g::and_operand>(n)) return connective(n, BinaryOp::And, depth);
    if (is<g::not_expr, g::not_operand>(n)) return prefixed(n, UnaryOp::Not, depth);
    if (is<g::unary, g::unary_operand>(n)) return prefixed(n, UnaryOp::Neg, depth);
    if (is<g::cmp_expr>(n)) return comparison(n, depth);
    if (is<g::add_expr, g::add_operand, g::mul_expr, g::mul_operand>(n)) return chain(n, depth);
    if (n.is_type<g::name_ref>()) {
      auto e = make(ExprKind::Name, n);
      e->text = std::string(n.string_view());
      return e;
    }
    if (n.is_type<g::list_lit>() || n.is_type<g::call>()) {
      if (too_deep(depth + 1, n)) return nullptr;
      bool call = n.is_type<g::call>();
      auto e = make(call ? ExprKind::Call : ExprKind::List, n);
      size_t first = 0;
      if (call) {
        e->text = std::string(n.children[0]->string_view());
        first = 1;
      }
      for (size_t i = first; i < n.children.size(); ++i) {
        ExprPtr k = expr(*n.children[i], depth + 1);
        if (!k) return nullptr;
        e->kids.push_back(std::move(k));
      }
      return e;
    }
    if (n.is_type<g::map_lit>()) {
      if (too_deep(depth + 1, n)) return nullptr;
      auto e = make(ExprKind::Map, n);
      for (const auto& c : n.children) {
        ExprPtr k = c->is_type<g::string_lit>() ? literal(*c) : expr(*c, depth + 1);
        if (!k) return nullptr;
        e->kids.push_back(std::move(k));
      }
      return e;
    }
    return literal(n);
  }

  // ---- declarations --------------------------------------------------------------------

  // The body of the first string literal at or under `n`, escapes still in place.
  std::string raw_string(const PNode& n) {
    const PNode* s = &n;
    while (!s->is_type<g::string_lit>() && !s->children.empty()) s = s->children[0].get();
    std::string_view text = s->string_view();
    return std::string(text.substr(1, text.size() - 2));
  }
  std::string string_value(const PNode& n) { return unescape(raw_string(n)); }

  void header(const PNode& n, Policy& p) {
    Header& h = p.header;
    if (h.present) error(offset_of(n), "the policy header appears twice");
    h.present = true;
    h.offset = offset_of(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::string_lit>()) {
        std::string_view t = c->string_view();
        h.name = unescape(t.substr(1, t.size() - 2));
      } else if (c->is_type<g::header_version>()) {
        h.version = string_value(*c);
        h.version_offset = offset_of(*c);
      } else if (c->is_type<g::header_locales>()) {
        for (const auto& l : c->children) h.locales.push_back(name_of(*l));
      } else if (c->is_type<g::header_on_missing>()) {
        h.on_missing = engine::parse_outcome(word(*c->children[0]));
        h.on_missing_offset = offset_of(*c->children[0]);
      }
    }
  }

  void facts(const PNode& n, Policy& p) {
    size_t first = p.facts.size();
    for (const auto& d : n.children) {
      FactDecl f;
      f.name = {std::string(d->children[0]->string_view()), offset_of(*d->children[0])};
      for (size_t i = 1; i < d->children.size(); ++i) {
        const PNode& t = *d->children[i];
        if (t.is_type<g::optional_mark>()) {
          f.optional = true;
        } else if (t.is_type<g::personal_mark>()) {
          f.personal = true;
        } else if (t.is_type<g::element_type>()) {
          f.type = {engine::Type::List, scalar(t.string_view())};
        } else if (t.is_type<g::scalar_type>()) {
          f.type = {scalar(t.string_view()), engine::Type::Unknown};
        }
      }
      p.facts.push_back(std::move(f));
    }
    p.items.push_back(
        {Policy::ItemKind::Facts, first, p.facts.size() - first, offset_of(n), end_of(n)});
  }

  static engine::Type scalar(std::string_view s) {
    using engine::Type;
    return s == "bool"     ? Type::Bool
           : s == "int"    ? Type::Int
           : s == "number" ? Type::Number
           : s == "string" ? Type::String
           : s == "date"   ? Type::Date
                           : Type::Duration;
  }

  static uint32_t end_of(const PNode& n) {
    // The item's text ends before the whitespace and comments its last token consumed.
    std::string_view s = n.string_view();
    size_t end = s.size();
    while (true) {
      while (end > 0 && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
      // A trailing comment line: drop back to its start if a '#' begins it outside strings.
      size_t line_start = s.rfind('\n', end == 0 ? 0 : end - 1);
      line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
      std::string_view line = s.substr(line_start, end - line_start);
      size_t hash = line.find_first_not_of(" \t");
      if (end > 0 && hash != std::string_view::npos && line[hash] == '#' && line_start > 0) {
        end = line_start;
        continue;
      }
      break;
    }
    return static_cast<uint32_t>(n.m_begin.byte + end);
  }

  void let(const PNode& n, Policy& p) {
    LetDecl l;
    l.name = name_of(*n.children[0]);
    l.value = expr(*n.children[1], 0);
    if (!l.value) return;
    p.items.push_back({Policy::ItemKind::Let, p.lets.size(), 1, offset_of(n), end_of(n)});
    p.lets.push_back(std::move(l));
  }

  void message(const PNode& n, Reason& r) {
    Message m;
    m.offset = offset_of(n);
    m.locale = name_of(*n.children[0]);
    for (size_t i = 1; i < n.children.size(); ++i) {
      const PNode& field = *n.children[i];
      std::string which = word(*field.children[0]);
      MessageText* t = which == "title" ? &m.title : which == "detail" ? &m.detail : &m.action;
      if (t->present) error(offset_of(field), "message field '" + which + "' is given twice");
      t->present = true;
      t->value = raw_string(*field.children[1]);  // holes are resolved by the checker
      t->offset = offset_of(*field.children[1]);
    }
    r.messages.push_back(std::move(m));
  }

  void reason(const PNode& n, Policy& p) {
    Reason r;
    r.code = name_of(*n.children[0]);
    for (size_t i = 1; i < n.children.size(); ++i) {
      const PNode& item = *n.children[i];
      if (item.is_type<g::reason_outcome>()) {
        if (r.outcome) error(offset_of(item), "reason " + r.code.text + " has two outcomes");
        r.outcome = engine::parse_outcome(word(*item.children[0]));
        r.outcome_offset = offset_of(*item.children[0]);
      } else if (item.is_type<g::reason_when>()) {
        if (r.when) error(offset_of(item), "reason " + r.code.text + " has two 'when' clauses");
        ExprPtr e = expr(*item.children[0], 0);
        if (!e) return;
        if (!r.when) {
          r.when = std::move(e);
          r.when_offset = offset_of(item);
        }
      } else if (item.is_type<g::reason_hides>()) {
        for (const auto& h : item.children) r.hides.push_back(name_of(*h));
      } else if (item.is_type<g::reason_message>()) {
        message(item, r);
      } else if (item.is_type<g::reason_note>()) {
        r.note = string_value(item);
        r.note_offset = offset_of(item);
      }
    }
    p.items.push_back({Policy::ItemKind::Reason, p.reasons.size(), 1, offset_of(n), end_of(n)});
    p.reasons.push_back(std::move(r));
  }

  void notice(const PNode& n, Policy& p) {
    Notice notice;
    notice.offset = offset_of(n);
    notice.locale = name_of(*n.children[0]);
    for (size_t i = 1; i < n.children.size(); ++i) {
      const PNode& line = *n.children[i];
      NoticeLine l;
      l.offset = offset_of(line);
      std::string part = word(*line.children[0]);
      for (size_t k = 0; k < std::size(kNoticeParts); ++k)
        if (part == kNoticeParts[k]) l.part = static_cast<NoticePart>(k);
      if (line.children[1]->is_type<g::notice_outcome>())
        l.outcome = engine::parse_outcome(word(*line.children[1]));
      const PNode& text = *line.children.back();
      l.text = {raw_string(text), offset_of(text), true};  // holes are resolved by the checker
      notice.lines.push_back(std::move(l));
    }
    p.items.push_back({Policy::ItemKind::Notice, p.notices.size(), 1, offset_of(n), end_of(n)});
    p.notices.push_back(std::move(notice));
  }

  void policy_chunk(const PNode& root, Policy& p) {
    for (const auto& c : root.children) {
      if (c->is_type<g::header>()) {
        header(*c, p);
        p.items.push_back({Policy::ItemKind::Header, 0, 1, offset_of(*c), end_of(*c)});
      } else if (c->is_type<g::facts_block>()) {
        facts(*c, p);
      } else if (c->is_type<g::let_decl>()) {
        let(*c, p);
      } else if (c->is_type<g::reason>()) {
        reason(*c, p);
      } else if (c->is_type<g::notice>()) {
        notice(*c, p);
      }
    }
  }

  // ---- tests ---------------------------------------------------------------------------

  void given(const PNode& n, std::vector<GivenFact>& out) {
    GivenFact gf;
    gf.fact = {std::string(n.children[0]->string_view()), offset_of(*n.children[0])};
    if (!n.children[1]->is_type<g::missing_value>()) {
      gf.value = expr(*n.children[1], 0);
      if (!gf.value) return;
    }
    out.push_back(std::move(gf));
  }

  void test_chunk(const PNode& root, TestSuite& suite) {
    for (const auto& c : root.children) {
      if (c->is_type<g::fixture>()) {
        Fixture f;
        f.offset = offset_of(*c);
        f.end = end_of(*c);
        f.name = name_of(*c->children[0]);
        for (size_t i = 1; i < c->children.size(); ++i) {
          const PNode& item = *c->children[i];
          if (item.is_type<g::extends_clause>())
            f.extends = name_of(*item.children[0]);
          else
            given(item, f.given);
        }
        suite.items.push_back({true, suite.fixtures.size()});
        suite.fixtures.push_back(std::move(f));
        continue;
      }
      TestCase t;
      t.offset = offset_of(*c);
      t.end = end_of(*c);
      t.name = string_value(*c);
      for (size_t i = 0; i < c->children.size(); ++i) {
        const PNode& item = *c->children[i];
        if (item.is_type<g::string_lit>()) continue;
        if (item.is_type<g::extends_clause>()) {
          t.extends = name_of(*item.children[0]);
        } else if (item.is_type<g::given_fact>()) {
          given(item, t.given);
        } else if (item.is_type<g::expect_outcome>()) {
          t.expect = engine::parse_outcome(word(*item.children[0]));
          t.expect_offset = offset_of(item);
          if (item.children.size() > 1) {
            t.expect_codes = true;
            for (const auto& k : item.children[1]->children) t.codes.push_back(name_of(*k));
          }
        } else if (item.is_type<g::expect_undetermined>()) {
          t.expect_undetermined = true;
          t.undetermined_offset = offset_of(item);
          for (const auto& k : item.children[0]->children) t.undetermined.push_back(name_of(*k));
        }
      }
      suite.items.push_back({false, suite.cases.size()});
      suite.cases.push_back(std::move(t));
    }
  }
};

// Offsets where a line starts with one of `keywords` in column 1: each starts a chunk that
// is parsed on its own.
// An editor may save a byte-order mark before the first line: it is no part of the text.
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

std::vector<size_t> chunk_starts(std::string_view text,
                                 std::initializer_list<std::string_view> keywords) {
  size_t first = text.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;
  std::vector<size_t> starts{first};
  for (size_t pos = first; pos < text.size();) {
    for (auto k : keywords) {
      if (text.substr(pos).starts_with(k)) {
        size_t after = pos + k.size();
        if (after < text.size() &&
            (std::isalnum(static_cast<unsigned char>(text[after])) || text[after] == '_'))
          continue;
        if (pos != first) starts.push_back(pos);
        break;
      }
    }
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return starts;
}

// A character pasted from a word processor or a web page that looks like one the language
// uses, or like nothing: named, with what to type instead. The parser's own message alone
// ("expected '}' or a reason item") pointed at text that looked right.
std::string lookalike_hint(std::string_view text, size_t offset) {
  size_t i = offset;
  if (i >= text.size()) return "";
  switch (common::next_code_point(text, i)) {
    case 0x00A0:
      return " (here is a no-break space, U+00A0: type a plain space)";
    case 0x3000:
      return " (here is an ideographic space, U+3000: type a plain space)";
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
      return " (here is an invisible zero-width character: delete it)";
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x00AB:
    case 0x00BB:
      return " (here is a typographic quote: write strings between straight quotes \")";
    case 0x2018:
    case 0x2019:
      return " (here is a typographic apostrophe: write strings between straight quotes \")";
    case 0x2013:
    case 0x2014:
    case 0x2212:
      return " (here is a typographic dash: type '-')";
    default:
      return "";
  }
}

// `30 Days`, `30d`, `0.5 days`: a duration written another way than the language's, said
// with how to write it (the parser's message named only what it expected next).
std::string duration_hint(std::string_view text, size_t offset) {
  auto digit = [](char c) { return (c >= '0' && c <= '9') || c == '.'; };
  auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  static const std::string kHow =
      " (a duration is a whole number, a space and its unit in lower case: 30 days, 2 weeks, 6 "
      "months, 18 years)";
  size_t i = offset;
  while (i < text.size() && digit(text[i])) ++i;
  if (i > offset && i < text.size() && letter(text[i])) return kHow;  // 30d
  if (i != offset || offset == 0 || !letter(text[offset])) return "";
  size_t before = offset;
  while (before > 0 && text[before - 1] == ' ') --before;
  if (before == offset || before == 0 || !digit(text[before - 1])) return "";
  size_t start = before;
  while (start > 0 && digit(text[start - 1])) --start;
  return text.substr(start, before - start).find('.') != std::string_view::npos
             ? " (a duration counts whole units: whole days, weeks, months or years)"
             : kHow;
}

template <typename ChunkRule, typename Fn>
void parse_chunks(const SourceFile& file, Diagnostics& diags, const ParseOptions& options,
                  std::initializer_list<std::string_view> keywords, Fn&& on_tree) {
  const std::string& text = file.text();
  if (text.size() > options.max_source_bytes) {
    diags.error({1, 1}, "file is over " + std::to_string(options.max_source_bytes) + " bytes");
    return;
  }
  auto starts = chunk_starts(text, keywords);
  for (size_t i = 0; i < starts.size(); ++i) {
    size_t begin = starts[i];
    size_t end = i + 1 < starts.size() ? starts[i + 1] : text.size();
    Location at = file.locate(begin);
    pegtl::memory_input in(text.data() + begin, text.data() + end, file.name(), begin, at.line,
                           at.column);
    try {
      auto root = pegtl::parse_tree::parse<ChunkRule, selector, depth_action, g::control>(in);
      if (root) on_tree(*root);
    } catch (const pegtl::parse_error& e) {
      size_t offset = e.positions().empty() ? begin : e.positions().front().byte;
      std::string message(e.message());
      if (message.find("nesting depth") != std::string::npos)
        message = "expression nested too deeply";
      std::string hint = lookalike_hint(text, offset);
      diags.error(file.locate(offset),
                  message + (hint.empty() ? duration_hint(text, offset) : hint));
    }
  }
}

}  // namespace

std::string unescape(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size()) {
      char c = body[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
    } else {
      out += body[i];
    }
  }
  return out;
}

static std::vector<Comment> scan_comments(const std::string& text);

Policy parse_policy(const SourceFile& file, Diagnostics& diags, const ParseOptions& options) {
  Policy policy;
  Builder b{file, diags, options};
  parse_chunks<g::policy_chunk>(file, diags, options,
                                {"policy", "facts", "let", "reason", "notice"},
                                [&](const PNode& root) { b.policy_chunk(root, policy); });
  policy.comments = scan_comments(file.text());
  return policy;
}

// Comments, for the formatter: '#' outside strings to the end of the line.
static std::vector<Comment> scan_comments(const std::string& t) {
  std::vector<Comment> comments;
  bool in_string = false;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"' || c == '\n')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '#') {
      size_t end = t.find('\n', i);
      if (end == std::string::npos) end = t.size();
      std::string text = t.substr(i, end - i);
      while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
      comments.push_back({static_cast<uint32_t>(i), text});
      i = end;
    }
  }
  return comments;
}

TestSuite parse_tests(const SourceFile& file, Diagnostics& diags, const ParseOptions& options) {
  TestSuite suite;
  Builder b{file, diags, options};
  parse_chunks<g::test_chunk>(file, diags, options, {"fixture", "case"},
                              [&](const PNode& root) { b.test_chunk(root, suite); });
  suite.comments = scan_comments(file.text());
  return suite;
}

}  // namespace kyc::dsl
