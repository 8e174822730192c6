#include "nn/max_pool.h"

#include "kernels/pool/max_pool.h"

namespace qz::nn {

torch::Tensor max_pool2x2(const torch::Tensor& x) {
  const bool recording = torch::GradMode::is_enabled() && x.requires_grad();
  // Torch's op also gives the error for a plane too small to pool.
  if (recording || x.dim() != 4 || x.scalar_type() != torch::kFloat || x.size(2) < 2 ||
      x.size(3) < 2)
    return torch::max_pool2d(x, 2);
  const torch::Tensor in = x.contiguous();
  const int64_t h = x.size(2), w = x.size(3);
  torch::Tensor y = torch::empty({x.size(0), x.size(1), h / 2, w / 2}, x.options());
  kernels::max_pool2x2(in.data_ptr<float>(), x.size(0) * x.size(1), h, w, y.data_ptr<float>());
  return y;
}

}  // namespace qz::nn
