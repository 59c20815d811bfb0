#include "dsl/notice_check.h"

#include <algorithm>
#include <array>
#include <set>

#include "dsl/did_you_mean.h"
#include "dsl/message_text.h"

namespace kyc::dsl {

namespace {

constexpr size_t kParts = std::size(kNoticeParts);
constexpr size_t kOutcomes = 4;  // engine::Outcome, approve to reject

std::string outcome_text(engine::Outcome o) { return std::string(engine::outcome_name(o)); }

class NoticeCheck {
 public:
  NoticeCheck(const Policy& p, const SourceFile& f, Diagnostics& d) : p_(p), file_(f), diags_(d) {}

  void run() {
    if (!p_.header.present || p_.notices.empty()) return;
    std::set<std::string> declared, written;
    for (const auto& l : p_.header.locales) declared.insert(l.text);
    for (const auto& n : p_.notices) {
      if (!declared.count(n.locale.text))
        error(n.locale.offset,
              "locale '" + n.locale.text + "' is not declared in the policy header");
      if (!written.insert(n.locale.text).second)
        error(n.locale.offset, "the notice for '" + n.locale.text + "' is written twice");
      check(n);
    }
    for (const auto& l : p_.header.locales)
      if (!written.count(l.text))
        error(p_.notices.front().offset,
              "no notice for locale '" + l.text +
                  "': once a policy has a notice, every locale of its header needs one");
  }

 private:
  void error(uint32_t offset, std::string message) {
    diags_.error(file_.locate(offset), std::move(message));
  }

  void check(const Notice& n) {
    const std::string& locale = n.locale.text;
    std::array<bool, kParts> shared{}, mixed{};
    std::array<std::array<bool, kOutcomes>, kParts> given{};
    for (const auto& line : n.lines) {
      size_t part = static_cast<size_t>(line.part);
      std::string name = kNoticeParts[part];
      bool any_outcome =
          std::find(given[part].begin(), given[part].end(), true) != given[part].end();
      if (!line.outcome) {
        if (shared[part])
          error(line.offset, "notice " + locale + " gives the " + name + " twice");
        else if (any_outcome)
          mixed_error(line, locale, name, mixed[part]);
        shared[part] = true;
      } else {
        bool& seen = given[part][static_cast<size_t>(*line.outcome)];
        if (seen)
          error(line.offset, "notice " + locale + " gives the " + name + " for " +
                                 outcome_text(*line.outcome) + " twice");
        else if (shared[part])
          mixed_error(line, locale, name, mixed[part]);
        seen = true;
      }
      check_holes(line.text);
    }
    for (size_t part = 0; part < kParts; ++part) {
      if (shared[part]) continue;
      std::string name = kNoticeParts[part];
      bool none = std::find(given[part].begin(), given[part].end(), true) == given[part].end();
      if (none) {
        error(n.locale.offset, "notice " + locale + " has no " + name + ": write `" + name +
                                   " \"...\"` for every outcome, or one per outcome (`" + name +
                                   " reject \"...\"`)");
        continue;
      }
      for (size_t o = 0; o < kOutcomes; ++o)
        if (!given[part][o])
          error(n.locale.offset, "notice " + locale + " has no " + name + " for " +
                                     outcome_text(static_cast<engine::Outcome>(o)));
    }
  }

  // A text for every outcome beside one for a single outcome: which one is meant is not
  // written down, so it is an error rather than a silent override.
  void mixed_error(const NoticeLine& line, const std::string& locale, const std::string& name,
                   bool& reported) {
    if (reported) return;
    reported = true;
    error(line.offset, "notice " + locale + " gives the " + name +
                           " both for every outcome and for one: write it once without an "
                           "outcome, or once per outcome");
  }

  // Holes name constants. A fact would print as '?' in the e-mail when it is missing; the
  // reasons' messages, shown only when their reason fired, are where facts are named.
  void check_holes(const MessageText& t) {
    SplitText split = split_message(t.value);
    if (!split.error.empty()) {
      error(t.offset + 1 + split.error_offset, split.error);  // +1: after the opening quote
      return;
    }
    for (const auto& part : split.parts) {
      if (!part.hole) continue;
      uint32_t at = t.offset + 1 + part.offset;
      bool fact = std::any_of(p_.facts.begin(), p_.facts.end(),
                              [&](const FactDecl& f) { return f.name.text == part.text; });
      if (fact) {
        error(at, "a notice cannot show facts ('{" + part.text +
                      "}'): a missing fact would print as '?'; name facts in the reasons' "
                      "messages");
        continue;
      }
      bool constant = std::any_of(p_.lets.begin(), p_.lets.end(),
                                  [&](const LetDecl& l) { return l.name.text == part.text; });
      if (!constant) error(at, "'{" + part.text + "}' does not name a constant" + hint(part.text));
    }
  }

  // As in the checker: a hint costs an edit distance against every constant, so only the
  // first few unknown names get one.
  std::string hint(const std::string& name) {
    if (++hints_given_ > 64) return "";
    std::vector<std::string> constants;
    for (const auto& l : p_.lets) constants.push_back(l.name.text);
    return did_you_mean(name, constants);
  }

  const Policy& p_;
  const SourceFile& file_;
  Diagnostics& diags_;
  size_t hints_given_ = 0;
};

}  // namespace

void check_notices(const Policy& policy, const SourceFile& file, Diagnostics& diags) {
  NoticeCheck(policy, file, diags).run();
}

}  // namespace kyc::dsl
