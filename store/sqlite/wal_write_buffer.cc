#include "store/sqlite/wal_write_buffer.h"

#include <sqlite3.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

namespace kyc::store::sqlite {

namespace {

// SQLite allocates szOsFile bytes for each open file: this struct, then the wrapped VFS's own
// file right after it.
struct File {
  sqlite3_file base;  // first: SQLite sees our methods through it
  sqlite3_file* real;
  bool wal;
  char* data;  // the gathered writes of a WAL file: `length` bytes meant for `offset`
  size_t length;
  sqlite3_int64 offset;
};

// Where the wrapped file starts, aligned for it.
constexpr size_t kFileBytes = (sizeof(File) + 7) / 8 * 8;

File* as_file(sqlite3_file* f) { return reinterpret_cast<File*>(f); }

const sqlite3_io_methods* real_methods(File* f) { return f->real->pMethods; }

int write_out(File* f) {
  if (f->length == 0) return SQLITE_OK;
  int rc = real_methods(f)->xWrite(f->real, f->data, static_cast<int>(f->length), f->offset);
  // Written or not, the bytes leave the buffer: after a failed write SQLite rolls the commit
  // back, and those frames must not reach the file later.
  f->length = 0;
  return rc;
}

int x_close(sqlite3_file* file) {
  File* f = as_file(file);
  int rc = write_out(f);
  int closed = real_methods(f)->xClose(f->real);
  std::free(f->data);
  f->data = nullptr;
  return rc != SQLITE_OK ? rc : closed;
}

int x_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  File* f = as_file(file);
  if (f->length > 0 && offset < f->offset + static_cast<sqlite3_int64>(f->length) &&
      offset + amount > f->offset) {
    if (int rc = write_out(f); rc != SQLITE_OK) return rc;
  }
  return real_methods(f)->xRead(f->real, out, amount, offset);
}

int x_write(sqlite3_file* file, const void* in, int amount, sqlite3_int64 offset) {
  File* f = as_file(file);
  if (!f->wal) return real_methods(f)->xWrite(f->real, in, amount, offset);
  auto n = static_cast<size_t>(amount);
  bool follows = f->length > 0 && offset == f->offset + static_cast<sqlite3_int64>(f->length);
  if (!follows || f->length + n > kWalWriteBufferBytes) {
    // Not the next bytes (a frame rewritten in place, a new header), or no room: what is
    // gathered goes first, so that the file sees the writes in their order.
    if (int rc = write_out(f); rc != SQLITE_OK) return rc;
    if (n > kWalWriteBufferBytes) return real_methods(f)->xWrite(f->real, in, amount, offset);
    f->offset = offset;
  }
  std::memcpy(f->data + f->length, in, n);
  f->length += n;
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  File* f = as_file(file);
  if (int rc = write_out(f); rc != SQLITE_OK) return rc;
  return real_methods(f)->xTruncate(f->real, size);
}

int x_sync(sqlite3_file* file, int flags) {
  File* f = as_file(file);
  if (int rc = write_out(f); rc != SQLITE_OK) return rc;
  return real_methods(f)->xSync(f->real, flags);
}

int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  File* f = as_file(file);
  if (int rc = write_out(f); rc != SQLITE_OK) return rc;
  return real_methods(f)->xFileSize(f->real, size);
}

int x_lock(sqlite3_file* file, int level) {
  return real_methods(as_file(file))->xLock(as_file(file)->real, level);
}
int x_unlock(sqlite3_file* file, int level) {
  return real_methods(as_file(file))->xUnlock(as_file(file)->real, level);
}
int x_check_reserved_lock(sqlite3_file* file, int* out) {
  return real_methods(as_file(file))->xCheckReservedLock(as_file(file)->real, out);
}
int x_file_control(sqlite3_file* file, int op, void* arg) {
  File* f = as_file(file);
  // Some controls size or move the file (size hints, persist-WAL, ...): the file is made whole
  // first.
  if (int rc = write_out(f); rc != SQLITE_OK) return rc;
  return real_methods(f)->xFileControl(f->real, op, arg);
}
int x_sector_size(sqlite3_file* file) {
  return real_methods(as_file(file))->xSectorSize(as_file(file)->real);
}
int x_device_characteristics(sqlite3_file* file) {
  return real_methods(as_file(file))->xDeviceCharacteristics(as_file(file)->real);
}
int x_shm_map(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  return real_methods(as_file(file))->xShmMap(as_file(file)->real, page, size, extend, out);
}
int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  return real_methods(as_file(file))->xShmLock(as_file(file)->real, offset, n, flags);
}
void x_shm_barrier(sqlite3_file* file) {
  real_methods(as_file(file))->xShmBarrier(as_file(file)->real);
}
int x_shm_unmap(sqlite3_file* file, int delete_flag) {
  return real_methods(as_file(file))->xShmUnmap(as_file(file)->real, delete_flag);
}
int x_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  File* f = as_file(file);
  if (int rc = write_out(f); rc != SQLITE_OK) return rc;
  return real_methods(f)->xFetch(f->real, offset, amount, out);
}
int x_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* p) {
  return real_methods(as_file(file))->xUnfetch(as_file(file)->real, offset, p);
}

const sqlite3_io_methods kMethods = {3,
                                     x_close,
                                     x_read,
                                     x_write,
                                     x_truncate,
                                     x_sync,
                                     x_file_size,
                                     x_lock,
                                     x_unlock,
                                     x_check_reserved_lock,
                                     x_file_control,
                                     x_sector_size,
                                     x_device_characteristics,
                                     x_shm_map,
                                     x_shm_lock,
                                     x_shm_barrier,
                                     x_shm_unmap,
                                     x_fetch,
                                     x_unfetch};

