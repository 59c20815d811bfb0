// SQLite's process-wide settings. They take effect only before SQLite's first use in the
// process, so every connection this folder opens calls configure_library() first.
#pragma once

namespace kyc::store::sqlite {

// Applied once; later calls do nothing.
//  - No memory statistics: with them every allocation inside SQLite takes one process-wide
//    mutex, which the request thread's account reads and the audit writer's commits then
//    contend for (futex calls on both threads; bench/README.md, "Syscalls on the account path").
void configure_library();

}  // namespace kyc::store::sqlite
