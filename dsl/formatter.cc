#include "dsl/formatter.h"

#include <algorithm>
#include <functional>

#include "dsl/expr_printer.h"

namespace kyc::dsl {

namespace {

// One output line and the source offset it stands for; comments are merged in by offset.
struct Line {
  uint32_t anchor;
  int indent;
  std::string text;
  bool blank_before = false;
};

std::string quoted(const std::string& raw) { return "\"" + raw + "\""; }

// Re-escapes an unescaped string value for output.
std::string escaped(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\t') {
      out += "\\t";
      continue;
    }
    out += c;
  }
  return out;
}

const char* outcome_word(engine::Outcome o) {
  switch (o) {
    case engine::Outcome::Approve:
      return "approve";
    case engine::Outcome::Resubmit:
      return "resubmit";
    case engine::Outcome::Review:
      return "review";
    case engine::Outcome::Reject:
      return "reject";
  }
  return "review";
}

std::string type_text(const FactDecl& f) {
  std::string t = engine::type_name(f.type);
  if (f.optional) t += "?";
  return f.personal ? t + " personal" : t;
}

// Output lines anchored at source offsets, and the comments merged back in by offset: shared
// by the policy and the test-file layouts.
class Lines {
 public:
  Lines(const SourceFile& f, const std::vector<Comment>& comments)
      : file_(f), comments_(comments) {}

 protected:
  void add(uint32_t anchor, int indent, std::string text) {
    lines_.push_back({anchor, indent, std::move(text)});
  }

  bool is_trailing(const Comment& c) const {
    Location at = file_.locate(c.offset);
    std::string_view line = file_.line_text(at.line);
    return line.substr(0, c.offset - file_.line_start(at.line)).find_first_not_of(" \t") !=
           std::string_view::npos;
  }

  bool blank_line_before(uint32_t offset) const {
    uint32_t line = file_.locate(offset).line;
    return line > 1 &&
           file_.line_text(line - 1).find_first_not_of(" \t\r") == std::string_view::npos;
  }
  static void blank(std::string& out) {
    if (!out.empty() && !out.ends_with("\n\n")) out += '\n';
  }

  std::string merge_comments() {
    std::string out;
    size_t next = 0;
    const auto& comments = comments_;
    auto pad = [](int indent) { return std::string(static_cast<size_t>(indent) * 2, ' '); };
    for (size_t i = 0; i < lines_.size(); ++i) {
      const Line& line = lines_[i];
      if (line.blank_before) out += '\n';
      // Comments just before a closing brace belong inside the block.
      int comment_indent = line.text == "}" ? line.indent + 1 : line.indent;
      bool commented = false;
      while (next < comments.size() && comments[next].offset < line.anchor) {
        // A blank line that sets a comment apart in the source stays (one at most).
        if (blank_line_before(comments[next].offset)) blank(out);
        out += pad(comment_indent) + comments[next].text + "\n";
        commented = true;
        ++next;
      }
      if (commented && blank_line_before(line.anchor)) blank(out);
      out += pad(line.indent) + line.text;
      uint32_t limit = i + 1 < lines_.size() ? lines_[i + 1].anchor : UINT32_MAX;
      while (next < comments.size() && comments[next].offset < limit &&
             is_trailing(comments[next]) &&
             file_.locate(comments[next].offset).line == file_.locate(line.anchor).line) {
        out += "  " + comments[next].text;
        ++next;
      }
      out += '\n';
    }
    if (next < comments.size() && !lines_.empty()) out += '\n';
    for (; next < comments.size(); ++next) out += comments[next].text + "\n";
    return out;
  }

  const SourceFile& file_;
  const std::vector<Comment>& comments_;
  std::vector<Line> lines_;
};

class Formatter : Lines {
 public:
  Formatter(const Policy& p, const SourceFile& f, const FormatOptions& o)
      : Lines(f, p.comments), p_(p), options_(o) {}

  std::string run() {
    bool first = true;
    for (const auto& item : p_.items) {
      size_t before = lines_.size();
      switch (item.kind) {
        case Policy::ItemKind::Header:
          header(item);
          break;
        case Policy::ItemKind::Facts:
          facts(item);
          break;
        case Policy::ItemKind::Let:
          let(item);
          break;
        case Policy::ItemKind::Reason:
          reason(item);
          break;
        case Policy::ItemKind::Notice:
          notice(item);
          break;
      }
      // Consecutive `let`s stay together; every other item is set apart by a blank line.
      bool grouped = item.kind == Policy::ItemKind::Let && previous_ == Policy::ItemKind::Let;
      if (!first && !grouped && before < lines_.size()) lines_[before].blank_before = true;
      previous_ = item.kind;
      first = false;
    }
    return merge_comments();
  }

