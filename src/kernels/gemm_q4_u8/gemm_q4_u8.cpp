#include "kernels/gemm_q4_u8/gemm_q4_u8.h"

#include <algorithm>
#include <vector>

#include "core/thread_pool.h"
#include "kernels/kernel_config.h"
#include "kernels/work_split.h"

namespace qz::kernels {

namespace {

// Output features per parallel chunk, at the least.
constexpr int64_t kOutputGrain = 16;

int64_t prepare_activations(const U8Activations& x, const Q4Weights& w, std::vector<uint8_t>& xperm,
                            std::vector<int32_t>& xsums) {
  const int64_t k = w.k, groups = w.groups(), stride = q4_blocks(k) * kQ4Block;
  xperm.assign(static_cast<size_t>(x.m * stride), 0);
  xsums.assign(static_cast<size_t>(x.m * groups), 0);
  for (int64_t i = 0; i < x.m; ++i) {
    const uint8_t* src = x.xq + i * k;
    uint8_t* dst = xperm.data() + i * stride;
    for (int64_t c0 = 0; c0 < k; c0 += kQ4Block) {
      const int64_t columns = std::min(kQ4Block, k - c0), pairs = columns / 2;
      for (int64_t j = 0; j < pairs; ++j) {
        dst[c0 + j] = src[c0 + 2 * j];
        dst[c0 + kQ4Block / 2 + j] = src[c0 + 2 * j + 1];
      }
      if (columns % 2 != 0) dst[c0 + pairs] = src[c0 + 2 * pairs];  // odd K: a last even column
    }
    for (int64_t g = 0; g < groups; ++g) {
      int32_t sum = 0;
      for (int64_t c = g * w.group; c < std::min(k, (g + 1) * w.group); ++c) sum += src[c];
      xsums[i * groups + g] = sum;
    }
  }
  return stride;
}

}  // namespace

bool gemm_q4u8_has_fast_kernel(Isa isa, int64_t group) {
  return kernel_config(isa).u8_x_q4 != nullptr && q4u8_fast_group(group);
}

void gemm_q4u8_f32_on(Isa isa, const U8Activations& x, const Q4Weights& w, const Epilogue& e,
                      float* y) {
  if (!gemm_q4u8_has_fast_kernel(isa, w.group) || !x.per_row) {
    gemm_q4u8_f32_ref(x, w, e, y);
    return;
  }
  thread_local std::vector<uint8_t> xperm;
  thread_local std::vector<int32_t> xsums;
  const int64_t stride = prepare_activations(x, w, xperm, xsums);
  const Q4Activations xa{&x, xperm.data(), xsums.data(), stride};
  const GemmQ4U8Range range = kernel_config(isa).u8_x_q4;
  const int64_t grain =
      std::max<int64_t>(kOutputGrain, kMinChunkMacs / std::max<int64_t>(1, x.m * w.k));
  parallel_for(w.n, grain, [&](int64_t n0, int64_t n1) {
    range(xa, w, n0, n1, y);
    apply_epilogue(e, y, x.m, w.n, n0, n1);
  });
}

void gemm_q4u8_f32(const U8Activations& x, const Q4Weights& w, const Epilogue& e, float* y) {
  gemm_q4u8_f32_on(active_isa(), x, w, e, y);
}

}  // namespace qz::kernels
