#include "store/sqlite/library.h"

#include <sqlite3.h>

#include <mutex>

namespace kyc::store::sqlite {

void configure_library() {
  static std::once_flag once;
  // SQLITE_MISUSE when SQLite was already in use (a test that opened a database itself
  // first): the settings are then SQLite's defaults, which are correct, only slower.
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace kyc::store::sqlite
