#include "kernels/gemm_u8s8/gemm_u8s8.h"

#include <vector>

#include "core/thread_pool.h"
#include "kernels/gemm_u8s8/gemm_u8s8_isa.h"

namespace qz::kernels {

void gemm_u8s8_f32_on(Isa isa, const U8Activations& x, const S8Weights& w, const Epilogue& e,
                      float* y) {
  GemmU8S8Range range = nullptr;
  if (isa == Isa::Avx2) range = u8_s8_f32_gemm__avx2();
  if (isa == Isa::Avx512) range = u8_s8_f32_gemm__avx512vnni();
  if (range == nullptr) {
    gemm_u8s8_f32_ref(x, w, e, y);
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
