// The impact report (service/impact.h) for people: as text for a terminal, and as one
// self-contained HTML page (inline styles and SVG charts, no script, nothing loaded from the
// network) to attach to a change request. Both render the report's JSON, so they show the
// same numbers as `--format json` and `POST /v1/replay`.
#pragma once

#include <boost/json/object.hpp>
#include <string>

namespace kyc::service {

std::string impact_text(const boost::json::object& report);
std::string impact_html(const boost::json::object& report);

}  // namespace kyc::service
