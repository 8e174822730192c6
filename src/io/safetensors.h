// safetensors files: an 8-byte little-endian header length N, N bytes of JSON, then the data
// buffer. The reader maps the file read-only and validates it fully by the reference reader's
// rules (see REFERENCE.md) before handing out any tensor; the writer lays files out the way the
// reference writer does (largest dtype first then by name, header space-padded to a multiple of
// 8, tensors tiling the buffer from 0) and writes them atomically.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "io/dtype.h"
#include "io/mapped_file.h"

namespace qz::io {

// Bounds the reader enforces on untrusted files.
struct SafetensorsLimits {
  uint64_t max_header_bytes = 100'000'000;  // the reference reader's limit
  size_t max_tensors = 1'000'000;
  size_t max_rank = 16;
  size_t max_json_depth = 16;
};

struct TensorInfo {
  std::string name;
  Dtype dtype = Dtype::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // offsets into the data buffer, [begin, end)
  uint64_t end = 0;

  int64_t numel() const;
  uint64_t nbytes() const { return end - begin; }
};

// A validated, memory-mapped safetensors file. Tensors are listed in data-offset order.
class SafetensorsFile {
 public:
  // Opens and validates `path`; throws InputError naming the file and the offending field.
  static SafetensorsFile open(const std::string& path, const SafetensorsLimits& limits = {});
  // Validates an in-memory image (used by the fuzzer and tests); `label` names it in errors.
  static SafetensorsFile from_bytes(std::vector<std::byte> bytes, const std::string& label,
                                    const SafetensorsLimits& limits = {});

  const std::string& path() const { return path_; }
  uint64_t file_size() const { return size_; }
  uint64_t header_size() const { return header_size_; }
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  // The tensor named `name`, or nullptr.
  const TensorInfo* find(const std::string& name) const;
  // The tensor named `name`; throws InputError when the file has none.
  const TensorInfo& get(const std::string& name) const;
  // The tensor's bytes inside the mapping (valid while this object lives).
  std::span<const std::byte> bytes(const TensorInfo& tensor) const;

 private:
  void parse(const SafetensorsLimits& limits);

  std::string path_;
  MappedFile mapped_;
  const std::byte* base_ = nullptr;
  uint64_t size_ = 0;
  uint64_t header_size_ = 0;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, size_t> index_;
  std::map<std::string, std::string> metadata_;
};

// One tensor to write: the bytes are copied out when the file is written.
struct TensorData {
  std::string name;
  Dtype dtype = Dtype::F32;
  std::vector<int64_t> shape;
  std::vector<std::byte> bytes;
};

// Writes `tensors` and `metadata` to `path` atomically. Throws InputError on a name clash or a
// byte count that does not match the shape.
void write_safetensors(const std::string& path, const std::vector<TensorData>& tensors,
                       const std::map<std::string, std::string>& metadata);

// The exact bytes write_safetensors would write (for tests and in-memory round trips).
std::vector<std::byte> serialize_safetensors(const std::vector<TensorData>& tensors,
                                             const std::map<std::string, std::string>& metadata);

}  // namespace qz::io
