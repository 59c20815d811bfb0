#include "dsl/file_constants.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "common/sha256.h"
#include "common/utf8.h"
#include "dsl/expr_printer.h"

namespace kyc::dsl {

namespace {

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// One line of a file with its 1-based number; blank lines and whole-line `#` comments are
// skipped (an entry may itself hold a '#', so a comment is a line of its own: see
// Loader::trailing_comment).
struct Line {
  std::string_view text;
  size_t number;
};
std::vector<Line> content_lines(std::string_view content) {
  // A spreadsheet's "CSV UTF-8" starts with a byte-order mark; it is no part of the header.
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  std::vector<Line> out;
  size_t number = 0;
  while (!content.empty()) {
    size_t end = content.find('\n');
    std::string_view line = trim(content.substr(0, end));
    ++number;
    if (!line.empty() && line.front() != '#') out.push_back({line, number});
    if (end == std::string_view::npos) break;
    content.remove_prefix(end + 1);
  }
  return out;
}

// The fields of one CSV line: comma-separated, a field in double quotes may hold commas and
// "" for a quote. Empty optional when the quotes do not close.
std::optional<std::vector<std::string>> csv_fields(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"' && trim(fields.back()).empty()) {
      fields.back().clear();
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) return std::nullopt;
  for (auto& f : fields) f = std::string(trim(f));
  return fields;
}

class Loader {
 public:
  Loader(const SourceFile& file, const PolicyFileReader& reader, const ParseOptions& options,
         Diagnostics& diags, std::vector<PolicyFile>& files)
      : file_(file), reader_(reader), options_(options), diags_(diags), files_(files) {}

  // A let's whole value may be a list(...) or table(...): read it in place.
  void constant(Expr& e) {
    if (e.kind == ExprKind::Call && (e.text == "list" || e.text == "table")) {
      for (auto& k : e.kids) misplaced(*k);
      e.text == "list" ? list(e) : table(e);
      return;
    }
    misplaced(e);
  }

  // Anywhere else a file call is an error: reading a file per decision is not what it does.
  void misplaced(const Expr& e) {
    if (e.kind == ExprKind::Call && (e.text == "list" || e.text == "table"))
      error(e.offset, e.text + "(...) reads a file when the policy loads: use it as a "
                               "constant's whole value, e.g. let NAME = " + e.text +
                          (e.text == "list" ? "(\"lists/names.txt\")" : "(\"lists/limits.csv\", int)"));
    for (const auto& k : e.kids) misplaced(*k);
  }

 private:
  void error(uint32_t offset, std::string message) {
    diags_.error(file_.locate(offset), std::move(message));
  }

  // The file named by the call's first argument, or null after reporting why not.
  const PolicyFile* read(const Expr& call) {
    const Expr& arg = *call.kids[0];
    std::string why = check_policy_file_path(arg.str);
    if (!why.empty()) {
      error(arg.offset, why);
      return nullptr;
    }
    for (const auto& f : files_)
      if (f.path == arg.str) return &f;
    if (files_.size() >= options_.max_policy_files) {
      error(call.offset, "a policy may load at most " + std::to_string(options_.max_policy_files) +
                             " files");
      return nullptr;
    }
    auto content = reader_.read(arg.str, options_.max_file_bytes);
    if (!content) {
      error(arg.offset, arg.str + ": " + content.error().message);
      return nullptr;
    }
    if (content->find('\0') != std::string::npos) {
      error(arg.offset, arg.str + ": holds a NUL byte; a list or table is a text file");
      return nullptr;
    }
    // Its entries reach decisions and records as the policy's own text does.
    if (size_t at = common::first_non_utf8(*content); at != std::string::npos) {
      size_t line = 1 + static_cast<size_t>(std::count(content->begin(), content->begin() + at, '\n'));
      error(arg.offset, arg.str + ":" + std::to_string(line) +
                            ": a byte that is not UTF-8 text; save the file as UTF-8");
      return nullptr;
    }
    std::string sha = common::sha256_hex(*content);
    files_.push_back({arg.str, std::move(sha), std::move(*content)});
    return &files_.back();
  }

  // `IRN  # Iran` in a list of sanctioned issuers was the entry "IRN  # Iran": no document
  // matched it, and an Iranian passport was approved without a word. A '#' after a space in
  // an entry is now refused (false) where the file comes from the policy's folder; an entry
  // may still hold a '#' of its own ("A#1"). In the copies kept with past decisions it is read
  // as it was then, with a warning, so that replay reproduces them.
  bool trailing_comment(const Expr& call, const PolicyFile& f, const Line& line) {
    size_t hash = line.text.find('#');
    while (hash != std::string_view::npos && line.text[hash - 1] != ' ' &&
           line.text[hash - 1] != '\t')
      hash = line.text.find('#', hash + 1);
    if (hash == std::string_view::npos) return true;
    std::string entry(trim(line.text.substr(0, hash)));
    std::string message = f.path + ":" + std::to_string(line.number) + ": \"" +
                          std::string(line.text) + "\" would be one entry, comment and all: a " +
                          "comment goes on a line of its own (write \"" + entry + "\" and put \"" +
                          std::string(line.text.substr(hash)) + "\" on the line above)";
    if (reader_.recorded()) {
      diags_.warning(file_.locate(call.offset), std::move(message));
      return true;
    }
    error(call.offset, std::move(message));
    return false;
  }

  bool too_many(const Expr& call, const PolicyFile& f, size_t entries) {
    if (entries <= options_.max_file_entries) return false;
    error(call.offset, f.path + ": more than " + std::to_string(options_.max_file_entries) +
                           " entries");
    return true;
  }

