// One flat CSV row per recorded decision, for spreadsheets and BI tools: the columns an auditor
// filters on, then the facts and the decision as recorded (JSON). `kyc audit export --format
// csv` and the console's export (GET /v1/verifications?format=csv) write the same rows.
#pragma once

#include <string>

#include "store/records.h"

namespace kyc::service {

// The header line, with its newline.
extern const char* const kAuditCsvHeader;

// One record's row, with its newline. Every cell is guarded against formula injection: account
// ids and facts come from callers. A record whose decision JSON does not parse (an edited log:
// `kyc audit verify` names it) still gets its row, with the cells read from it empty.
std::string audit_csv_row(const store::AuditRecord& r);

}  // namespace kyc::service
