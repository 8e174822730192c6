// Dense FP32 linear and conv2d layers: what training produces and every pass starts from.
#pragma once

#include "nn/compressible_layer.h"

namespace qz::nn {

class DenseLinear : public CompressibleLayer {
 public:
  DenseLinear(int64_t in, int64_t out, bool bias = true);
  // Wraps given tensors (weight [out,in], bias [out] or undefined) as parameters.
  DenseLinear(torch::Tensor weight, torch::Tensor bias);

  torch::Tensor forward(const torch::Tensor& x) override;
  LayerKind kind() const override { return LayerKind::Linear; }
  int64_t in_features() const override { return weight_.size(1); }
  int64_t out_features() const override { return weight_.size(0); }
  torch::Tensor dense_weight() const override { return weight_; }
  torch::Tensor dense_bias() const override { return bias_; }
  bool is_dense() const override { return true; }
  nlohmann::json scheme() const override { return {{"format", "fp32"}}; }
  int64_t weight_bytes() const override { return weight_.numel() * 4; }

 private:
  torch::Tensor single_row(const torch::Tensor& x);

  torch::Tensor weight_, bias_;
};

class DenseConv2d : public CompressibleLayer {
 public:
  DenseConv2d(int64_t in, int64_t out, ConvGeometry geometry, bool bias = true);
  DenseConv2d(torch::Tensor weight, torch::Tensor bias, ConvGeometry geometry);

  torch::Tensor forward(const torch::Tensor& x) override;
  LayerKind kind() const override { return LayerKind::Conv2d; }
  int64_t in_features() const override { return weight_.size(1); }
  int64_t out_features() const override { return weight_.size(0); }
  ConvGeometry geometry() const override { return geometry_; }
  torch::Tensor dense_weight() const override { return weight_; }
  torch::Tensor dense_bias() const override { return bias_; }
  bool is_dense() const override { return true; }
  nlohmann::json scheme() const override { return {{"format", "fp32"}}; }
  int64_t weight_bytes() const override { return weight_.numel() * 4; }

 private:
  torch::Tensor weight_, bias_;
  ConvGeometry geometry_;
};

}  // namespace qz::nn
