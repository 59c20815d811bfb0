// A fact frame as JSON text, written straight into one string: every audit record carries
// the facts as evaluated, so this runs once per decision and builds no JSON tree.
#pragma once

#include <string>

#include "engine/fact_frame.h"

namespace kyc::engine {

// `{"name":value,...}` with dotted names in schema order, present facts only. Reading it back
// with read_facts gives the same values (doubles are written in their shortest exact form).
std::string facts_json(const FactFrame& frame);

}  // namespace kyc::engine
