#include "kernels/weight_format.h"

namespace qz::kernels {

std::string weight_format_name(WeightFormat f) {
  switch (f) {
    case WeightFormat::F32:
      return "fp32";
    case WeightFormat::F16:
      return "fp16";
    case WeightFormat::BF16:
      return "bf16";
    case WeightFormat::E4M3:
      return "fp8-e4m3";
    case WeightFormat::E5M2:
      return "fp8-e5m2";
    case WeightFormat::I8:
      return "int8";
    case WeightFormat::Q4Sym:
      return "int4-sym";
    case WeightFormat::Q4Asym:
      return "int4-asym";
    case WeightFormat::Q4F16Zero:
      return "int4-f16zero";
    case WeightFormat::NF4:
      return "nf4";
  }
  return "?";
}

int64_t PackedWeightView::row_bytes() const {
  switch (format) {
    case WeightFormat::F32:
      return k * 4;
    case WeightFormat::F16:
    case WeightFormat::BF16:
      return k * 2;
    case WeightFormat::E4M3:
    case WeightFormat::E5M2:
    case WeightFormat::I8:
      return k;
    case WeightFormat::Q4Sym:
    case WeightFormat::Q4Asym:
    case WeightFormat::Q4F16Zero:
    case WeightFormat::NF4:
      return (k + 1) / 2;
  }
  return 0;
}

}  // namespace qz::kernels
