// The facts the service itself knows to identify a person: names, birth dates, document
// numbers, nationality, sex and the photo's hash, on either side of a document (back.NAME).
// A policy marks its own declared facts `personal`; these are personal in every policy, marked
// or not, because the service fills them whatever the policy says. Kept in the engine so that
// the compiler (dsl/) and the service see the one list.
#pragma once

#include <string_view>

namespace kyc::engine {

// True for one of the service's own personal facts, `back.` prefix included.
bool builtin_personal(std::string_view name);

}  // namespace kyc::engine
