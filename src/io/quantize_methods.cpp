#include "io/quantize_methods.h"

#include "core/error.h"

namespace qz::io {

using kernels::WeightFormat;

int64_t QuantizeMethod::group_for(int64_t requested) const {
  if (!kernels::is_grouped_format(format)) return 0;
  const int64_t fixed = kernels::layout(format).fixed_group;
  QZ_CHECK(fixed == 0 || requested == 0 || requested == fixed,
           "[quantize] {} blocks are {} weights by definition: group {} does not apply", name,
           fixed, requested);
  if (fixed > 0) return fixed;
  return requested > 0 ? requested : default_group;
}

const std::vector<QuantizeMethod>& quantize_method_rows() {
  static const std::vector<QuantizeMethod> rows = {
      {"fp16", WeightFormat::F16, WeightFormat::F16, "none", 0, {}, "fp32", "FP16 weights"},
      {"bf16", WeightFormat::BF16, WeightFormat::BF16, "none", 0, {}, "fp32", "BF16 weights"},
      {"fp8-e4m3",
       WeightFormat::E4M3,
       WeightFormat::E4M3,
       "none",
       0,
       {},
       "int8",
       "FP8 E4M3 weights, an FP16 scale per output channel"},
      {"fp8-e5m2",
       WeightFormat::E5M2,
       WeightFormat::E5M2,
       "none",
       0,
       {},
       "int8",
       "FP8 E5M2 weights, an FP16 scale per output channel"},
      {"int8",
       WeightFormat::I8,
       WeightFormat::I8,
       "none",
       0,
       {},
       "fp16",
       "int8 weights per channel, FP32 activations"},
      {"int8-dynamic",
       WeightFormat::I8,
       WeightFormat::I8,
       "int8-dynamic",
       0,
       {},
       "fp16",
       "int8 weights per channel, activations quantized per row at run time"},
      {"int8-static",
       WeightFormat::I8,
       WeightFormat::I8,
       "int8-static",
       0,
       {},
       "fp16",
       "int8 weights per channel, activations on a grid calibrated on --data"},
      {"int4",
       WeightFormat::Q4Asym,
       WeightFormat::Q4Sym,
       "none",
       128,
       {32, 64, 128, 256},
       "int8",
       "int4 weights in groups, FP32 activations"},
      {"int4-dynamic",
       WeightFormat::Q4Asym,
       WeightFormat::Q4Sym,
       "int8-dynamic",
       128,
       {128},
       "int8-dynamic",
       "int4 weights in groups, int8 activations per row (W4A8)"},
      {"nf4",
       WeightFormat::NF4,
       WeightFormat::NF4,
       "none",
       64,
       {64, 128, 256},
       "int8",
       "NF4 codebook weights, an FP16 absmax per block"},
      {"mxfp4",
       WeightFormat::MXFP4,
       WeightFormat::MXFP4,
       "none",
       32,
       {},
       "int8",
       "MXFP4 (OCP MX v1.0): E2M1 weights, an E8M0 power-of-two scale per 32"},
  };
  return rows;
}

const QuantizeMethod* find_quantize_method(std::string_view name) {
  for (const QuantizeMethod& m : quantize_method_rows())
    if (m.name == name) return &m;
  return nullptr;
}

const std::vector<std::string>& quantize_methods() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const QuantizeMethod& m : quantize_method_rows()) n.push_back(m.name);
    return n;
  }();
  return names;
}

}  // namespace qz::io
