// An MRZ prints dates as YYMMDD; the century has to be chosen against the day the document is
// examined. Days are counted from 1970-01-01, as in engine/date.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kyc::text {

// A birth date lies in the past: the latest century that puts it on or before `evaluation_day`.
std::optional<int32_t> resolve_birth_date(std::string_view yymmdd, int32_t evaluation_day);

// Documents are valid for at most 10 years and may be examined decades after they expired, so
// an expiry date lies in the window (evaluation - 80 years, evaluation + 20 years].
std::optional<int32_t> resolve_expiry_date(std::string_view yymmdd, int32_t evaluation_day);

// Both return nullopt for anything but six digits forming a real date (no month 13, no
// 30 February), or when no century places the date as required.

}  // namespace kyc::text
