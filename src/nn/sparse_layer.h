// A pruned linear or conv2d layer stored compactly (the file shrinks with the sparsity):
//   weight_mask    U8 [N, ceil(K/8)]  bit c % 8 of byte c / 8 set when column c is kept
//   weight_values  F32 [nnz]          the kept weights, row-major
//   bias           F32 [N]
// K is in·k·k for a conv. The scheme records the pattern ("unstructured" or "N:M", at most N
// kept in every M consecutive columns of a row), checked when a file loads.
//
// Latency, honestly: the bitmask kernel (kernels/sparse) reads 4·density + 1/8 bytes per
// weight, which wins where the product is bound by weight traffic (few activation rows). With
// many rows the product is bound by arithmetic and the dense FP32 model catches up; measured
// on the built-in MLP at 80% sparsity (`quantize bench`, 2 cores): 4.4x faster than FP32 at
// batch 1, 2.5x at 8, even at 32, 1.45x slower at 128. Expanding the weight into a temporary
// dense matrix for BLAS cost more than that (LibTorch's masked_scatter: 1.4 ms at batch 32),
// so the kernel runs at every batch size.
#pragma once

#include "nn/compressible_layer.h"

namespace qz::nn {

class SparseLayer : public CompressibleLayer {
 public:
  // Packs `dense`'s weight, keeping the entries where `keep` (bool, the weight's shape) is set.
  // `pattern` is "unstructured" or "N:M" (recorded, and checked against `keep`).
  static std::shared_ptr<SparseLayer> pack(const CompressibleLayer& dense,
                                           const torch::Tensor& keep, const std::string& pattern);
  // An empty layer shaped for a stored scheme, to be filled by loading.
  static std::shared_ptr<SparseLayer> for_scheme(const nlohmann::json& scheme,
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
  void after_load(const std::string& where) override;

  int64_t nnz() const { return values_.numel(); }
  // The kept positions as a bool tensor of the weight's shape.
  torch::Tensor keep_mask() const;

 private:
  SparseLayer(const CompressibleLayer& dense, std::string pattern, int64_t nnz);
  torch::Tensor matmul(const torch::Tensor& rows);
  void derive_offsets();

  LayerKind kind_;
  ConvGeometry geometry_;
  int64_t in_ = 0, out_ = 0, k_ = 0;
  std::string pattern_;
  torch::Tensor mask_, values_, bias_;
  std::vector<int64_t> offsets_;  // derived from the mask (kernels::sparse_row_offsets)
};

// Registers the "sparse" format with the model-file reader.
void register_sparse_format();

}  // namespace qz::nn
