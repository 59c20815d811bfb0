// How a backend's exception (SQLiteCpp's, libpqxx's) becomes an Error at the store's
// boundary: exceptions stay inside the store.
#pragma once

#include <exception>
#include <string>
#include <type_traits>

#include "common/result.h"

namespace kyc::store {

template <typename T>
struct ResultOf {
  using type = common::Result<T>;
};
template <typename T>
struct ResultOf<common::Result<T>> {  // a `use` that can fail itself: its Result as it is
  using type = common::Result<T>;
};

// Runs `use` and returns what it returns, or "WHAT: the database's message" when it throws.
template <typename Use>
auto as_result(const char* what, Use use) -> typename ResultOf<decltype(use())>::type {
  try {
    if constexpr (std::is_void_v<decltype(use())>) {
      use();
      return {};
    } else {
      return use();
    }
  } catch (const std::exception& e) {
    return common::fail(std::string(what) + ": " + e.what());
  }
}

}  // namespace kyc::store
