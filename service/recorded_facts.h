// What an audit record keeps of a decision's facts: every fact as the policy evaluated it, and
// beside them every fact the caller or the adapters sent that the policy did not read. A later
// policy that declares one of those can then be replayed on history (PRODUCT.md: every fact a
// decision saw is recorded, declared or not).
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "engine/fact_frame.h"

namespace kyc::service {

// Where a non-admin caller's values for the facts the service owns (`account.*`, `primary.*`,
// `today`) are kept: not a fact name any policy can declare, so replay never reads them as the
// service's own, yet the auditor sees what the caller claimed.
inline constexpr const char* kWithheldFactsKey = "(withheld)";

// The record's facts as one JSON object text: the frame's facts (dotted names, schema order),
// then each fact of `sent` the schema does not declare, nested objects flattened to dotted
// names, the first of a name given twice kept. Unless `admin`, the caller's values for facts
// the service owns go under kWithheldFactsKey instead (as does a value the caller itself sent
// under that key, so the record has one such key). `sent` was parsed within the request's
// limits (body size, JSON depth and elements), which bound the record as well.
std::string recorded_facts(const engine::FactFrame& frame, const boost::json::object& sent,
                           bool admin);

}  // namespace kyc::service
