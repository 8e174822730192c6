#include "kernels/epilogue.h"

#include <cmath>

namespace qz::kernels {

std::string activation_name(Activation a) {
  switch (a) {
    case Activation::None:
      return "none";
    case Activation::Relu:
      return "relu";
    case Activation::Gelu:
      return "gelu";
    case Activation::Silu:
      return "silu";
  }
  return "?";
}

float activate(float v, Activation a) {
  switch (a) {
    case Activation::None:
      return v;
    case Activation::Relu:
      return v > 0.0f ? v : 0.0f;
    case Activation::Gelu:
      return 0.5f * v * (1.0f + std::erf(v * 0.70710678118654752f));
    case Activation::Silu:
      return v / (1.0f + std::exp(-v));
  }
  return v;
}

void apply_epilogue(const Epilogue& e, float* y, int64_t rows, int64_t ld, int64_t n0, int64_t n1) {
  for (int64_t r = 0; r < rows; ++r) {
    float* row = y + r * ld;
    if (e.bias != nullptr)
      for (int64_t n = n0; n < n1; ++n) row[n] += e.bias[n];
    switch (e.activation) {
      case Activation::None:
        break;
      case Activation::Relu:
        for (int64_t n = n0; n < n1; ++n) row[n] = row[n] > 0.0f ? row[n] : 0.0f;
        break;
      default:
        for (int64_t n = n0; n < n1; ++n) row[n] = activate(row[n], e.activation);
    }
  }
}

}  // namespace qz::kernels
