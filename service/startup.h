// What a service sets up from its data folder before it takes requests, apart from HTTP and
// from the store (which the caller picks): the folder closed to other users, the access
// tokens (a development token on first start), and the document key. Each step says what it
// did or found through `report`, for the caller's log; the first that fails ends the start.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.h"
#include "service/access_tokens.h"
#include "store/document_key.h"

namespace kyc::service {

// Something a start did that an operator should see: an event name, whether it is a warning,
// and its fields.
struct StartupEvent {
  std::string name;
  bool warning = false;
  std::vector<std::pair<std::string, std::variant<std::string, int64_t>>> fields;
};
using StartupReport = std::function<void(const StartupEvent&)>;

// The data folder holds the audit log, the document key and the tokens: nobody but the
// service's user may read it. A new folder is 0700; files an older version left readable are
// closed up; a folder that others can read is reported.
Result<void> prepare_data_dir(const std::string& dir, const StartupReport& report);

// Whether the service starts on this data folder for the first time: its chain key (made by
// the first `kyc serve`) does not exist yet. Error when the chain key exists and the document
// key does not: linked documents are found by a MAC under it, and a new one made in its place
// let a document already on an account approve another (DOC_ACCOUNT_LIMIT passed; operator
// probe, stop 48). (A document key without a chain key is a folder `kyc accounts import` made
// before the service first ran.)
struct DataKeys {
  std::string chain, document;  // the files
};
Result<bool> first_start(const DataKeys& keys);

struct TokenOptions {
  std::string data_dir;
  std::string tokens_file;  // "" : DATA_DIR/tokens, created with a development token if absent
  // Not a first start (first_start): a missing DATA_DIR/tokens is an error, not a new
  // development token with every role printed to a journal.
  bool existing_folder = false;
};
// Opens the tokens file, reports lines that hold a token in clear, and on a first start makes
// one development token with every role: `show_once` gets it (a secret: for the person at the
// terminal, never the log).
Result<std::unique_ptr<TokenFile>> open_tokens(const TokenOptions& options,
                                               const StartupReport& report,
                                               const std::function<void(const std::string&)>& show_once);

// The data folder's document key, made on first start.
Result<store::DocumentKey> open_document_key(const std::string& data_dir);

}  // namespace kyc::service
