#include "common/result.h"

#include <stdexcept>

namespace kyc::common {

void throw_exception_from_error(const Error& e, const boost::source_location& where) {
  throw std::runtime_error(e.message + " (unchecked at " + where.file_name() + ":" +
                           std::to_string(where.line()) + ")");
}

}  // namespace kyc::common
