#include "core/group_quant.h"

#include <algorithm>

#include "core/error.h"
#include "core/nf4.h"

namespace qz {

GroupCodes quantize_groups(std::span<const float> w, int64_t rows, int64_t cols, int64_t group,
                           GridKind kind, int bits, const RangeOptions& range,
                           float (*scale_rounding)(float)) {
  QZ_ASSERT(static_cast<int64_t>(w.size()) == rows * cols, "weight size");
  QZ_CHECK(group >= 1, "[quantize] group size must be positive, got {}", group);
  GroupCodes q;
  q.rows = rows;
  q.cols = cols;
  q.group = std::min(group, cols);
  const int64_t groups = q.groups();
  q.codes.resize(rows * cols);
  q.scales.resize(rows * groups);
  q.zeros.resize(rows * groups);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t g = 0; g < groups; ++g) {
      const int64_t begin = g * q.group, end = std::min(cols, begin + q.group);
      const auto values = w.subspan(r * cols + begin, end - begin);
      const IntGrid grid = choose_grid(values, kind, bits, range, scale_rounding);
      q.scales[r * groups + g] = grid.scale;
      q.zeros[r * groups + g] = grid.zero;
      for (int64_t c = begin; c < end; ++c)
        q.codes[r * cols + c] = static_cast<uint8_t>(grid.quantize(w[r * cols + c]));
    }
  }
  return q;
}

void dequantize_groups(const GroupCodes& q, GridKind kind, std::span<float> out) {
  const int64_t groups = q.groups();
  for (int64_t r = 0; r < q.rows; ++r)
    for (int64_t c = 0; c < q.cols; ++c) {
      const int64_t g = r * groups + c / q.group;
      const uint8_t code = q.codes[r * q.cols + c];
      const int32_t v = kind == GridKind::SymmetricSigned ? static_cast<int8_t>(code) : code;
      out[r * q.cols + c] = q.has_fractional_zeros()
                                ? (static_cast<float>(v) - q.fractional_zeros[g]) * q.scales[g]
                                : static_cast<float>(v - q.zeros[g]) * q.scales[g];
    }
}

GroupCodes quantize_nf4(std::span<const float> w, int64_t rows, int64_t cols, int64_t block) {
  QZ_CHECK(block >= 1, "[quantize] NF4 block size must be positive, got {}", block);
  GroupCodes q;
  q.rows = rows;
  q.cols = cols;
  q.group = std::min(block, cols);
  const int64_t groups = q.groups();
  q.codes.resize(rows * cols);
  q.scales.resize(rows * groups);
  q.zeros.assign(rows * groups, 0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t g = 0; g < groups; ++g) {
      const int64_t begin = g * q.group, end = std::min(cols, begin + q.group);
      float absmax = 0;
      for (int64_t c = begin; c < end; ++c) absmax = std::max(absmax, std::fabs(w[r * cols + c]));
      float scale = round_to_fp16(absmax);
      if (!(scale > 0)) scale = 1.0f;
      q.scales[r * groups + g] = scale;
      for (int64_t c = begin; c < end; ++c)
        q.codes[r * cols + c] = nf4_encode(w[r * cols + c] / scale);
    }
  return q;
}

void dequantize_nf4(const GroupCodes& q, std::span<float> out) {
  const int64_t groups = q.groups();
  for (int64_t r = 0; r < q.rows; ++r)
    for (int64_t c = 0; c < q.cols; ++c)
      out[r * q.cols + c] =
          nf4_decode(q.codes[r * q.cols + c]) * q.scales[r * groups + c / q.group];
}

std::vector<uint8_t> pack_nibbles(std::span<const uint8_t> codes, int64_t rows, int64_t cols) {
  const int64_t stride = (cols + 1) / 2;
  std::vector<uint8_t> packed(rows * stride, 0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      const uint8_t nibble = codes[r * cols + c] & 0xF;
      packed[r * stride + c / 2] |= static_cast<uint8_t>(c % 2 == 0 ? nibble : nibble << 4);
    }
  return packed;
}

std::vector<uint8_t> unpack_nibbles(std::span<const uint8_t> packed, int64_t rows, int64_t cols) {
  const int64_t stride = (cols + 1) / 2;
  std::vector<uint8_t> codes(rows * cols);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      const uint8_t byte = packed[r * stride + c / 2];
      codes[r * cols + c] = c % 2 == 0 ? (byte & 0xF) : (byte >> 4);
    }
  return codes;
}

}  // namespace qz
