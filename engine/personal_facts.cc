#include "engine/personal_facts.h"

#include <algorithm>
#include <array>

namespace kyc::engine {

namespace {

constexpr std::array<std::string_view, 9> kBuiltinPersonal = {
    "document.name", "document.number", "document.birth_date", "document.nationality",
    "document.sex",  "primary.name",    "primary.birth_date",  "primary.document_number",
    "file.sha256"};

}  // namespace

bool builtin_personal(std::string_view name) {
  if (name.starts_with("back.")) name.remove_prefix(5);
  return std::find(kBuiltinPersonal.begin(), kBuiltinPersonal.end(), name) !=
         kBuiltinPersonal.end();
}

}  // namespace kyc::engine
