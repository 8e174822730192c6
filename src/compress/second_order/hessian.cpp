#include "compress/second_order/hessian.h"

#include "core/error.h"
#include "nn/matmul_layer_forward.h"

namespace qz::compress {

InputHessian::InputHessian(int64_t columns)
    : sum_(torch::zeros({columns, columns}, torch::kFloat64)) {}

void InputHessian::add(const torch::Tensor& rows) {
  QZ_ASSERT(rows.dim() == 2 && rows.size(1) == sum_.size(0), "hessian rows shape");
  const auto x = rows.detach().to(torch::kFloat64);
  sum_.addmm_(x.t(), x);
  rows_ += rows.size(0);
}

torch::Tensor InputHessian::matrix() const {
  QZ_CHECK(rows_ > 0, "[calibrate] a layer saw no calibration inputs");
  return (sum_ * (2.0 / static_cast<double>(rows_))).to(torch::kFloat32);
}

torch::Tensor layer_input_rows(const nn::CompressibleLayer& layer, const torch::Tensor& x) {
  if (layer.kind() == nn::LayerKind::Conv2d) return nn::im2col_rows(layer, x);
  return x.reshape({-1, x.size(-1)});
}

InverseFactor damped_inverse_factor(torch::Tensor hessian, double damp) {
  torch::NoGradGuard guard;
  InverseFactor f;
  auto h = hessian.to(torch::kFloat64).clone();
  const int64_t k = h.size(0);
  auto diag = h.diagonal();
  f.dead = diag == 0;
  diag.masked_fill_(f.dead, 1.0);
  const double mean_diag = diag.mean().item<double>();
  double lambda = damp * mean_diag;
  if (!(lambda > 0)) lambda = 1e-8 * std::max(mean_diag, 1.0);
  const auto eye = torch::eye(k, torch::kFloat64);
  for (int attempt = 0; attempt < 7; ++attempt) {
    auto [lower, info] = torch::linalg_cholesky_ex(h + lambda * eye);
    if (info.item<int64_t>() == 0) {
      const auto inverse = torch::cholesky_inverse(lower);
      auto [upper, info2] = torch::linalg_cholesky_ex(inverse, /*upper=*/true);
      if (info2.item<int64_t>() == 0) {
        f.upper = upper.to(torch::kFloat32).contiguous();
        f.damping = lambda;
        return f;
      }
    }
    lambda *= 10;
  }
  throw InputError(
      "[calibrate] the layer's input Hessian is not positive definite even with heavy damping: "
      "use more calibration samples");
}

}  // namespace qz::compress
