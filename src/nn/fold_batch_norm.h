// Folding eval-mode BatchNorm into the layer before it: BN(W·x + b) = W'·x + b' with
//   W'[o] = W[o]·γ[o]/√(σ²[o]+ε)   b'[o] = (b[o] − μ[o])·γ[o]/√(σ²[o]+ε) + β[o]
// per output channel o, for a linear ([out, in]) or conv ([out, in, k, k]) weight. The CNN's
// conv → BN → ReLU stages become conv (+ReLU in its epilogue): one layer instead of three
// passes over each activation map.
#pragma once

#include <torch/torch.h>

#include <utility>

#include "nn/model.h"

namespace qz::nn {

// (W', b') for `weight` and `bias` (undefined: zero) followed by `norm` in eval mode.
std::pair<torch::Tensor, torch::Tensor> fold_norm_into(const torch::Tensor& weight,
                                                       const torch::Tensor& bias,
                                                       const torch::nn::BatchNorm2dImpl& norm);
std::pair<torch::Tensor, torch::Tensor> fold_norm_into(const torch::Tensor& weight,
                                                       const torch::Tensor& bias,
                                                       const torch::nn::BatchNorm1dImpl& norm);

// Whether `model` has norms that fold_batch_norms would fold.
bool has_foldable_norms(const Model& model);

// `model` with every BatchNorm folded into the conv before it (config "batch_norm": false), in
// eval mode; the other layers are shared with `model`. InputError when a conv with a norm is no
// longer FP32 (fold before compressing). Returns nullptr when there is nothing to fold.
ModelPtr fold_batch_norms(const Model& model);

}  // namespace qz::nn
