// What the SQLite decision log keeps beside the chained records so that the console's search
// and overview never read every record: columns taken from the decision (decision_summary.h),
// a (code, seq) table of fired reasons, and counts per hour. The writer maintains them in the
// transaction of each batch; a log written before them is upgraded once when it is opened.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "store/decision_summary.h"

namespace kyc::store::sqlite {

// The columns of `decisions` that hold the summary, in the order the insert binds them.
inline constexpr const char* kSummaryColumns =
    "outcome, reasons, undetermined, missing, policy_version";

// Creates the tables and indexes; adds the summary columns to a log that has none and fills
// them, the reason table and the counts from every record, in one transaction (so an upgrade
// that stops half-way leaves the log as it was, and the next open starts again).
void prepare_search_index(SQLite::Database& db);

// Binds a record's summary at `first` .. first + 4 of the insert (NULLs for an activation).
void bind_summary(SQLite::Statement& insert, int first, const DecisionSummary& summary);

// The writer's side: reason rows as records are inserted; hourly counts gathered over a batch
// and written once per batch (a handful of rows, whatever the batch size).
class SearchIndexWriter {
 public:
  explicit SearchIndexWriter(SQLite::Database& db);
  void add(int64_t seq, const std::string& time, const DecisionSummary& summary);
  void flush();    // inside the batch's transaction, before its commit
  void discard();  // the batch rolled back
  void reset_statements();

 private:
  SQLite::Statement reason_, hour_, count_;
  struct Span {
    int64_t first = 0, last = 0;
  };
  std::map<std::string, Span> hours_;
  std::map<std::tuple<int, std::string, std::string>, int64_t> counts_;  // (kind, hour, name)
};

}  // namespace kyc::store::sqlite
