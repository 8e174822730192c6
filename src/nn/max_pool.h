// The 2×2 max-pool of a CNN stage, x [B, C, H, W] → [B, C, H/2, W/2]. In inference on FP32 it is
// our one-pass kernel (kernels/pool/max_pool.h), which the fused CNN stage runs straight after
// its conv's epilogue; with autograd recording it is torch::max_pool2d, whose backward training
// needs. Both give the same values.
#pragma once

#include <torch/torch.h>

namespace qz::nn {

torch::Tensor max_pool2x2(const torch::Tensor& x);

}  // namespace qz::nn
