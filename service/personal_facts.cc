#include "service/personal_facts.h"

#include <algorithm>

#include <boost/json.hpp>

#include "engine/personal_facts.h"

namespace kyc::service {

namespace {

std::vector<std::string> values_where(const boost::json::object& facts, auto is_personal) {
  std::vector<std::string> out;
  for (const auto& [name, value] : facts) {
    if (!is_personal(name)) continue;
    if (value.is_string() && !value.get_string().empty()) out.emplace_back(value.get_string());
  }
  return out;
}

}  // namespace

bool is_personal_fact(std::string_view name) { return engine::builtin_personal(name); }

bool is_personal_fact(std::string_view name, const engine::FactSchema& policy_facts) {
  return policy_facts.is_personal(name);
}

std::vector<std::string> personal_values(const boost::json::object& facts) {
  return values_where(facts, [](std::string_view name) { return is_personal_fact(name); });
}

std::vector<std::string> personal_values(const boost::json::object& facts,
                                         const engine::FactSchema& policy_facts) {
  return values_where(facts,
                      [&](std::string_view name) { return is_personal_fact(name, policy_facts); });
}

namespace {

bool word_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

std::string withhold(std::string text, std::vector<std::string> values) {
  std::sort(values.begin(), values.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& v : values) {
    // Whole words only: a sex of "F" is withheld where it stands alone, not in "File".
    for (size_t at = text.find(v); at != std::string::npos; at = text.find(v, at + 1)) {
      bool starts = at == 0 || !word_char(text[at - 1]) || !word_char(v.front());
      bool ends =
          at + v.size() == text.size() || !word_char(text[at + v.size()]) || !word_char(v.back());
      if (!starts || !ends) continue;
      text.replace(at, v.size(), kWithheld);
      at += kWithheld.size() - 1;
    }
  }
  return text;
}

std::string as_json_text(std::string_view value) {
  std::string text = boost::json::serialize(boost::json::string_view(value));
  return text.substr(1, text.size() - 2);
}

}  // namespace kyc::service
