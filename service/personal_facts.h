// The facts that identify a person: the service's own (names, birth dates, document numbers,
// nationality, sex, the photo's hash: engine/personal_facts.h) and those the policy marks
// `personal` in its facts block. Roles that do not audit (a backend with the evaluate role)
// never get their values back: not in a status view, not quoted in a notice's messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "engine/fact_schema.h"

namespace kyc::service {

// True for one of the service's own personal facts, on either side (back.NAME included).
bool is_personal_fact(std::string_view name);
// True for a fact the policy marks personal, or one of the service's own.
bool is_personal_fact(std::string_view name, const engine::FactSchema& policy_facts);

// What a text shows instead of a personal value.
inline constexpr std::string_view kWithheld = "***";

// The values of the personal facts among `facts` (dotted names, as recorded), as a message
// would show them: the service's own, and with the schema of the policy that made the
// decision, those it marks personal too.
std::vector<std::string> personal_values(const boost::json::object& facts);
std::vector<std::string> personal_values(const boost::json::object& facts,
                                         const engine::FactSchema& policy_facts);

// A text value as the JSON text of a decision shows it: without its quotes, escaped.
std::string as_json_text(std::string_view value);

// `text` with every occurrence of each value replaced by kWithheld (longest values first, so
// that a name is withheld whole before any part of it).
std::string withhold(std::string text, std::vector<std::string> values);

}  // namespace kyc::service
