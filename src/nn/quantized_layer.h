// A linear or conv2d layer whose weight lives only in packed form (bytes in memory = bytes on
// disk, no hidden FP32 copy; the one exception, int8 codes reordered for the AVX-512 VNNI
// kernel at the first forward on such a CPU, is N·K bytes and is never saved) and computes
// through kernels/. Tensors, named after the
// compressed-tensors conventions:
//   weight              F16/BF16/I8/F8 codes [N, K]   (formats with one code per element)
//   weight_packed       U8 [N, ceil(K/2)]             (int4, nf4: two codes per byte)
//   weight_scale        F16 [N, 1] (int8, fp8: per channel) or [N, G] (int4, nf4: per group);
//                       scales are rounded to FP16 before the codes are chosen
//   weight_zero_point   U8 [N, G] (int4 asymmetric) or F16 [N, G] (int4-f16zero: HQQ's
//                       fractional zero points)
//   input_scale, input_zero_point  F32 [1], I32 [1]   (int8 static: calibrated activations)
//   bias                F32 [N]
// K is in·k·k for a conv (weights flattened per output channel).
// Activations: weight-only formats run FP32 activations through kernels/matmul (decode fused
// into the product); int8-dynamic quantizes activations per row at run time, int8-static with
// the calibrated input grid, both through the u8×s8 integer GEMM (kernels/gemm_u8s8). A conv is
// im2col followed by the same kernels; the bias is applied in the kernels' epilogue.
#pragma once

#include "core/group_quant.h"
#include "kernels/format_table.h"
#include "kernels/gemm_q4_u8/gemm_q4_u8.h"
#include "kernels/gemm_u8s8/vnni_packed_weights.h"
#include "nn/compressible_layer.h"
#include "nn/model.h"

namespace qz::nn {

enum class ActivationQuant { None, DynamicInt8, StaticInt8 };

struct QuantizeOptions {
  kernels::WeightFormat format = kernels::WeightFormat::I8;
  ActivationQuant activations = ActivationQuant::None;
  int64_t group = 128;           // grouped formats (options_for_method gives each its default)
  std::string range = "minmax";  // minmax | percentile | mse (integer formats)
  double percentile = 99.99;
  float input_scale = 1.0f;  // static activations
  int32_t input_zero_point = 0;
  int bits = 0;  // grid bits when fewer than the storage's (int4 storage of 2–3-bit GPTQ codes)
};

class QuantizedLayer : public CompressibleLayer {
 public:
  // Quantizes a dense layer.
  static std::shared_ptr<QuantizedLayer> quantize(const CompressibleLayer& dense,
                                                  const QuantizeOptions& options);
  // A layer holding codes another algorithm chose (GPTQ, AWQ, HQQ) on `kind` grids of `bits`
  // bits: 2–4 bits are stored as int4 nibbles (int4-sym when the grid is 4-bit symmetric,
  // int4-f16zero when the codes carry fractional zero points, int4-asym with explicit zero
  // points otherwise), 5–8 bits as int8 codes with one scale per
  // row (`codes` must then have group = K and a symmetric signed grid).
  static std::shared_ptr<QuantizedLayer> from_codes(const CompressibleLayer& dense,
                                                    const GroupCodes& codes, GridKind kind,
                                                    int bits);
  // An empty layer shaped for `scheme` (a model file's quantization_config entry), to be
  // filled by loading; `dense` gives kind, shape and geometry.
  static std::shared_ptr<QuantizedLayer> for_scheme(const nlohmann::json& scheme,
                                                    const CompressibleLayer& dense);

  torch::Tensor forward(const torch::Tensor& x) override;
  LayerKind kind() const override { return kind_; }
  int64_t in_features() const override { return in_; }
  int64_t out_features() const override { return out_; }
  ConvGeometry geometry() const override { return geometry_; }
  torch::Tensor dense_weight() const override;
  torch::Tensor dense_bias() const override { return bias_; }
  nlohmann::json scheme() const override;
  int64_t weight_bytes() const override;
  std::vector<std::pair<std::string, io::Dtype>> file_dtypes() const override;
  void after_load(const std::string& where) override;

  const QuantizeOptions& options() const { return options_; }
  // The kernel this layer runs on the active ISA, named <activations>_<weights>_<output>_<op>__
  // <isa> (e.g. f32_nf4g64_f32_matmul__avx512); "__ref" where it lands on the scalar reference.
  std::string kernel_name() const;
  // Why the layer runs the scalar reference on a CPU with vector kernels; empty when it does not.
  std::string reference_reason() const;
  kernels::PackedWeightView view() const;

 private:
  QuantizedLayer(const CompressibleLayer& dense, const QuantizeOptions& options);
  void allocate();
  // Copies a format's stored bytes (codes, scales, zero points) into the allocated buffers.
  void store(const kernels::StoredWeights& s);
  void copy_bias(const CompressibleLayer& dense);
  torch::Tensor matmul(const torch::Tensor& x2d);  // [M, K] → [M, N] + bias
  // What the integer GEMMs derive from the weights once: int8 row sums and f32 scales, or
  // int4-dynamic's zero-point row offsets (kernels::q4_row_offsets).
  void prepare_int8();
  kernels::Q4Weights q4_weights() const;  // int4-dynamic's view, row offsets not set
  // The codes in the VNNI layout, packed on the first GEMM where the CPU runs that kernel.
  const kernels::VnniPackedWeights* packed_int8();
  // Says once on stderr (per reason, per process) that this layer runs the scalar reference.
  void warn_if_reference();

  LayerKind kind_;
  ConvGeometry geometry_;
  int64_t in_ = 0, out_ = 0, k_ = 0;
  QuantizeOptions options_;
  torch::Tensor codes_, scales_, zeros_, bias_, input_scale_, input_zero_point_;
  torch::Tensor row_sums_, float_scales_;  // derived on first int8 use (prepare_int8); not saved
  kernels::VnniPackedWeights packed_;      // derived on first use by the VNNI kernel; not saved
  bool warned_ = false;                    // warn_if_reference ran
};

// The kernel each quantized layer of `model` runs on the active ISA, with the reason where that
// is the scalar reference (layers of other kinds are left out).
struct LayerKernel {
  std::string layer, kernel, reference_reason;
};
std::vector<LayerKernel> quantized_layer_kernels(const Model& model);

// Scheme name → options ("int4" with sym/asym, "int8-dynamic", ...). InputError for unknown names.
QuantizeOptions options_for_method(const std::string& method, int64_t group, bool symmetric);

// Registers the loader of every quantized scheme format with the model-file reader.
void register_quantized_formats();

}  // namespace qz::nn
