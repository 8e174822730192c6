#include "nn/compressible_layer.h"

namespace qz::nn {

torch::Tensor CompressibleLayer::activate(torch::Tensor y) const {
  // In place would overwrite what autograd saved for SiLU's and GELU's backward.
  const bool in_place = !torch::GradMode::is_enabled() || !y.requires_grad();
  switch (activation_) {
    case kernels::Activation::None:
      return y;
    case kernels::Activation::Relu:
      return in_place ? y.relu_() : torch::relu(y);
    case kernels::Activation::Silu:
      return in_place ? torch::silu_(y) : torch::silu(y);
    case kernels::Activation::Gelu:
      return torch::gelu(y);  // exact erf form, as the kernels' epilogue
  }
  return y;
}

kernels::Epilogue CompressibleLayer::epilogue(const torch::Tensor& bias) const {
  kernels::Epilogue e;
  if (bias.defined()) e.bias = bias.data_ptr<float>();
  e.activation = activation_;
  return e;
}

}  // namespace qz::nn
