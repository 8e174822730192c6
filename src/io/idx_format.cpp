#include "io/idx_format.h"

#include <fmt/ranges.h>

#include "core/error.h"

namespace qz::io {
namespace {

constexpr int64_t kMaxDim = 1 << 24;

uint32_t read_be32(const std::string& b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) |
         (uint32_t(uint8_t(b[at + 2])) << 8) | uint32_t(uint8_t(b[at + 3]));
}

}  // namespace

IdxArray parse_idx(const std::string& bytes, const std::string& path) {
  QZ_CHECK(bytes.size() >= 4, "[idx] {}: file is {} bytes, too short for the 4-byte magic", path,
           bytes.size());
  QZ_CHECK(bytes[0] == 0 && bytes[1] == 0,
           "[idx] {} byte 0: wrong magic (expected two zero bytes, a type byte and a rank byte)",
           path);
  QZ_CHECK(uint8_t(bytes[2]) == 0x08,
           "[idx] {} byte 2: element type 0x{:02x} unsupported (expected 0x08, unsigned byte)",
           path, uint8_t(bytes[2]));
  const int rank = uint8_t(bytes[3]);
  QZ_CHECK(rank >= 1 && rank <= 4, "[idx] {} byte 3: rank {} unsupported (expected 1 to 4)", path,
           rank);
  const size_t header = 4 + 4 * static_cast<size_t>(rank);
  QZ_CHECK(bytes.size() >= header, "[idx] {}: truncated header ({} bytes, expected {})", path,
           bytes.size(), header);
  IdxArray out;
  uint64_t total = 1;
  for (int i = 0; i < rank; ++i) {
    const uint32_t dim = read_be32(bytes, 4 + 4 * i);
    QZ_CHECK(dim >= 1 && dim <= kMaxDim, "[idx] {} byte {}: dimension {} is {} (expected 1..{})",
             path, 4 + 4 * i, i, dim, kMaxDim);
    total *= dim;
    QZ_CHECK(total <= (uint64_t{1} << 34), "[idx] {}: array too large", path);
    out.dims.push_back(dim);
  }
  QZ_CHECK(bytes.size() - header == total,
           "[idx] {} byte {}: {} data bytes, expected {} for dimensions {} (truncated or padded)",
           path, header, bytes.size() - header, total, fmt::join(out.dims, "x"));
  out.data.assign(bytes.begin() + static_cast<ptrdiff_t>(header), bytes.end());
  return out;
}

}  // namespace qz::io
