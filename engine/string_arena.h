// Scratch storage for strings built during one evaluation (lower(), normalize_name()...).
// Chunks are kept across evaluations, so a warmed-up evaluator does not touch the heap.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace kyc::engine {

class StringArena {
 public:
  explicit StringArena(size_t chunk_bytes = 4096) : chunk_bytes_(chunk_bytes) {}

  std::string_view copy(std::string_view s);
  // Forget the strings of the previous evaluation; keeps the memory.
  void reset() {
    chunk_ = 0;
    used_ = 0;
  }

 private:
  size_t chunk_bytes_;
  struct Chunk {
    std::unique_ptr<char[]> bytes;
    size_t size;
  };
  std::vector<Chunk> chunks_;
  size_t chunk_ = 0;
  size_t used_ = 0;
};

}  // namespace kyc::engine
