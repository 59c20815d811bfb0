// The facts that identify a person: names, birth dates, document numbers, nationality, sex and
// the photo's hash. Roles that do not audit (a backend with the evaluate role) never get their
// values back: not in a status view, not quoted in a notice's messages. (Issue 20 will let a
// policy mark its own declared facts `personal` too; these are the service's own.)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace kyc::service {

// True for a personal fact, on either side (back.NAME included).
bool is_personal_fact(std::string_view name);

// What a text shows instead of a personal value.
inline constexpr std::string_view kWithheld = "***";

// The values of the personal facts among `facts` (dotted names, as recorded), as a message
// would show them.
std::vector<std::string> personal_values(const boost::json::object& facts);

// `text` with every occurrence of each value replaced by kWithheld (longest values first, so
// that a name is withheld whole before any part of it).
std::string withhold(std::string text, std::vector<std::string> values);

}  // namespace kyc::service
