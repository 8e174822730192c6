#include "kernels/gemm_u8s8/gemm_u8s8.h"

#include <algorithm>
#include <vector>

#include "core/thread_pool.h"
#include "kernels/kernel_config.h"
#include "kernels/work_split.h"

namespace qz::kernels {

namespace {

// Elements per parallel chunk of activation quantization: below this a thread hand-off costs
// more than the work.
constexpr int64_t kQuantizeGrain = 16384;

}  // namespace

void quantize_rows_u8_on(Isa isa, const float* x, int64_t m, int64_t k, uint8_t* xq, float* scale,
                         int32_t* zero) {
  const U8Quantizers q = kernel_config(isa).u8_quantizers;
  const int64_t grain = std::max<int64_t>(1, kQuantizeGrain / std::max<int64_t>(k, 1));
  parallel_for(m, grain, [&](int64_t r0, int64_t r1) {
    q.rows(x + r0 * k, r1 - r0, k, xq + r0 * k, scale + r0, zero + r0);
  });
}

void quantize_rows_u8(const float* x, int64_t m, int64_t k, uint8_t* xq, float* scale,
                      int32_t* zero) {
  quantize_rows_u8_on(active_isa(), x, m, k, xq, scale, zero);
}

void quantize_fixed_u8_on(Isa isa, const float* x, int64_t count, float scale, int32_t zero,
                          uint8_t* xq) {
  const U8Quantizers q = kernel_config(isa).u8_quantizers;
  parallel_for(count, kQuantizeGrain,
               [&](int64_t i0, int64_t i1) { q.fixed(x + i0, i1 - i0, scale, zero, xq + i0); });
}

void quantize_fixed_u8(const float* x, int64_t count, float scale, int32_t zero, uint8_t* xq) {
  quantize_fixed_u8_on(active_isa(), x, count, scale, zero, xq);
}

bool wants_packed_s8(Isa isa) {
  return kernel_config(isa).u8_x_s8_packed != nullptr;
}

namespace {

// The outer-product kernel on packed weights, threaded over panels, or over row blocks when
// the panels are too few to keep every thread busy.
void gemm_u8s8_packed(GemmU8S8PackedRange range, const U8Activations& x, const S8Weights& w,
                      const Epilogue& e, float* y) {
  const int64_t panels = w.packed->panels();
  if (split_rows(x.m, w.n, kVnniPanel)) {
    parallel_for(x.m, kRowGrain, [&](int64_t r0, int64_t r1) {
      const int64_t grid0 = x.per_row ? r0 : 0;
      const U8Activations rows{x.xq + r0 * w.k, x.scale + grid0, x.zero + grid0, x.per_row,
                               r1 - r0};
      float* yr = y + r0 * w.n;
      range(rows, w, 0, panels, yr);
      apply_epilogue(e, yr, r1 - r0, w.n, 0, w.n);
    });
    return;
  }
  const int64_t grain =
      std::max<int64_t>(1, kMinChunkMacs / std::max<int64_t>(1, x.m * w.k * kVnniPanel));
  parallel_for(panels, grain, [&](int64_t p0, int64_t p1) {
    range(x, w, p0, p1, y);
    apply_epilogue(e, y, x.m, w.n, p0 * kVnniPanel, std::min(p1 * kVnniPanel, w.n));
  });
}

}  // namespace

void gemm_u8s8_f32_on(Isa isa, const U8Activations& x, const S8Weights& w, const Epilogue& e,
                      float* y) {
  const KernelConfig& config = kernel_config(isa);
  const GemmU8S8PackedRange packed = w.packed != nullptr ? config.u8_x_s8_packed : nullptr;
  if (packed != nullptr) {
    gemm_u8s8_packed(packed, x, w, e, y);
    return;
  }
  const GemmU8S8Range range = config.u8_x_s8;
  if (range == nullptr) {
    gemm_u8s8_f32_ref(x, w, e, y);
    return;
  }
  if (split_rows(x.m, w.n, kInt8ScratchPerRow)) {
    // Few outputs, many rows (a conv over every pixel): each thread takes a block of rows.
    parallel_for(x.m, kRowGrain, [&](int64_t r0, int64_t r1) {
      thread_local std::vector<int32_t> acc;
      acc.resize(static_cast<size_t>((r1 - r0) * kInt8ScratchPerRow));
      const int64_t grid0 = x.per_row ? r0 : 0;
      const U8Activations rows{x.xq + r0 * w.k, x.scale + grid0, x.zero + grid0, x.per_row,
                               r1 - r0};
      float* yr = y + r0 * w.n;
      range(rows, w, 0, w.n, yr, acc.data());
      apply_epilogue(e, yr, r1 - r0, w.n, 0, w.n);
    });
    return;
  }
  parallel_for(w.n, kInt8ScratchPerRow, [&](int64_t n0, int64_t n1) {
    thread_local std::vector<int32_t> acc;
    acc.resize(static_cast<size_t>(x.m * kInt8ScratchPerRow));
    range(x, w, n0, n1, y, acc.data());
    apply_epilogue(e, y, x.m, w.n, n0, n1);
  });
}

void gemm_u8s8_f32(const U8Activations& x, const S8Weights& w, const Epilogue& e, float* y) {
  gemm_u8s8_f32_on(active_isa(), x, w, e, y);
}

}  // namespace qz::kernels
