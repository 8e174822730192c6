// What a matmul kernel applies to each output after the dot product: y = act(acc + bias).
// The epilogue runs once per output element (M·N work against the M·N·K of the product), so
// it is shared code for every ISA, written so that bias, ReLU and SiLU vectorize by the compiler.
#pragma once

#include <cstdint>
#include <string>

namespace qz::kernels {

enum class Activation { None, Relu, Gelu, Silu };

std::string activation_name(Activation a);

struct Epilogue {
  const float* bias = nullptr;  // [N] or null
  Activation activation = Activation::None;
};

// act(v) for one value; GELU is the exact erf form, SiLU v·sigmoid(v) with e^x to 2 ulp
// (a polynomial the compiler vectorizes, not libm's expf).
float activate(float v, Activation a);

// Applies the epilogue to columns [n0, n1) of `rows` rows of y (leading dimension ld).
void apply_epilogue(const Epilogue& e, float* y, int64_t rows, int64_t ld, int64_t n0, int64_t n1);

}  // namespace qz::kernels
