#include "kernels/format_table.h"

#include <cmath>

#include "core/e8m0.h"
#include "core/error.h"
#include "core/minifloat.h"

namespace qz::kernels {
namespace {

const char* code_dtype(CodeKind c) {
  switch (c) {
    case CodeKind::F32:
      return "F32";
    case CodeKind::F16:
      return "F16";
    case CodeKind::BF16:
      return "BF16";
    case CodeKind::E4M3:
      return "F8_E4M3";
    case CodeKind::E5M2:
      return "F8_E5M2";
    case CodeKind::Int8:
      return "I8";
    case CodeKind::IntNibble:
    case CodeKind::CodebookNibble:
      return "U8";
  }
  return "U8";
}

void append_fp16(std::vector<uint8_t>& out, float v) {
  const uint16_t h = float_to_fp16(v);
  out.push_back(static_cast<uint8_t>(h & 0xFF));
  out.push_back(static_cast<uint8_t>(h >> 8));
}

// The E8M0 code of a power-of-two scale (exact for the scales MX quantizers choose).
uint8_t e8m0_code(float scale) {
  int exponent = 0;
  std::frexp(scale, &exponent);  // scale = 0.5·2^exponent for a power of two
  return e8m0_from_exponent(exponent - 1);
}

}  // namespace

std::vector<int64_t> StoredTensor::dims(int64_t n, int64_t k, int64_t groups) const {
  switch (shape) {
    case TensorShape::Codes:
      return {n, k};
    case TensorShape::Nibbles:
      return {n, (k + 1) / 2};
    case TensorShape::PerRow:
      return {n, 1};
    case TensorShape::PerGroup:
      return {n, groups};
  }
  return {};
}

std::vector<StoredTensor> stored_tensors(WeightFormat format) {
  const FormatLayout l = layout(format);
  std::vector<StoredTensor> t;
  if (is_nibble_format(format))
    t.push_back({"weight_packed", "U8", TensorShape::Nibbles});
  else
    t.push_back({"weight", code_dtype(l.codes), TensorShape::Codes});
  if (l.scales == ScaleKind::RowF16) t.push_back({"weight_scale", "F16", TensorShape::PerRow});
  if (l.scales == ScaleKind::GroupF16) t.push_back({"weight_scale", "F16", TensorShape::PerGroup});
  if (l.scales == ScaleKind::GroupE8M0) t.push_back({"weight_scale", "U8", TensorShape::PerGroup});
  if (l.zeros == ZeroKind::GroupU8) t.push_back({"weight_zero_point", "U8", TensorShape::PerGroup});
  if (l.zeros == ZeroKind::GroupF16)
    t.push_back({"weight_zero_point", "F16", TensorShape::PerGroup});
  return t;
}

int64_t stored_bytes(WeightFormat format, int64_t n, int64_t k, int64_t group) {
  const int64_t groups = is_grouped_format(format) && group > 0 ? (k + group - 1) / group : 1;
  int64_t bytes = 0;
  for (const StoredTensor& t : stored_tensors(format)) {
    int64_t count = 1;
    for (int64_t d : t.dims(n, k, groups)) count *= d;
    const int64_t element = t.dtype == "F32" ? 4 : (t.dtype == "F16" || t.dtype == "BF16") ? 2 : 1;
    bytes += count * element;
  }
  return bytes;
}

const std::vector<const FormatRow*>& all_format_rows() {
  static const std::vector<const FormatRow*> rows = [] {
#define QZ_FORMAT_ROW_PTR(F) &format_row_##F(),
    std::vector<const FormatRow*> r = {QZ_WEIGHT_FORMATS(QZ_FORMAT_ROW_PTR)};
#undef QZ_FORMAT_ROW_PTR
    for (size_t i = 0; i < r.size(); ++i)
      QZ_ASSERT(static_cast<size_t>(r[i]->format) == i, "format row {} ('{}') is out of order", i,
                r[i]->name);
    return r;
  }();
  return rows;
}

const FormatRow& format_row(WeightFormat format) {
  return *all_format_rows().at(static_cast<size_t>(format));
}

const FormatRow* find_format_row(std::string_view name) {
  for (const FormatRow* row : all_format_rows())
    if (row->name == name) return row;
  return nullptr;
}

std::string weight_format_name(WeightFormat f) {
  return format_row(f).name;
}

StoredWeights store_group_codes(WeightFormat format, const GroupCodes& g) {
  const FormatLayout l = layout(format);
  StoredWeights s;
  if (is_nibble_format(format))
    s.codes = pack_nibbles(g.codes, g.rows, g.cols);
  else
    s.codes = g.codes;
  for (float scale : g.scales) {
    if (l.scales == ScaleKind::GroupE8M0)
      s.scales.push_back(e8m0_code(scale));
    else
      append_fp16(s.scales, scale);
  }
  if (l.zeros == ZeroKind::GroupU8)
    for (int32_t z : g.zeros) s.zeros.push_back(static_cast<uint8_t>(z));
  if (l.zeros == ZeroKind::GroupF16)
    for (float z : g.fractional_zeros) append_fp16(s.zeros, z);
  return s;
}

}  // namespace qz::kernels
