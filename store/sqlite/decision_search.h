// The console's questions to the SQLite log, answered from the search index (search_index.h):
// a search walks one index newest first and stops at the page's end; counts sum hourly rows.
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>
#include <vector>

#include "store/decision_query.h"

namespace kyc::store::sqlite {

std::vector<DecisionRow> search_decisions(SQLite::Database& db, const DecisionQuery& query);
std::vector<BucketCount> count_decisions(SQLite::Database& db, const std::string& from,
                                         const std::string& to, Bucket bucket);

}  // namespace kyc::store::sqlite
