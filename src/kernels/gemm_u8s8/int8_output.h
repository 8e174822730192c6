// The one formula that turns an integer dot product into the output value, shared by the
// reference and every ISA so that their results agree bit for bit. It has internal linkage
// (each file compiles its own copy under its own flags) and every ISA file is compiled with
// -ffp-contract=off, so the multiply and add never fuse into an FMA in one copy and not another.
#pragma once

#include <cstdint>

namespace qz::kernels {
namespace {

inline float int8_output(int32_t dot, float scale_x, int32_t zero_x, float scale_w,
                         int32_t w_row_sum) {
  return scale_x * scale_w * static_cast<float>(dot - zero_x * w_row_sum);
}

}  // namespace
}  // namespace qz::kernels