 private:
  void header(const Policy::Item& item) {
    const Header& h = p_.header;
    add(item.offset, 0, "policy " + quoted(escaped(h.name)) + " {");
    std::vector<Line> body;
    if (h.version) body.push_back({h.version_offset, 1, "version " + quoted(escaped(*h.version))});
    if (!h.locales.empty()) {
      std::string s = "locales ";
      for (size_t i = 0; i < h.locales.size(); ++i) s += (i ? ", " : "") + h.locales[i].text;
      body.push_back({h.locales[0].offset, 1, s});
    }
    if (h.on_missing)
      body.push_back(
          {h.on_missing_offset, 1, std::string("on missing ") + outcome_word(*h.on_missing)});
    std::sort(body.begin(), body.end(),
              [](const Line& a, const Line& b) { return a.anchor < b.anchor; });
    lines_.insert(lines_.end(), body.begin(), body.end());
    add(item.end - 1, 0, "}");
  }

  void facts(const Policy::Item& item) {
    add(item.offset, 0, "facts {");
    size_t width = 0;
    for (size_t i = item.index; i < item.index + item.count; ++i)
      width = std::max(width, p_.facts[i].name.text.size());
    for (size_t i = item.index; i < item.index + item.count; ++i) {
      const FactDecl& f = p_.facts[i];
      std::string name = f.name.text;
      name.resize(width, ' ');
      add(f.name.offset, 1, name + " : " + type_text(f));
    }
    add(item.end - 1, 0, "}");
  }

  void let(const Policy::Item& item) {
    const LetDecl& l = p_.lets[item.index];
    add(item.offset, 0, "let " + l.name.text + " = " + print_expr(*l.value));
  }

  void when(const Expr& e, uint32_t anchor) {
    std::string one_line = "when " + print_expr(e);
    bool nary =
        e.kind == ExprKind::Binary && (e.binary == BinaryOp::And || e.binary == BinaryOp::Or);
    if (one_line.size() + 2 <= options_.line_width || !nary) {
      add(anchor, 1, one_line);
      return;
    }
    // Break before each top-level operator; operands keep their own brackets.
    const char* op = e.binary == BinaryOp::And ? "and " : "or ";
    for (size_t i = 0; i < e.kids.size(); ++i) {
      std::string text = print_expr(*e.kids[i]);
      bool needs_parens = e.kids[i]->kind == ExprKind::Binary &&
                          (e.kids[i]->binary == BinaryOp::Or ||
                           (e.kids[i]->binary == BinaryOp::And && e.binary == BinaryOp::And));
      if (needs_parens) text = "(" + text + ")";
      add(e.kids[i]->offset, i == 0 ? 1 : 2, (i == 0 ? "when " : op) + text);
    }
  }

  void reason(const Policy::Item& item) {
    const Reason& r = p_.reasons[item.index];
    add(item.offset, 0, "reason " + r.code.text + " {");
    // Items keep their source order so comments stay beside what they describe.
    struct Part {
      uint32_t anchor;
      std::function<void()> emit;
    };
    std::vector<Part> parts;
    if (r.outcome)
      parts.push_back(
          {r.outcome_offset,
           [&] { add(r.outcome_offset, 1, std::string("outcome ") + outcome_word(*r.outcome)); }});
    if (r.when) parts.push_back({r.when->offset, [&] { when(*r.when, r.when->offset); }});
    if (!r.hides.empty())
      parts.push_back({r.hides[0].offset, [&] {
                         std::string s = "hides ";
                         for (size_t i = 0; i < r.hides.size(); ++i)
                           s += (i ? ", " : "") + r.hides[i].text;
                         add(r.hides[0].offset, 1, s);
                       }});
    if (r.note)
      parts.push_back(
          {r.note_offset, [&] { add(r.note_offset, 1, "note " + quoted(escaped(*r.note))); }});
    for (const auto& m : r.messages) parts.push_back({m.offset, [&] { message(m); }});
    std::sort(parts.begin(), parts.end(),
              [](const Part& a, const Part& b) { return a.anchor < b.anchor; });
    for (auto& p : parts) p.emit();
    add(item.end - 1, 0, "}");
  }

