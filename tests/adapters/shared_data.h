// Reads the JSON test data kept outside the repository in shared/data (see its README).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <boost/json.hpp>

namespace kyc::test_support {

inline std::string shared_data_path(const std::string& relative) {
  return std::string(KYC_SHARED_DATA_DIR) + "/" + relative;
}

// A null value when the file is missing or not JSON; the tests that use it check for that.
inline boost::json::value load_shared_json(const std::string& relative) {
  std::ifstream in(shared_data_path(relative), std::ios::binary);
  if (!in) return nullptr;
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text.str(), ec);
  return ec ? boost::json::value(nullptr) : value;
}

inline std::string str(const boost::json::value& v) {
  return std::string(v.as_string().data(), v.as_string().size());
}

}  // namespace kyc::test_support
