// GGUF files (llama.cpp's model format), read torch-free: "GGUF", version (2 or 3), tensor and
// key-value counts, typed key-value metadata (scalars, strings, arrays of either), tensor infos
// (name, dims innermost first, ggml type, offset), then the aligned data blob. The reader maps
// the file and validates it whole before handing anything out: every length against the bytes
// left, keys and tensor names unique, alignment a power of two, every tensor's bytes (from its
// ggml type's block size) inside the file, aligned and not overlapping another.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "io/mapped_file.h"

namespace qz::io {

// Value types as GGUF numbers them.
enum class GgufType : uint32_t {
  U8 = 0,
  I8 = 1,
  U16 = 2,
  I16 = 3,
  U32 = 4,
  I32 = 5,
  F32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  U64 = 10,
  I64 = 11,
  F64 = 12,
};
const char* gguf_type_name(GgufType type);

// One metadata value: a scalar, or an array of one scalar type (arrays of arrays are refused).
struct GgufValue {
  GgufType type = GgufType::U8;
  GgufType element_type = GgufType::U8;  // arrays
  std::vector<std::string> strings;      // String, or the elements of an array of strings
  std::vector<int64_t> ints;             // integer and Bool types (U64 values below 2^63)
  std::vector<double> floats;            // F32 and F64
  bool is_array() const { return type == GgufType::Array; }
  GgufType scalar_type() const { return is_array() ? element_type : type; }
  size_t size() const;  // elements (1 for a scalar)
};

struct GgufKeyValue {
  std::string key;
  GgufValue value;
};

struct GgufTensor {
  std::string name;
  std::vector<int64_t> dims;  // ggml order: dims[0] is the innermost (contiguous) dimension
  uint32_t ggml_type = 0;
  uint64_t offset = 0;  // absolute, in the file
  uint64_t nbytes = 0;
  int64_t numel() const;
};

// The ggml tensor types the reader knows the layout of (name, block size in elements, bytes per
// block); nullptr for any other.
struct GgmlTypeInfo {
  const char* name;
  int64_t block;
  int64_t block_bytes;
};
const GgmlTypeInfo* ggml_type_info(uint32_t type);

class GgufFile {
 public:
  // Opens and validates `path`; InputError naming the file and what is wrong.
  static GgufFile open(const std::string& path);
  // Validates an in-memory image (fuzzer, tests); `label` names it in errors.
  static GgufFile from_bytes(std::vector<std::byte> bytes, const std::string& label);
  // True when the file starts with the GGUF magic (without validating the rest).
  static bool has_magic(const std::string& path);

  const std::string& path() const { return path_; }
  uint32_t version() const { return version_; }
  uint64_t file_size() const { return size_; }
  uint64_t alignment() const { return alignment_; }
  const std::vector<GgufKeyValue>& metadata() const { return metadata_; }
  const std::vector<GgufTensor>& tensors() const { return tensors_; }

  const GgufValue* find(const std::string& key) const;
  // Typed reads; InputError naming the file and key when it is absent or of another type.
  std::string get_string(const std::string& key) const;
  int64_t get_int(const std::string& key) const;  // any integer type
  const std::vector<std::string>& get_strings(const std::string& key) const;
  const GgufTensor* find_tensor(const std::string& name) const;
  std::span<const std::byte> bytes(const GgufTensor& tensor) const;

 private:
  void parse();
  const GgufValue& require(const std::string& key, const char* expected) const;
  std::string path_;
  MappedFile mapped_;
  const std::byte* base_ = nullptr;
  uint64_t size_ = 0;
  uint32_t version_ = 0;
  uint64_t alignment_ = 32;
  std::vector<GgufKeyValue> metadata_;
  std::vector<GgufTensor> tensors_;
};

}  // namespace qz::io
