// An evaluate request the shipped policy approves, unless the account store says otherwise:
// the tests of the account limit send one document number for several accounts.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "dsl/policy_loader.h"

namespace kyc::e2e {

// A clean passport of `number` for `account`.
inline std::string approvable(const std::string& account, const std::string& number) {
  std::string text;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/examples/expired-passport.json", text);
  boost::json::object facts = boost::json::parse(text).as_object();
  facts.erase("today");
  facts.erase("primary");
  facts["document"].as_object()["expiry"] = "2031-01-01";
  facts["document"].as_object()["number"] = number;
  return boost::json::serialize(boost::json::object{{"facts", facts}, {"account_id", account}});
}

}  // namespace kyc::e2e