  void message(const Message& m) {
    add(m.offset, 1, "message " + m.locale.text + " {");
    std::vector<std::pair<const char*, const MessageText*>> fields = {
        {"title ", &m.title}, {"detail", &m.detail}, {"action", &m.action}};
    std::sort(fields.begin(), fields.end(),
              [](const auto& a, const auto& b) { return a.second->offset < b.second->offset; });
    uint32_t last = m.offset;
    for (const auto& [name, text] : fields) {
      if (!text->present) continue;
      add(text->offset, 2, std::string(name) + " " + quoted(text->value));
      last = std::max(last, text->offset);
    }
    // The closing brace stands just after the last field's line.
    size_t eol = file_.text().find('\n', last);
    add(static_cast<uint32_t>(eol == std::string::npos ? file_.text().size() : eol), 1, "}");
  }

  // Texts keep their source order (comments stay beside them); the part and the outcome are
  // padded so that the texts of a block start in one column.
  void notice(const Policy::Item& item) {
    const Notice& n = p_.notices[item.index];
    add(item.offset, 0, "notice " + n.locale.text + " {");
    for (const auto& line : n.lines) {
      std::string text = kNoticeParts[static_cast<size_t>(line.part)];
      text.resize(8, ' ');  // "greeting", the longest part
      if (line.outcome) {
        std::string outcome = outcome_word(*line.outcome);
        outcome.resize(8, ' ');  // "resubmit", the longest outcome
        text += " " + outcome;
      }
      add(line.offset, 1, text + " " + quoted(line.text.value));
    }
    add(item.end - 1, 0, "}");
  }

  const Policy& p_;
  const FormatOptions& options_;
  Policy::ItemKind previous_ = Policy::ItemKind::Header;
};

// A test file: fixtures and cases apart by a blank line, their items in source order.
class TestFormatter : Lines {
 public:
  TestFormatter(const TestSuite& s, const SourceFile& f) : Lines(f, s.comments), s_(s) {}

  std::string run() {
    for (size_t i = 0; i < s_.items.size(); ++i) {
      size_t before = lines_.size();
      const auto& item = s_.items[i];
      item.fixture ? fixture(s_.fixtures[item.index]) : test_case(s_.cases[item.index]);
      if (i > 0 && before < lines_.size()) lines_[before].blank_before = true;
    }
    return merge_comments();
  }

 private:
  static std::string extends(const std::optional<Name>& base) {
    return base ? " extends " + base->text : "";
  }
  static std::string codes(const std::vector<Name>& codes) {
    std::string out = "[";
    for (size_t i = 0; i < codes.size(); ++i) out += (i ? ", " : "") + codes[i].text;
    return out + "]";
  }
  void given(const GivenFact& g) {
    add(g.fact.offset, 1, g.fact.text + " = " + (g.value ? print_expr(*g.value) : "missing"));
  }

  void fixture(const Fixture& f) {
    add(f.offset, 0, "fixture " + f.name.text + extends(f.extends) + " {");
    for (const auto& g : f.given) given(g);
    add(f.end - 1, 0, "}");
  }

  void test_case(const TestCase& t) {
    add(t.offset, 0, "case " + quoted(escaped(t.name)) + extends(t.extends) + " {");
    struct Part {
      uint32_t anchor;
      std::function<void()> emit;
    };
    std::vector<Part> parts;
    for (const auto& g : t.given) parts.push_back({g.fact.offset, [&] { given(g); }});
    if (t.expect)
      parts.push_back({t.expect_offset, [&] {
                         add(t.expect_offset, 1,
                             std::string("expect ") + outcome_word(*t.expect) +
                                 (t.expect_codes ? " " + codes(t.codes) : ""));
                       }});
    if (t.expect_undetermined)
      parts.push_back({t.undetermined_offset, [&] {
                         add(t.undetermined_offset, 1, "undetermined " + codes(t.undetermined));
                       }});
    std::sort(parts.begin(), parts.end(),
              [](const Part& a, const Part& b) { return a.anchor < b.anchor; });
    for (auto& p : parts) p.emit();
    add(t.end - 1, 0, "}");
  }

  const TestSuite& s_;
};

}  // namespace

std::string format_tests(const TestSuite& suite, const SourceFile& file) {
  return TestFormatter(suite, file).run();
}

std::string format_policy(const Policy& policy, const SourceFile& file,
                          const FormatOptions& options) {
  return Formatter(policy, file, options).run();
}

}  // namespace kyc::dsl
