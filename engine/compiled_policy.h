// What the dsl compiler produces and the evaluator runs: expressions as a flat array of nodes
// addressed by index, facts as slots, constant `in` lists as sorted sets.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins.h"
#include "engine/fact_schema.h"
#include "engine/outcome.h"
#include "engine/value.h"

namespace re2 {
class RE2;
}

namespace kyc::engine {

enum class Op : uint8_t {
  Const,
  Fact,
  Not,
  And,
  Or,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  Add,
  Sub,
  Mul,
  Div,
  Neg,
  InSet,  // constant list folded to a ConstSet
  NotInSet,
  InList,  // list computed at run time (a list fact, or a list with fact items)
  NotInList,
  MakeList,
  IsPresent,
  IsMissing,
  Call,  // Builtin::Matches: `slot` is the pattern's index in CompiledPolicy::patterns
  // Fast path for the most common atom, `fact OP constant`: no child nodes to visit.
  // `cmp` holds the comparison (Eq..Ge), `slot` the fact, `constant` the constant.
  CompareFactConst,
  // `fact OP fact`: `slot` and `slot2`, no child nodes.
  CompareFacts,
};

struct Node {
  Op op = Op::Const;
  Builtin fn = Builtin::Lower;  // Call only
  Op cmp = Op::Eq;              // CompareFactConst only
  // And/Or whose operands are all cheap atoms: evaluate every operand and combine without
  // branching on their values. Skipping operands saves less than the mispredicted branches
  // of short-circuiting cost on real, varied facts.
  bool eager = false;
  uint32_t first = 0;  // children: kids[first .. first+count)
  uint32_t count = 0;
  uint32_t slot = 0;   // Fact, CompareFactConst: fact slot; InSet/NotInSet: set index
  uint32_t slot2 = 0;  // CompareFacts: the right-hand fact
  uint32_t text = 0;   // index into CompiledPolicy::texts: canonical source text
  Value constant;      // Const only
};

// Order of ConstSet::strings: by length, then bytes, so that most probes of a binary search
// are settled without comparing any bytes.
inline bool shorter_first(std::string_view a, std::string_view b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// A constant list used with `in`: sorted for binary search. Numbers and dates compare as
// double/int keys, strings by shorter_first.
struct ConstSet {
  std::vector<std::string> strings;
  std::vector<double> numbers;
  std::vector<int32_t> days;
};

// A message string with `{name}` holes resolved at compile time.
struct MessagePiece {
  enum class Kind : uint8_t { Text, Fact, Constant } kind = Kind::Text;
  std::string text;  // Text: literal; Fact/Constant: the name (for diagnostics)
  uint32_t slot = 0;
  Value constant;
};
using MessageTemplate = std::vector<MessagePiece>;

struct LocalizedMessage {
  std::string locale;
  MessageTemplate title, detail, action;
};

// The notice e-mail's own texts in one locale, indexed by outcome (approve to reject). Their
// holes name constants only (dsl/notice_check.h), so they are filled when the policy loads.
struct NoticeTexts {
  std::string locale;
  std::array<std::string, 4> subject, greeting, intro, closing;
};

struct CompiledReason {
  std::string code;
  Outcome outcome = Outcome::Review;
  uint32_t when = 0;                       // root node
  std::vector<uint32_t> hides;             // reason indices
  std::vector<LocalizedMessage> messages;  // in the policy's locale order
  std::vector<uint32_t> facts;             // slots the condition reads, for naming missing facts
  uint32_t line = 0;
};

struct CompiledPolicy {
  std::string name;
  std::string version;
  std::vector<std::string> locales;
  Outcome on_missing = Outcome::Review;
  std::string source_path;
  // Hex SHA-256 of the policy text, or, when it loads files (list, table), of the text and
  // every file's path and content (dsl/policy_files.h: policy_sha256).
  std::string sha256;

  FactSchema schema;
  std::vector<Node> nodes;
  std::vector<uint32_t> kids;
  std::vector<ConstSet> sets;
  std::vector<std::string> texts;
  std::deque<std::string> strings;       // bytes of constant strings (stable addresses)
  std::deque<std::vector<Value>> lists;  // items of constant lists and tables
  // The constant patterns of matches(), compiled at load. RE2 runs in time linear in the
  // input, whatever the pattern: a policy cannot make an evaluation slow.
  std::vector<std::shared_ptr<const re2::RE2>> patterns;
  std::vector<CompiledReason> reasons;
  std::vector<NoticeTexts> notices;  // in the policy's locale order; empty: it has none
  // Reasons in an order where every reason comes before those it hides (hides has no cycles).
  std::vector<uint32_t> hide_order;

  int find_reason(std::string_view code) const;
  const NoticeTexts* find_notice(std::string_view locale) const;
  // The policy's locale for one a caller asked for, as RFC 4647 lookup finds it: the tag
  // itself, then shorter and shorter prefixes (`de-CH` -> `de`), case and `_` or `-` aside;
  // "" when none matches. `de-DE` was answered in English by a policy with `de`.
  std::string match_locale(std::string_view asked) const;
};

}  // namespace kyc::engine
