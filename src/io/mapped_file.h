// A read-only view of a file's bytes, for the readers that validate whole files before handing
// anything out (safetensors, GGUF): the file mapped with mmap, or an in-memory image (fuzzers,
// tests). Copies share the mapping; it is unmapped when the last one goes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace qz::io {

class MappedFile {
 public:
  MappedFile() = default;
  // Maps `path`; InputError "<tag> <path>: cannot open / not a regular file / mmap failed".
  static MappedFile open(const std::string& path, const std::string& tag);
  static MappedFile from_bytes(std::vector<std::byte> bytes);

  const std::byte* data() const { return data_; }
  uint64_t size() const { return size_; }

 private:
  struct Mapping;
  std::shared_ptr<Mapping> mapping_;
  const std::byte* data_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace qz::io
