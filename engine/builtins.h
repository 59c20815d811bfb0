// The closed set of built-in functions. The checker types calls with `signature`, the
// evaluator runs them with `call_builtin`. There is no way to add a function from a policy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/string_arena.h"
#include "engine/types.h"
#include "engine/value.h"

namespace kyc::engine {

enum class Builtin : uint8_t {
  Lower,
  Upper,
  Len,
  StartsWith,
  EndsWith,
  Contains,
  DaysBetween,
  Age,
  Year,
  Month,
  Day,
  NormalizeName,
  NameSimilarity,
  Abs,
  Lookup,   // lookup(TABLE, key, default)
  Matches,  // matches(s, "pattern"): the pattern is compiled at load (CompiledPolicy::patterns)
};

struct BuiltinInfo {
  Builtin id;
  std::string_view name;
  std::string_view doc;  // signature as shown in error messages
};

std::optional<BuiltinInfo> find_builtin(std::string_view name);
std::vector<BuiltinInfo> all_builtins();

// Result type of a call with these argument types, or an error sentence.
struct SignatureCheck {
  TypeRef result;
  std::string error;  // empty when the call is well typed
};
SignatureCheck check_signature(Builtin fn, const std::vector<TypeRef>& args);

// Arguments are never missing here: the evaluator propagates missing before calling.
// Matches is not run here: it needs the policy's compiled pattern (see the evaluator).
Value call_builtin(Builtin fn, const Value* args, StringArena& arena);

// Upper case, Latin diacritics transliterated as ICAO 9303 does (Ä -> AE, ß -> SS, Ø -> OE,
// É -> E), punctuation and '<' as spaces, tokens sorted, single spaces.
std::string normalize_name(std::string_view name);
// The same into `out`, reusing its capacity (the evaluation path does not allocate).
void normalize_name_into(std::string_view name, std::string& out);
// Similarity of two names in [0,1], see builtins.cc for the measure.
double name_similarity(std::string_view a, std::string_view b);
// Its cost grows with the product of the two lengths (about 40 ms for two texts of 4,096
// bytes, the service's default bound on a fact's text). A policy may hold at most this many
// calls, and a text written in it (a literal, a constant, a list or table entry) that reaches
// one at most this many bytes: a constant of 120,000 characters held the service 21 s when
// the policy was validated, and would have cost as long per decision.
constexpr size_t kMaxNameSimilarityCalls = 16;
constexpr size_t kMaxComparedNameBytes = 4096;

}  // namespace kyc::engine
