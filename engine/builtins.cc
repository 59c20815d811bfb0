#include "engine/builtins.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "common/civil_date.h"
#include "common/edit_distance.h"
#include "common/utf8.h"

namespace kyc::engine {

namespace {

constexpr std::array kBuiltins = {
    BuiltinInfo{Builtin::Lower, "lower", "lower(string) -> string"},
    BuiltinInfo{Builtin::Upper, "upper", "upper(string) -> string"},
    BuiltinInfo{Builtin::Len, "len", "len(string | list) -> int"},
    BuiltinInfo{Builtin::StartsWith, "starts_with", "starts_with(string, string) -> bool"},
    BuiltinInfo{Builtin::EndsWith, "ends_with", "ends_with(string, string) -> bool"},
    BuiltinInfo{Builtin::Contains, "contains", "contains(string, string) -> bool"},
    BuiltinInfo{Builtin::DaysBetween, "days_between", "days_between(date, date) -> int"},
    BuiltinInfo{Builtin::Age, "age", "age(birth date, on date) -> int (whole years)"},
    BuiltinInfo{Builtin::Year, "year", "year(date) -> int"},
    BuiltinInfo{Builtin::Month, "month", "month(date) -> int (1-12)"},
    BuiltinInfo{Builtin::Day, "day", "day(date) -> int (1-31)"},
    BuiltinInfo{Builtin::NormalizeName, "normalize_name", "normalize_name(string) -> string"},
    BuiltinInfo{Builtin::NameSimilarity, "name_similarity",
                "name_similarity(string, string) -> number"},
    BuiltinInfo{Builtin::Abs, "abs", "abs(int | number) -> int | number"},
    BuiltinInfo{Builtin::Lookup, "lookup",
                "lookup(table, string key, default) -> the key's value, or default"},
    BuiltinInfo{Builtin::Matches, "matches",
                "matches(string, \"pattern\") -> bool (the whole string matches the RE2 pattern)"},
};

TypeRef scalar(Type t) { return TypeRef{t, Type::Unknown}; }

// Transliteration of the Latin-1 supplement and Latin Extended-A letters that occur in names
// (ICAO 9303 Part 3, section 6, "transliteration of multinational characters").
struct Transliteration {
  std::u32string_view letters;
  const char* latin;
};
constexpr Transliteration kTransliterations[] = {
    {U"ÀÁÂÃĀĂĄàáâãāăą", "A"},
    {U"ÄäÆæ", "AE"},
    {U"Åå", "AA"},
    {U"ÇçĆćČč", "C"},
    {U"ÐðĐđĎď", "D"},
    {U"ÈÉÊËĒĖĘĚèéêëēėęě", "E"},
    {U"ĞğĢģ", "G"},
    {U"ÌÍÎÏĪĮİìíîïīįı", "I"},
    {U"Ķķ", "K"},
    {U"ĹĺĻļĽľŁł", "L"},
    {U"ÑñŃńŅņŇň", "N"},
    {U"ÒÓÔÕŌŐòóôõōő", "O"},
    {U"ÖöØøŒœ", "OE"},
    {U"ŔŕŘř", "R"},
    {U"ŚśŞşŠš", "S"},
    {U"ß", "SS"},
    {U"ŢţŤť", "T"},
    {U"Þþ", "TH"},
    {U"ÙÚÛŪŮŰŲùúûūůűų", "U"},
    {U"Üü", "UE"},
    {U"ÝýÿŸ", "Y"},
    {U"ŹźŻżŽž", "Z"},
};

const char* transliterate(char32_t c) {
  if (c < 0xC0) return nullptr;
  for (const auto& t : kTransliterations)
    if (t.letters.find(c) != std::u32string_view::npos) return t.latin;
  return nullptr;
}

// Decodes one UTF-8 sequence; a byte that begins none comes back as itself (a value under
// 0x100), so that nothing is lost silently.
char32_t next_code_point(std::string_view s, size_t& i) {
  char32_t c = common::next_code_point(s, i);
  return c == common::kNotUtf8 ? static_cast<unsigned char>(s[i - 1]) : c;
}

// Splits on spaces into views of `normalized`, reusing `out`'s capacity.
void split_tokens(std::string_view normalized, std::vector<std::string_view>& out) {
  out.clear();
  size_t i = 0;
  while (i < normalized.size()) {
    size_t j = normalized.find(' ', i);
    if (j == std::string_view::npos) j = normalized.size();
    if (j > i) out.push_back(normalized.substr(i, j - i));
    i = j + 1;
  }
}

// Levenshtein similarity of two tokens: 1 - distance / longer length.
double token_similarity(std::string_view a, std::string_view b) {
  if (a == b) return 1.0;
  thread_local std::vector<size_t> row;  // reused: no allocation once warm
  size_t distance = common::edit_distance(a, b, row);
  double longer = static_cast<double>(std::max(a.size(), b.size()));
  return longer == 0 ? 1.0 : 1.0 - static_cast<double>(distance) / longer;
}

}  // namespace

std::optional<BuiltinInfo> find_builtin(std::string_view name) {
  for (const auto& b : kBuiltins)
    if (b.name == name) return b;
  return std::nullopt;
}

std::vector<BuiltinInfo> all_builtins() { return {kBuiltins.begin(), kBuiltins.end()}; }

SignatureCheck check_signature(Builtin fn, const std::vector<TypeRef>& args) {
  auto info = *std::find_if(kBuiltins.begin(), kBuiltins.end(),
                            [&](const BuiltinInfo& b) { return b.id == fn; });
  auto want = [&](std::initializer_list<Type> params, Type result) -> SignatureCheck {
    if (args.size() != params.size())
      return {{},
              std::string(info.name) + " takes " + std::to_string(params.size()) +
                  " argument(s), got " + std::to_string(args.size()) + " (" +
                  std::string(info.doc) + ")"};
    size_t k = 0;
    for (Type p : params) {
      const TypeRef& a = args[k++];
      bool ok =
          a.kind == Type::Unknown || a.kind == p || (p == Type::Number && a.kind == Type::Int);
      if (!ok)
        return {{},
                "argument " + std::to_string(k) + " of " + std::string(info.name) + " must be " +
                    type_name(p) + ", not " + type_name(a) + " (" + std::string(info.doc) + ")"};
    }
    return {scalar(result), ""};
  };
  switch (fn) {
    case Builtin::Lower:
    case Builtin::Upper:
    case Builtin::NormalizeName:
      return want({Type::String}, Type::String);
    case Builtin::StartsWith:
    case Builtin::EndsWith:
    case Builtin::Contains:
      return want({Type::String, Type::String}, Type::Bool);
    case Builtin::DaysBetween:
    case Builtin::Age:
      return want({Type::Date, Type::Date}, Type::Int);
    case Builtin::Year:
    case Builtin::Month:
    case Builtin::Day:
      return want({Type::Date}, Type::Int);
    case Builtin::NameSimilarity:
      return want({Type::String, Type::String}, Type::Number);
    case Builtin::Matches:
      return want({Type::String, Type::String}, Type::Bool);
    case Builtin::Lookup: {
      if (args.size() != 3)
        return {{}, "lookup takes 3 arguments, got " + std::to_string(args.size()) + " (" +
                        std::string(info.doc) + ")"};
      const TypeRef& table = args[0];
      if (table.kind != Type::Map && table.kind != Type::Unknown)
        return {{}, "argument 1 of lookup must be a table (table(\"file.csv\", int) or "
                    "{\"key\": value}), not " + type_name(table)};
      if (args[1].kind != Type::String && args[1].kind != Type::Unknown)
        return {{}, "argument 2 of lookup must be string (the key), not " + type_name(args[1])};
      TypeRef value = scalar(table.kind == Type::Map ? table.element : Type::Unknown);
      const TypeRef& fallback = args[2];
      if (value.kind == Type::Unknown) return {fallback, ""};
      if (fallback.kind == Type::Unknown) return {value, ""};
      if (value.is_numeric() && fallback.is_numeric())
        return {scalar(value.kind == Type::Int && fallback.kind == Type::Int ? Type::Int
                                                                             : Type::Number),
                ""};
      if (fallback != value)
        return {{}, "the default of lookup must have the table's value type, " +
                        type_name(value) + ", not " + type_name(fallback)};
      return {value, ""};
    }
    case Builtin::Len:
      if (args.size() == 1 && (args[0].kind == Type::List || args[0].kind == Type::Map ||
                               args[0].kind == Type::Unknown))
        return {scalar(Type::Int), ""};
      return want({Type::String}, Type::Int);
    case Builtin::Abs:
      if (args.size() == 1 && args[0].kind == Type::Int) return {scalar(Type::Int), ""};
      return want({Type::Number}, Type::Number);
  }
  return {{}, "unknown function"};
}

Value call_builtin(Builtin fn, const Value* args, StringArena& arena) {
  switch (fn) {
    case Builtin::Lower:
    case Builtin::Upper: {
      // ASCII case mapping: policy strings are codes and identifiers, not prose.
      thread_local std::string buf;
      buf.assign(args[0].str());
      for (char& c : buf)
        c = fn == Builtin::Lower ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                                 : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return Value::string(arena.copy(buf));
    }
    case Builtin::Len:
      return Value::integer(args[0].len);
    case Builtin::StartsWith:
      return Value::boolean(args[0].str().starts_with(args[1].str()));
    case Builtin::EndsWith:
      return Value::boolean(args[0].str().ends_with(args[1].str()));
    case Builtin::Contains:
      return Value::boolean(args[0].str().find(args[1].str()) != std::string_view::npos);
    case Builtin::DaysBetween:
      return Value::integer(args[1].days - args[0].days);
    case Builtin::Age:
      return Value::integer(common::whole_years_between(args[0].days, args[1].days));
    case Builtin::Year:
      return Value::integer(common::civil_date(args[0].days).year);
    case Builtin::Month:
      return Value::integer(common::civil_date(args[0].days).month);
    case Builtin::Day:
      return Value::integer(common::civil_date(args[0].days).day);
    case Builtin::NormalizeName:
      return Value::string(arena.copy(normalize_name(args[0].str())));
    case Builtin::NameSimilarity:
      return Value::number(name_similarity(args[0].str(), args[1].str()));
    case Builtin::Abs:
      if (args[0].kind == Value::Kind::Int)  // |INT64_MIN| is no int64: unknown, as in `-`
        return args[0].i == INT64_MIN ? Value::unknown() : Value::integer(std::llabs(args[0].i));
      return Value::number(args[0].d < 0 ? -args[0].d : args[0].d);
    case Builtin::Lookup: {
      const Value* found = args[0].find(args[1].str());
      Value v = found ? *found : args[2];
      // An int table with a number default (or the reverse) answers a number either way.
      bool mixed = found ? args[2].kind == Value::Kind::Number && v.kind == Value::Kind::Int
                         : v.kind == Value::Kind::Int && args[0].len > 0 &&
                               args[0].items[args[0].len].kind == Value::Kind::Number;
      return mixed ? Value::number(v.as_double()) : v;
    }
    case Builtin::Matches:
      break;  // run by the evaluator with the compiled pattern
  }
  return Value::unknown();
}

void normalize_name_into(std::string_view name, std::string& out) {
  // Scratch kept per thread: once warm, normalising a name does not allocate.
  thread_local std::string upper;
  thread_local std::vector<std::string_view> tokens;
  upper.clear();
  for (size_t i = 0; i < name.size();) {
    size_t start = i;
    char32_t c = next_code_point(name, i);
    if (const char* t = transliterate(c)) {
      upper += t;
    } else if (c < 0x80 && std::isalnum(static_cast<int>(c))) {
      upper += static_cast<char>(std::toupper(static_cast<int>(c)));
    } else if (c < 0x80) {
      upper += ' ';  // punctuation, '<' filler, hyphens and apostrophes separate tokens
    } else {
      // Letters outside the table (other scripts) are kept as they are.
      upper.append(name.substr(start, i - start));
    }
  }
  split_tokens(upper, tokens);
  std::sort(tokens.begin(), tokens.end());
  out.clear();
  for (auto t : tokens) {
    if (!out.empty()) out += ' ';
    out += t;
  }
}

std::string normalize_name(std::string_view name) {
  std::string out;
  normalize_name_into(name, out);
  return out;
}

// The measure: both names are normalised and split into tokens; each token of the shorter
// name is paired with its most similar unused token of the longer one (Levenshtein
// similarity). The score is the character-weighted mean of those pair similarities, times a
// coverage factor sqrt(matched chars / all chars of the longer name) so that a missing middle
// name costs little and a missing surname costs much. 1 = same tokens, 0 = nothing shared.
double name_similarity(std::string_view a, std::string_view b) {
  thread_local std::string na, nb;
  thread_local std::vector<std::string_view> ta, tb;
  thread_local std::vector<char> used;
  normalize_name_into(a, na);
  normalize_name_into(b, nb);
  split_tokens(na, ta);
  split_tokens(nb, tb);
  if (ta.empty() && tb.empty()) return 1.0;
  if (ta.empty() || tb.empty()) return 0.0;
  auto* shorter = &ta;
  auto* longer = &tb;
  if (ta.size() > tb.size()) std::swap(shorter, longer);
  used.assign(longer->size(), 0);
  double weighted = 0, weight = 0, covered = 0, total = 0;
  for (auto t : *longer) total += static_cast<double>(t.size());
  for (auto t : *shorter) {
    // Pair with the most similar unused token; with no similar one, still with an unused one
    // (never twice with the same token, which would count its characters twice).
    double best = -1;
    size_t best_j = 0;
    for (size_t j = 0; j < longer->size(); ++j) {
      if (used[j]) continue;
      double sim = token_similarity(t, (*longer)[j]);
      if (sim > best) best = sim, best_j = j;
    }
    used[best_j] = 1;
    double w = static_cast<double>(std::max(t.size(), (*longer)[best_j].size()));
    weighted += best * w;
    weight += w;
    covered += static_cast<double>((*longer)[best_j].size());
  }
  double coverage = total == 0 ? 1.0 : std::sqrt(covered / total);
  return weight == 0 ? 0.0 : (weighted / weight) * coverage;
}

}  // namespace kyc::engine
