// A SQLite VFS that gathers the writes of a write-ahead log into one write per commit.
//
// SQLite writes each WAL frame as two writes (a 24-byte header, then the 4 KiB page), so a
// commit of 20 audit records made some 40 small pwrite calls before its sync, and those calls
// were a quarter of the writer thread's profile (bench/README.md, "Sixth tuning pass"). This VFS
// wraps the default one and keeps consecutive WAL writes in a buffer until the file is synced,
// read, truncated, sized or closed; anything else goes straight through, and so do all other
// files.
//
// Only for connections with synchronous=FULL, as the audit log's writer: there every commit
// syncs the WAL before other connections can see its frames, and the sync writes the buffer
// out first. Under a weaker setting a reader could look for frames still in the buffer.
#pragma once

#include <cstddef>

namespace kyc::store::sqlite {

// Registers the VFS once (not as the default) and returns its name, for
// SQLite::Database(path, flags, busy_timeout, vfs).
const char* wal_write_buffer_vfs();

// Bytes gathered before they are written anyway; a larger commit writes in pieces. SQLite's
// unix VFS writes at most 128 KiB - 1 bytes per call (it masks the length: more would be a
// short write, reported as a full disk), so the buffer stays under that.
inline constexpr size_t kWalWriteBufferBytes = 120 * 1024;

}  // namespace kyc::store::sqlite
