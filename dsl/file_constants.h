// Constants kept by compliance in files of their own, read when the policy loads:
//
//   let SANCTIONED = list("lists/sanctioned.txt")        # one string per line
//   let ACCOUNT_LIMIT = table("lists/limits.csv", int)    # CSV with the header key,value
//
// Each call becomes the list or table it reads (an Expr with `from_file` set, printed as the
// call), so the checker and the compiler see an ordinary constant. A missing file, a bad
// line or a duplicate key is an error at the call that names the file and its line.
#pragma once

#include <vector>

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/parser.h"
#include "dsl/policy_files.h"
#include "dsl/source.h"

namespace kyc::dsl {

// Reads every list(...) and table(...) of `policy` through `reader`; `files` gets each file
// read (once per path), for the policy's sha256 and the audit log.
void load_file_constants(Policy& policy, const SourceFile& file, const PolicyFileReader& reader,
                         const ParseOptions& options, Diagnostics& diags,
                         std::vector<PolicyFile>& files);

}  // namespace kyc::dsl
