// The safetensors element types and their sizes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace qz::io {

enum class Dtype {
  BOOL,
  U8,
  I8,
  F8_E5M2,
  F8_E4M3,
  I16,
  U16,
  F16,
  BF16,
  I32,
  U32,
  F32,
  F64,
  I64,
  U64
};

// Bytes per element.
size_t dtype_size(Dtype dtype);
// The safetensors spelling ("F32", "BF16", ...).
std::string_view dtype_name(Dtype dtype);
// Parses the safetensors spelling; nullopt for an unknown name.
std::optional<Dtype> parse_dtype(std::string_view name);
// Comma-separated list of every name, for error messages.
std::string all_dtype_names();

}  // namespace qz::io
