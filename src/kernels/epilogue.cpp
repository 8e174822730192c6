#include "kernels/epilogue.h"

#include <bit>
#include <cmath>
#include <cstdint>

namespace qz::kernels {
namespace {

// e^x in plain float arithmetic the compiler vectorizes (libm's expf is a call per element:
// SiLU over a transformer's FFN outputs took longer than the int8 GEMM before it). Cephes'
// expf: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-7 polynomial, 2^n by the exponent
// bits; within 2 ulp of expf over the clamped range. Every step is one correctly rounded
// operation, so the scalar tail and the vector body agree bit for bit.
inline float exp_approx(float x) {
  x = x > -87.0f ? x : -87.0f;  // also NaN → −87: SiLU's division keeps the NaN
  x = x < 88.0f ? x : 88.0f;
  constexpr float kRound = 12582912.0f;  // 1.5·2^23: adding it rounds to an integer
  const float n = (x * 1.44269504088896341f + kRound) - kRound;
  const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * (r * r) + r + 1.0f;
  return e * std::bit_cast<float>((static_cast<int32_t>(n) + 127) << 23);
}

}  // namespace

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
      return v / (1.0f + exp_approx(-v));
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
      case Activation::Silu:
        for (int64_t n = n0; n < n1; ++n) row[n] = row[n] / (1.0f + exp_approx(-row[n]));
        break;
      default:
        for (int64_t n = n0; n < n1; ++n) row[n] = activate(row[n], e.activation);
    }
  }
}

}  // namespace qz::kernels
