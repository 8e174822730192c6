// The floating-point rows: FP32 (dense), FP16 and BF16 (one half per weight) and FP8 E4M3 /
// E5M2 (one byte per weight with an FP16 scale per output row that maps the row's absmax to the
// format's largest value).
#include <cmath>
#include <cstring>

#include "core/int_grid.h"
#include "core/minifloat.h"
#include "kernels/format_table.h"
#include "kernels/formats/row_bytes.h"

namespace qz::kernels {
namespace {

StoredWeights quantize_f32(std::span<const float> w, int64_t n, int64_t k,
                           const QuantizeSettings&) {
  StoredWeights s;
  s.codes.resize(static_cast<size_t>(n * k) * 4);
  std::memcpy(s.codes.data(), w.data(), s.codes.size());
  return s;
}

template <uint16_t (*Encode)(float)>
StoredWeights quantize_half(std::span<const float> w, int64_t n, int64_t k,
                            const QuantizeSettings&) {
  std::vector<uint16_t> codes(static_cast<size_t>(n * k));
  for (size_t i = 0; i < codes.size(); ++i) codes[i] = Encode(w[i]);
  return {formats::u16_bytes(codes), {}, {}};
}

template <MiniFloat F>
StoredWeights quantize_fp8(std::span<const float> w, int64_t n, int64_t k,
                           const QuantizeSettings&) {
  StoredWeights s;
  s.codes.resize(static_cast<size_t>(n * k));
  std::vector<uint16_t> scales(static_cast<size_t>(n));
  for (int64_t r = 0; r < n; ++r) {
    float absmax = 0;
    for (int64_t c = 0; c < k; ++c) absmax = std::fmax(absmax, std::fabs(w[r * k + c]));
    float scale = round_to_fp16(absmax / minifloat_max(F));
    if (!(scale > 0)) scale = 1.0f;
    scales[r] = float_to_fp16(scale);
    for (int64_t c = 0; c < k; ++c)
      s.codes[r * k + c] = static_cast<uint8_t>(encode_minifloat(w[r * k + c] / scale, F));
  }
  s.scales = formats::u16_bytes(scales);
  return s;
}

}  // namespace

const FormatRow& format_row_F32() {
  static const FormatRow row{WeightFormat::F32, "fp32", 0, false, {}, &quantize_f32};
  return row;
}

const FormatRow& format_row_F16() {
  static const FormatRow row{
      WeightFormat::F16, "fp16", 0, false, {}, &quantize_half<float_to_fp16>};
  return row;
}

const FormatRow& format_row_BF16() {
  static const FormatRow row{WeightFormat::BF16,           "bf16", 0, false, {},
                             &quantize_half<float_to_bf16>};
  return row;
}

const FormatRow& format_row_E4M3() {
  static const FormatRow row{
      WeightFormat::E4M3, "fp8-e4m3", 0, false, {}, &quantize_fp8<MiniFloat::E4M3>};
  return row;
}

const FormatRow& format_row_E5M2() {
  static const FormatRow row{
      WeightFormat::E5M2, "fp8-e5m2", 0, false, {}, &quantize_fp8<MiniFloat::E5M2>};
  return row;
}

}  // namespace qz::kernels
