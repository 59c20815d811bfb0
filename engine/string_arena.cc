#include "engine/string_arena.h"

#include <algorithm>
#include <cstring>

namespace kyc::engine {

std::string_view StringArena::copy(std::string_view s) {
  while (chunk_ < chunks_.size() && used_ + s.size() > chunks_[chunk_].size) {
    ++chunk_;
    used_ = 0;
  }
  if (chunk_ == chunks_.size()) {
    size_t size = std::max(chunk_bytes_, s.size());
    chunks_.push_back({std::make_unique<char[]>(size), size});
    used_ = 0;
  }
  char* dst = chunks_[chunk_].bytes.get() + used_;
  if (!s.empty()) std::memcpy(dst, s.data(), s.size());
  used_ += s.size();
  return {dst, s.size()};
}

}  // namespace kyc::engine
