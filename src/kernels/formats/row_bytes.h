// Byte helpers the format rows share: values written in the little-endian layouts the model
// file stores (internal to kernels/formats/).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace qz::kernels::formats {

// 16-bit codes as their little-endian bytes.
inline std::vector<uint8_t> u16_bytes(const std::vector<uint16_t>& codes) {
  std::vector<uint8_t> out(codes.size() * 2);
  std::memcpy(out.data(), codes.data(), out.size());
  return out;
}

}  // namespace qz::kernels::formats