  // Replaces the call by its content, keeping the call's text to print.
  void become(Expr& e, ExprKind kind, std::vector<ExprPtr> kids) {
    e.text = print_expr(e);
    e.kind = kind;
    e.from_file = true;
    e.kids = std::move(kids);
  }

  ExprPtr literal(ExprKind kind, uint32_t offset) {
    auto k = std::make_unique<Expr>();
    k->kind = kind;
    k->offset = offset;
    return k;
  }

  void list(Expr& e) {
    if (e.kids.size() != 1 || e.kids[0]->kind != ExprKind::String) {
      error(e.offset, "list takes the file's path as one string: list(\"lists/names.txt\")");
      return;
    }
    const PolicyFile* f = read(e);
    if (!f) return;
    auto lines = content_lines(f->content);
    if (too_many(e, *f, lines.size())) return;
    if (lines.empty())
      diags_.warning(file_.locate(e.offset),
                     f->path +
                         " has no entry (only blank lines and comments): `in` it is never "
                         "true");
    for (const auto& line : lines)
      if (!trailing_comment(e, *f, line)) return;
    std::vector<ExprPtr> items;
    for (const auto& line : lines) {
      auto k = literal(ExprKind::String, e.offset);
      k->str = std::string(line.text);
      items.push_back(std::move(k));
    }
    become(e, ExprKind::List, std::move(items));
  }

  void table(Expr& e) {
    static const std::set<std::string> kTypes = {"int", "number", "string", "bool"};
    if (e.kids.size() != 2 || e.kids[0]->kind != ExprKind::String ||
        e.kids[1]->kind != ExprKind::Name || !kTypes.count(e.kids[1]->text)) {
      error(e.offset,
            "table takes the file's path and the values' type (int, number, string or bool): "
            "table(\"lists/limits.csv\", int)");
      return;
    }
    std::string type = e.kids[1]->text;
    const PolicyFile* f = read(e);
    if (!f) return;
    auto lines = content_lines(f->content);
    auto at = [&](size_t line) { return f->path + ":" + std::to_string(line) + ": "; };
    if (lines.empty() || csv_fields(lines[0].text) != std::vector<std::string>{"key", "value"}) {
      error(e.offset, at(lines.empty() ? 1 : lines[0].number) +
                          "the first line must be the header key,value");
      return;
    }
    if (too_many(e, *f, lines.size() - 1)) return;
    std::vector<ExprPtr> kids;
    std::map<std::string, size_t> seen;  // key -> its line
    for (size_t i = 1; i < lines.size(); ++i) {
      const Line& line = lines[i];
      if (!trailing_comment(e, *f, line)) return;
      auto fields = csv_fields(line.text);
      if (!fields || fields->size() != 2) {
        error(e.offset, at(line.number) + (fields ? "expected key,value (2 fields), found " +
                                                        std::to_string(fields->size())
                                                  : "a quote does not close"));
        return;
      }
      const std::string& key = (*fields)[0];
      if (key.empty()) {
        error(e.offset, at(line.number) + "the key is empty");
        return;
      }
      if (auto [it, fresh] = seen.emplace(key, line.number); !fresh) {
        error(e.offset, at(line.number) + "the key \"" + key + "\" is already on line " +
                            std::to_string(it->second));
        return;
      }
      auto k = literal(ExprKind::String, e.offset);
      k->str = key;
      k->text = "\"" + key + "\"";
      auto v = value(type, (*fields)[1], e.offset);
      if (!v) {
        error(e.offset, at(line.number) + "\"" + (*fields)[1] + "\" is not " +
                            (type == "int" ? "an int" : "a " + type));
        return;
      }
      kids.push_back(std::move(k));
      kids.push_back(std::move(v));
    }
    become(e, ExprKind::Map, std::move(kids));
  }

  ExprPtr value(const std::string& type, const std::string& text, uint32_t offset) {
    const char* end = text.data() + text.size();
    if (type == "string") {
      auto v = literal(ExprKind::String, offset);
      v->str = text;
      return v;
    }
    if (type == "bool") {
      if (text != "true" && text != "false") return nullptr;
      auto v = literal(ExprKind::Bool, offset);
      v->int_value = text == "true";
      return v;
    }
    if (type == "int") {
      auto v = literal(ExprKind::Int, offset);
      auto r = std::from_chars(text.data(), end, v->int_value);
      if (text.empty() || r.ec != std::errc() || r.ptr != end) return nullptr;
      return v;
    }
    auto v = literal(ExprKind::Number, offset);
    auto r = std::from_chars(text.data(), end, v->number_value);
    if (text.empty() || r.ec != std::errc() || r.ptr != end || v->number_value != v->number_value ||
        v->number_value - v->number_value != 0)  // NaN and infinities are not amounts
      return nullptr;
    return v;
  }

  const SourceFile& file_;
  const PolicyFileReader& reader_;
  const ParseOptions& options_;
  Diagnostics& diags_;
  std::vector<PolicyFile>& files_;
};

}  // namespace

void load_file_constants(Policy& policy, const SourceFile& file, const PolicyFileReader& reader,
                         const ParseOptions& options, Diagnostics& diags,
                         std::vector<PolicyFile>& files) {
  Loader loader(file, reader, options, diags, files);
  for (auto& l : policy.lets)
    if (l.value) loader.constant(*l.value);
  for (const auto& r : policy.reasons)
    if (r.when) loader.misplaced(*r.when);
}

}  // namespace kyc::dsl
