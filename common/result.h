// The one way a fallible call reports failure across a library boundary: a value, or an Error
// that is a sentence for a person (what failed, and why). Exceptions stay inside the library
// that threw them; its boundary turns them into an Error.
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <string>
#include <utility>

namespace kyc::common {

class Error;
// For `return fail("...")` in a function returning any Result.
Error fail(std::string message);

class Error {
 public:
  Error() = default;  // Result::error() of a value: an empty message
  std::string message;

 private:
  // Made by fail() only: an Error constructible from a string would make Result<std::string>
  // ambiguous (a string could be either side).
  struct Tag {};
  Error(Tag, std::string m) : message(std::move(m)) {}
  friend Error fail(std::string message);
};

inline Error fail(std::string message) { return Error(Error::Tag{}, std::move(message)); }

template <class T>
using Result = boost::system::result<T, Error>;

// Result::value() on an error throws this (found by argument-dependent lookup); code that
// checks first never reaches it.
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& where);

}  // namespace kyc::common
