// The W4A8 GEMM compiled for neon (cmake/kernel_sources.cmake): the x86 kernels' blocks and
// activation order on 16-byte vectors.
//
// A kQ4Block block of 128 columns is 64 weight bytes in four 16-byte chunks; chunk q holds
// columns 32q .. 32q+31 (even columns in the low nibbles), and the permuted activations keep
// their even and odd columns at xb + 16q and xb + 64 + 16q. Codes (0..15) and activations are
// both unsigned, so vmull_u8/vmlal_u8 multiply them exactly into uint16 — four products per
// lane reach at most 4·15·255 = 15300 — and vpadal widens the pairs into uint32. A chunk is
// one group of 32, half a group of 64, or part of a larger group: each group's integer sum is
// reduced and scaled once. The zero-point terms are the x86 kernels'; the K % 128 tail runs
// scalar (q4_tail_dot), where the x86 kernels take it as one zero-padded block.
#include <arm_neon.h>

#include "kernels/gemm_q4_u8/gemm_q4_u8_isa.h"
#include "kernels/gemm_q4_u8/q4_codes.h"
#include "kernels/simd/neon.h"

namespace qz::kernels {
namespace {

constexpr int kRows = 4;        // output rows sharing each activation load
constexpr int64_t kChunk = 32;  // columns per 16-byte weight load

// acc + Σ q·x over one chunk's 32 columns (uint32 lanes; which lane holds which column does not
// matter, the group's lanes are summed).
inline uint32x4_t chunk_dot(uint32x4_t acc, uint8x16_t codes, uint8x16_t x_even, uint8x16_t x_odd) {
  const uint8x16_t lo = vandq_u8(codes, vdupq_n_u8(0x0F));
  const uint8x16_t hi = vshrq_n_u8(codes, 4);
  uint16x8_t p = vmull_u8(vget_low_u8(lo), vget_low_u8(x_even));
  p = vmlal_high_u8(p, lo, x_even);
  p = vmlal_u8(p, vget_low_u8(hi), vget_low_u8(x_odd));
  p = vmlal_high_u8(p, hi, x_odd);
  return vpadalq_u16(acc, p);
}

// y[i, n .. n+R) for activation row i.
template <int R>
void q4_rows(const Q4Activations& xa, const Q4Weights& w, int64_t i, int64_t n, float* y) {
  using simd::Neon;
  const U8Activations& x = *xa.x;
  const int64_t k = w.k, groups = w.groups(), row_bytes = (k + 1) / 2;
  const int64_t chunks = k / kQ4Block * (kQ4Block / kChunk);
  const int64_t chunks_per_group = w.group / kChunk;
  const uint8_t* xr = xa.xperm + i * xa.stride;
  float acc[R];
  uint32x4_t pending[R];  // the current group's integer sums
  for (int r = 0; r < R; ++r) {
    acc[r] = 0.0f;
    pending[r] = vdupq_n_u32(0);
  }
  for (int64_t c = 0; c < chunks; ++c) {
    const int64_t block = c / 4, q = c % 4;
    const uint8_t* xb = xr + block * kQ4Block;
    const uint8x16_t x_even = vld1q_u8(xb + 16 * q);
    const uint8x16_t x_odd = vld1q_u8(xb + kQ4Block / 2 + 16 * q);
    for (int r = 0; r < R; ++r) {
      const uint8_t* codes = w.packed + (n + r) * row_bytes + block * (kQ4Block / 2) + 16 * q;
      // Batch 1 streams the weights: fetch the same bytes two row blocks (2R rows) ahead.
      Neon::prefetch(codes + 2 * R * row_bytes);
      pending[r] = chunk_dot(pending[r], vld1q_u8(codes), x_even, x_odd);
    }
    if ((c + 1) % chunks_per_group != 0 && c + 1 != chunks) continue;
    const int64_t g = c / chunks_per_group;
    for (int r = 0; r < R; ++r) {
      const float s = Neon::half_to_float(w.scales[(n + r) * groups + g]);
      acc[r] += s * static_cast<float>(vaddvq_u32(pending[r]));
      pending[r] = vdupq_n_u32(0);
    }
  }
  // The zero-point terms: −zx·row_offset − Σ_g s·z·xsum_g; then the K % kQ4Block tail's
  // Σ q·xq, scalar.
  const uint8_t* xq = x.xq + i * k;
  const int32_t* xsums = xa.xsums + i * groups;
  const int64_t tail = chunks * kChunk;
  const int64_t first_tail_group = k % kQ4Block == 0 ? groups : tail / w.group;
  for (int r = 0; r < R; ++r) {
    const int64_t row = (n + r) * groups;
    float zterms = 0.0f;
    for (int64_t g = 0; g < groups; ++g)
      zterms += Neon::half_to_float(w.scales[row + g]) * static_cast<float>(q4_zero(w, n + r, g)) *
                static_cast<float>(xsums[g]);
    float extra = -static_cast<float>(x.zero[i]) * w.row_offsets[n + r];
    const uint8_t* codes = w.packed + (n + r) * row_bytes;
    for (int64_t g = first_tail_group; g < groups; ++g)
      extra += Neon::half_to_float(w.scales[row + g]) *
               static_cast<float>(q4_tail_dot(w, codes, xq, g, tail));
    y[i * w.n + n + r] = x.scale[i] * (acc[r] - zterms + extra);
  }
}

void gemm_q4u8(const Q4Activations& xa, const Q4Weights& w, int64_t n0, int64_t n1, float* y) {
  for_row_blocks<kRows>(xa.x->m, n0, n1,
                        [&]<int R>(int64_t i, int64_t n) { q4_rows<R>(xa, w, i, n, y); });
}

}  // namespace

GemmQ4U8Range q4_u8_f32_gemm__neon() {
  return &gemm_q4u8;
}

}  // namespace qz::kernels
