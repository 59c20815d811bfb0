#include "service/recorded_facts.h"

#include <boost/json/serialize.hpp>
#include <string_view>
#include <unordered_set>

#include "common/json_text.h"
#include "engine/json/facts_json.h"

namespace kyc::service {

namespace {

class RecordedFacts {
 public:
  RecordedFacts(const engine::FactSchema& schema, bool admin) : schema_(schema), admin_(admin) {}

  // Leaves only: a nested object may hold a name the policy does not declare under a prefix it
  // does not know, which the facts reader would skip as a whole.
  // `path` is one buffer for the whole walk: a decision records without a string per fact.
  void walk(std::string& path, const boost::json::object& object) {
    const size_t prefix = path.size();
    for (const auto& [key, value] : object) {
      path.resize(prefix);
      if (prefix) path += '.';
      path += key;
      if (value.is_object()) {
        walk(path, value.get_object());
      } else if (path == kWithheldFactsKey || (!admin_ && engine::service_owned(path))) {
        // A caller's own "(withheld)" goes in with the claims: one key, never a fact.
        add(withheld_, path, value);
      } else if (!schema_.find(path)) {
        add(undeclared_, path, value);
      }
    }
  }

  // `evaluated` is the frame's facts as a JSON object text.
  std::string text(std::string evaluated) && {
    evaluated.pop_back();  // the closing brace
    auto append = [&evaluated](const std::string& members) {
      if (members.empty()) return;
      if (evaluated.size() > 1) evaluated += ',';
      evaluated += members;
    };
    append(undeclared_.members);
    if (!withheld_.members.empty()) {
      std::string withheld;
      common::append_json_string(withheld, kWithheldFactsKey);
      withheld += ":{" + withheld_.members + "}";
      append(withheld);
    }
    evaluated += '}';
    return evaluated;
  }

 private:
  struct Members {
    std::string members;  // "name":value,... without braces
    std::unordered_set<std::string> names;
  };

  static void add(Members& to, const std::string& name, const boost::json::value& value) {
    if (!to.names.insert(name).second) return;
    if (!to.members.empty()) to.members += ',';
    common::append_json_string(to.members, name);
    to.members += ':';
    to.members += boost::json::serialize(value);
  }

  const engine::FactSchema& schema_;
  bool admin_;
  Members undeclared_, withheld_;
};

}  // namespace

std::string recorded_facts(const engine::FactFrame& frame, const boost::json::object& sent,
                           bool admin) {
  RecordedFacts recorded(frame.schema(), admin);
  std::string path;
  recorded.walk(path, sent);
  return std::move(recorded).text(engine::facts_json(frame));
}

}  // namespace kyc::service
