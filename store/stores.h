// What a service opens of the store: the decision log and the account store over one
// database, whichever the backend.
#pragma once

#include <memory>

#include "store/account_store.h"
#include "store/decision_log.h"

namespace kyc::store {

struct Stores {
  std::unique_ptr<DecisionLog> decisions;
  std::unique_ptr<AccountStore> accounts;
};

}  // namespace kyc::store
