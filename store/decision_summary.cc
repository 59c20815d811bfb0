#include "store/decision_summary.h"

#include <algorithm>

#include <boost/json.hpp>

namespace kyc::store {

namespace {

std::string text_of(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

DecisionSummary summarize(const std::string& stage, std::string_view decision_json) {
  DecisionSummary s;
  if (stage == kActivationStage || is_chain_stage(stage)) return s;
  // The writer thread parses every record: a stack buffer spares it most allocations.
  unsigned char buffer[8192];
  boost::json::monotonic_resource arena(buffer, sizeof buffer);
  boost::system::error_code ec;
  auto v = boost::json::parse(decision_json, ec, &arena);
  if (ec || !v.is_object()) return s;
  const auto& d = v.get_object();
  s.is_decision = true;
  s.outcome = text_of(d, "outcome");
  if (auto* reasons = d.if_contains("reasons"); reasons && reasons->is_array())
    for (const auto& r : reasons->get_array())
      if (r.is_object()) s.reasons.push_back(text_of(r.get_object(), "code"));
  if (auto* undetermined = d.if_contains("undetermined"); undetermined && undetermined->is_array())
    for (const auto& u : undetermined->get_array()) {
      if (!u.is_object()) continue;
      s.undetermined.push_back(text_of(u.get_object(), "code"));
      if (auto* missing = u.get_object().if_contains("missing"); missing && missing->is_array())
        for (const auto& f : missing->get_array())
          if (f.is_string() &&
              std::find(s.missing.begin(), s.missing.end(), f.get_string()) == s.missing.end())
            s.missing.emplace_back(f.get_string());
    }
  if (auto* policy = d.if_contains("policy"); policy && policy->is_object())
    s.policy_version = text_of(policy->get_object(), "version");
  return s;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.find(' ', start), text.size());
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace kyc::store
