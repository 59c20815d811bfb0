// The SQLite store's limits and tuning: the backends' common ones (store/audit_options.h).
#pragma once

#include "store/audit_options.h"

namespace kyc::store::sqlite {

using store::AuditOptions;

}  // namespace kyc::store::sqlite
