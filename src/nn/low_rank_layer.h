// A linear layer factored into two thin ones, W ≈ B·A (low-rank factorization):
//   weight_a  F32 [rank, in]   applied first
//   weight_b  F32 [rank → out] as [out, rank]
//   bias      F32 [out]
// y = (x·Aᵀ)·Bᵀ + b costs rank·(in + out) multiply-adds per row instead of in·out. The factors
// are parameters, so fine-tuning trains them.
#pragma once

#include "nn/compressible_layer.h"

namespace qz::nn {

class LowRankLayer : public CompressibleLayer {
 public:
  // a: [rank, in], b: [out, rank], bias [out] or undefined.
  LowRankLayer(torch::Tensor a, torch::Tensor b, torch::Tensor bias);
  // An empty layer shaped for a stored scheme ({"format": "lowrank", "rank": r}).
  static std::shared_ptr<LowRankLayer> for_scheme(const nlohmann::json& scheme,
                                                  const CompressibleLayer& dense);

  torch::Tensor forward(const torch::Tensor& x) override;
  LayerKind kind() const override { return LayerKind::Linear; }
  int64_t in_features() const override { return a_.size(1); }
  int64_t out_features() const override { return b_.size(0); }
  torch::Tensor dense_weight() const override;
  torch::Tensor dense_bias() const override { return bias_; }
  nlohmann::json scheme() const override { return {{"format", "lowrank"}, {"rank", rank()}}; }
  int64_t weight_bytes() const override { return (a_.numel() + b_.numel()) * 4; }

  int64_t rank() const { return a_.size(0); }
  const torch::Tensor& factor_a() const { return a_; }  // [rank, in]
  const torch::Tensor& factor_b() const { return b_; }  // [out, rank]

 private:
  torch::Tensor a_, b_, bias_;
};

// Registers the "lowrank" format with the model-file reader.
void register_low_rank_format();

}  // namespace qz::nn
