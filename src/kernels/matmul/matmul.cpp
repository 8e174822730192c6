#include "kernels/matmul/matmul.h"

#include <vector>

#include "core/thread_pool.h"
#include "kernels/format_table.h"
#include "kernels/kernel_config.h"
#include "kernels/work_split.h"

namespace qz::kernels {
namespace {

// The activations in the kernels' column order: for nibble formats each full block of 32 columns
// becomes (even columns, odd columns), the order decode32 yields codes in; the tail and every
// other format keep the natural order (x itself is used, nothing copied).
const float* prepare_activations(const float* x, int64_t m, const PackedWeightView& w,
                                 std::vector<float>& buffer) {
  if (!is_nibble_format(w.format)) return x;
  const int64_t k = w.k, full = k / 32 * 32;
  buffer.resize(static_cast<size_t>(m * k));
  for (int64_t i = 0; i < m; ++i) {
    const float* src = x + i * k;
    float* dst = buffer.data() + i * k;
    for (int64_t c = 0; c < full; c += 32)
      for (int64_t j = 0; j < 16; ++j) {
        dst[c + j] = src[c + 2 * j];
        dst[c + 16 + j] = src[c + 2 * j + 1];
      }
    for (int64_t c = full; c < k; ++c) dst[c] = src[c];
  }
  return buffer.data();
}

}  // namespace

bool has_fast_matmul(const PackedWeightView& w) {
  return !is_grouped_format(w.format) || (w.group > 0 && w.group % 32 == 0);
}

void matmul_f32_on(Isa isa, const float* x, int64_t m, const PackedWeightView& w, const Epilogue& e,
                   float* y) {
  const MatmulIsaKernels* fast = kernel_config(isa).f32_x_stored;
  if (fast == nullptr || !has_fast_matmul(w) || m <= 0) {
    parallel_for(w.n, 8, [&](int64_t n0, int64_t n1) {
      matmul_rows_ref(x, m, w, n0, n1, y);
      apply_epilogue(e, y, m, w.n, n0, n1);
    });
    return;
  }
  thread_local std::vector<float> permuted;
  const float* xp = prepare_activations(x, m, w, permuted);
  const float* lut = format_row(w.format).codebook.data();
  if (m == 1) {
    parallel_for(w.n, 16, [&](int64_t n0, int64_t n1) {
      fast->gemv(xp, w, n0, n1, lut, y);
      apply_epilogue(e, y, 1, w.n, n0, n1);
    });
    return;
  }
  // Rows [r0, r1) × outputs [n0, n1): the outer-product tile from kOuterMinRows rows where the
  // ISA has one, else the dot-product tile.
  auto block = [&](int64_t r0, int64_t r1, int64_t n0, int64_t n1) {
    thread_local std::vector<float> panel;
    panel.resize(kPanelRows * kPanelCols);
    float* yr = y + r0 * w.n;
    const bool outer = fast->gemm_outer != nullptr && r1 - r0 >= kOuterMinRows;
    (outer ? fast->gemm_outer : fast->gemm)(xp + r0 * w.k, r1 - r0, w, n0, n1, lut, yr,
                                            panel.data());
    apply_epilogue(e, yr, r1 - r0, w.n, n0, n1);
  };
  if (split_rows(m, w.n, kPanelRows)) {
    // Few outputs, many rows (a conv over every pixel): each thread takes a block of rows and
    // decodes the (small) weight matrix itself.
    parallel_for(m, kRowGrain, [&](int64_t r0, int64_t r1) { block(r0, r1, 0, w.n); });
    return;
  }
  parallel_for(w.n, kPanelRows, [&](int64_t n0, int64_t n1) { block(0, m, n0, n1); });
}

void matmul_f32(const float* x, int64_t m, const PackedWeightView& w, const Epilogue& e, float* y) {
  matmul_f32_on(active_isa(), x, m, w, e, y);
}

}  // namespace qz::kernels
