// The policy as written: declarations and expressions with the byte offset of each, so that
// the checker can point at the exact place. The checker fills in `Expr::type`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/outcome.h"
#include "engine/types.h"

namespace kyc::dsl {

enum class ExprKind : uint8_t {
  Bool,      // true / false
  Int,       // 42, and sizes: 5 MiB -> bytes
  Number,    // 0.7
  String,    // "text" (value unescaped)
  Date,      // 2024-11-20
  Duration,  // 30 days
  Period,    // 18 years, 6 months: a calendar duration, in months
  Name,      // a fact or a let constant: document.expiry, MAX_BYTES
  List,      // [a, b]; also list("file.txt") once its file is read (see from_file)
  Map,       // {"key": value, ...}: kids are key (String), value, key, value...; also table(...)
  Unary,     // not x, -x
  Binary,    // and or == != < <= > >= + - * / in, not in
  Presence,  // x is present / x is missing
  Call,      // f(a, b)
};

enum class BinaryOp : uint8_t { And, Or, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, In, NotIn };
enum class UnaryOp : uint8_t { Not, Neg };

struct Expr {
  ExprKind kind;
  uint32_t offset = 0;  // where the expression starts in the source
  std::string text;     // Name: the name; Call: the function; literals: their source text
  std::string str;      // String: the unescaped value
  int64_t int_value = 0;
  double number_value = 0;
  int32_t days = 0;  // Date, Duration (days); Period (months)
  BinaryOp binary = BinaryOp::And;
  UnaryOp unary = UnaryOp::Not;
  bool present = true;  // Presence: `is present` vs `is missing`
  std::vector<std::unique_ptr<Expr>> kids;
  uint32_t op_offset = 0;  // Binary: where the operator is (type errors point there)
  int32_t fact = -1;       // Name: index into Policy::facts, filled by the checker
  int32_t let = -1;        // Name: index into Policy::lets, filled by the checker
  // List/Map read from a file by list(...) or table(...) (dsl/file_constants.h): `text` keeps
  // the call as written, which is how the expression prints.
  bool from_file = false;

  engine::TypeRef type;  // filled by the checker
};
using ExprPtr = std::unique_ptr<Expr>;

struct Name {
  std::string text;
  uint32_t offset = 0;
};

struct Header {
  std::string name;
  uint32_t offset = 0;
  std::optional<std::string> version;
  uint32_t version_offset = 0;
  std::vector<Name> locales;
  std::optional<engine::Outcome> on_missing;
  uint32_t on_missing_offset = 0;
  bool present = false;
};

struct FactDecl {
  Name name;
  engine::TypeRef type;
  bool optional = false;
  // `name: type personal`: the value identifies a person (withheld from roles that do not
  // audit, sealed at rest). The service's own personal facts are personal unmarked too.
  bool personal = false;
};

struct LetDecl {
  Name name;
  ExprPtr value;
};

struct MessageText {
  std::string value;    // as written between the quotes: escapes and {holes} kept
  uint32_t offset = 0;  // of the opening quote
  bool present = false;
};

struct Message {
  uint32_t offset = 0;  // of the `message` keyword
  Name locale;
  MessageText title, detail, action;
};

struct Reason {
  Name code;
  std::optional<engine::Outcome> outcome;
  uint32_t outcome_offset = 0;
  ExprPtr when;
  uint32_t when_offset = 0;  // of the `when` keyword (its expression may start on a later line)
  std::vector<Name> hides;
  std::vector<Message> messages;
  std::optional<std::string> note;  // internal wording for reviewers, never shown to the user
  uint32_t note_offset = 0;
};

// The notice e-mail's texts in one locale (`notice en { ... }`): what the user reads around
// the reasons' messages. Each part is written once for every outcome or once per outcome, so
// that a reject's closing need not share a resubmit's invitation to try again.
enum class NoticePart : uint8_t { Subject, Greeting, Intro, Closing };
inline constexpr const char* kNoticeParts[] = {"subject", "greeting", "intro", "closing"};

struct NoticeLine {
  NoticePart part = NoticePart::Subject;
  uint32_t offset = 0;                     // of the part's keyword
  std::optional<engine::Outcome> outcome;  // none: the text of every outcome
  MessageText text;
};

struct Notice {
  uint32_t offset = 0;  // of the `notice` keyword
  Name locale;
  std::vector<NoticeLine> lines;  // in source order
};

// A `#` comment with the byte offset where it starts; the formatter puts it back.
struct Comment {
  uint32_t offset = 0;
  std::string text;  // including '#'
};

struct Policy {
  Header header;
  std::vector<FactDecl> facts;
  std::vector<LetDecl> lets;
  std::vector<Reason> reasons;
  std::vector<Notice> notices;  // none in a policy written before notices were
  std::vector<Comment> comments;
  // Top-level items in source order, for the formatter: kind + index into the vectors above.
  enum class ItemKind : uint8_t { Header, Facts, Let, Reason, Notice };
  struct Item {
    ItemKind kind;
    size_t index;  // Facts: first fact of the block
    size_t count;  // Facts: facts in the block; otherwise 1
    uint32_t offset;
    uint32_t end;  // byte after the item's last character
  };
  std::vector<Item> items;
};

}  // namespace kyc::dsl
