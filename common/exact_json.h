// JSON text to a Boost.JSON value with every number read exactly. Boost 1.81's parser rounds
// some 17-digit decimals to a neighbouring double: an upload's `image.clipped` of
// 1.0806029735682819E-1 came back 1.080602973568282E-1 after the personal seal parsed and
// rewrote the record's facts, and replay of that decision reported a mismatch. Text the service
// wrote itself (recorded facts) is read back with this, so that it reads back what was written.
#pragma once

#include <boost/json/parse_options.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>
#include <string_view>

namespace kyc::common {

// As boost::json::parse: the whole text must be one value (trailing bytes are an error).
boost::json::value parse_json_exact(std::string_view text, boost::system::error_code& ec,
                                    boost::json::storage_ptr storage = {},
                                    const boost::json::parse_options& options = {});

}  // namespace kyc::common