int x_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  File* f = as_file(file);
  f->base.pMethods = nullptr;
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kFileBytes);
  f->wal = (flags & SQLITE_OPEN_WAL) != 0;
  f->data = nullptr;
  f->length = 0;
  f->offset = 0;
  auto* wrapped = static_cast<sqlite3_vfs*>(vfs->pAppData);
  int rc = wrapped->xOpen(wrapped, name, f->real, flags, out_flags);
  // SQLite closes a file whose methods are set even when opening it failed: ours pass it on.
  if (!f->real->pMethods) return rc;
  static sqlite3_io_methods by_version[4];  // the wrapped file's methods may be older
  static std::once_flag once;
  std::call_once(once, [] {
    for (int v = 1; v <= 3; ++v) {
      by_version[v] = kMethods;
      by_version[v].iVersion = v;
    }
  });
  int version = f->real->pMethods->iVersion;
  f->base.pMethods = &by_version[version < 1 ? 1 : (version > 3 ? 3 : version)];
  if (rc != SQLITE_OK) return rc;
  if (f->wal && !(f->data = static_cast<char*>(std::malloc(kWalWriteBufferBytes)))) {
    f->real->pMethods->xClose(f->real);
    f->base.pMethods = nullptr;
    return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

// Everything but opening a file is the wrapped VFS's own.
int x_delete(sqlite3_vfs* v, const char* name, int sync_dir) {
  auto* w = static_cast<sqlite3_vfs*>(v->pAppData);
  return w->xDelete(w, name, sync_dir);
}
int x_access(sqlite3_vfs* v, const char* name, int flags, int* out) {
  auto* w = static_cast<sqlite3_vfs*>(v->pAppData);
  return w->xAccess(w, name, flags, out);
}
int x_full_pathname(sqlite3_vfs* v, const char* name, int n, char* out) {
  auto* w = static_cast<sqlite3_vfs*>(v->pAppData);
  return w->xFullPathname(w, name, n, out);
}
void* x_dl_open(sqlite3_vfs* v, const char* name) {
  auto* w = static_cast<sqlite3_vfs*>(v->pAppData);
  return w->xDlOpen(w, name);
}
void x_dl_error(sqlite3_vfs* v, int n, char* out) {
  auto* w = static_cast<sqlite3_vfs*>(v->pAppData);
  w->xDlError(w, n, out);
}
void (*x_dl_sym(sqlite3_vfs* v, void* handle, const char* symbol))(void) {
  auto* w = static_cast<sqlite3_vfs*>(v->pAppData);
  return w->xDlSym(w, handle, symbol);
}
void x_dl_close(sqlite3_vfs* v, void* handle) {
  auto* w = static_cast<sqlite3_vfs*>(v->pAppData);
  w->xDlClose(w, handle);
}
int x_randomness(sqlite3_vfs* v, int n, char* out) {
  auto* w = static_cast<sqlite3_vfs*>(v->pAppData);
  return w->xRandomness(w, n, out);
}
int x_sleep(sqlite3_vfs* v, int microseconds) {
  auto* w = static_cast<sqlite3_vfs*>(v->pAppData);
  return w->xSleep(w, microseconds);
}
int x_current_time(sqlite3_vfs* v, double* out) {
  auto* w = static_cast<sqlite3_vfs*>(v->pAppData);
  return w->xCurrentTime(w, out);
}
int x_get_last_error(sqlite3_vfs* v, int n, char* out) {
  auto* w = static_cast<sqlite3_vfs*>(v->pAppData);
  return w->xGetLastError ? w->xGetLastError(w, n, out) : 0;
}
int x_current_time_int64(sqlite3_vfs* v, sqlite3_int64* out) {
  auto* w = static_cast<sqlite3_vfs*>(v->pAppData);
  return w->xCurrentTimeInt64(w, out);
}

}  // namespace

const char* wal_write_buffer_vfs() {
  static const char* kName = "kyc-wal-write-buffer";
  static std::once_flag once;
  std::call_once(once, [] {
    static sqlite3_vfs vfs{};
    sqlite3_vfs* wrapped = sqlite3_vfs_find(nullptr);  // the default (unix) VFS
    vfs.iVersion = 2;
    // Room for our struct, then the wrapped file.
    vfs.szOsFile = static_cast<int>(kFileBytes) + wrapped->szOsFile;
    vfs.mxPathname = wrapped->mxPathname;
    vfs.zName = kName;
    vfs.pAppData = wrapped;
    vfs.xOpen = x_open;
    vfs.xDelete = x_delete;
    vfs.xAccess = x_access;
    vfs.xFullPathname = x_full_pathname;
    vfs.xDlOpen = x_dl_open;
    vfs.xDlError = x_dl_error;
    vfs.xDlSym = x_dl_sym;
    vfs.xDlClose = x_dl_close;
    vfs.xRandomness = x_randomness;
    vfs.xSleep = x_sleep;
    vfs.xCurrentTime = x_current_time;
    vfs.xGetLastError = x_get_last_error;
    vfs.xCurrentTimeInt64 = x_current_time_int64;
    sqlite3_vfs_register(&vfs, 0);
  });
  return kName;
}

}  // namespace kyc::store::sqlite
