// The W4A8 GEMM compiled for avx512vnni (flags set on this file alone in CMakeLists.txt).
//
// Per activation row and R output rows at a time (sharing the activation loads), each 64-byte
// weight load holds kQ4Block columns: `and 0x0F` gives the even columns' codes and a 4-bit
// shift the odd ones', and two vpdpbusd against the permuted activations leave in lane l the
// exact Σ q·xq over columns 8l .. 8l+7. Groups of 32 and 64 take their FP16 scales per lane
// (vpermps from the block's 4 or 2 scales); larger groups gather whole blocks in int32 and
// scale once per group. The zero-point terms take one vector step per 16 groups. A last block
// past K reads only the row's own bytes (a masked load) against zero-padded activations.
#include <immintrin.h>

#include "kernels/gemm_q4_u8/gemm_q4_u8_isa.h"
#include "kernels/gemm_q4_u8/q4_codes.h"
#include "kernels/gemm_q4_u8/q4_outputs.h"
#include "kernels/simd/avx512.h"

namespace qz::kernels {
namespace {

constexpr int kRows = 4;  // output rows sharing each activation load

// How the kQ4Block blocks meet the groups, worked out once per call (no division per row).
struct GroupWalk {
  explicit GroupWalk(const Q4Weights& w)
      : groups(w.groups()),
        blocks(q4_blocks(w.k)),
        row_bytes((w.k + 1) / 2),
        last_block_bytes(row_bytes - (blocks - 1) * (kQ4Block / 2)),
        per_block(w.group < kQ4Block ? kQ4Block / w.group : 0),
        blocks_per_group(w.group >= kQ4Block ? w.group / kQ4Block : 0),
        lane_group(w.group == 32
                       ? _mm512_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3)
                       : _mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1)) {}
  int64_t groups, blocks, row_bytes;
  int64_t last_block_bytes;  // the row's bytes in its last block: kQ4Block / 2 unless partial
  int64_t per_block;         // groups in one block (groups of 32 or 64), else 0
  int64_t blocks_per_group;  // blocks in one group (groups of kQ4Block or more), else 0
  __m512i lane_group;        // lane l's group within the block (groups of 32 or 64)
};

// Lane l's scale for a block whose first group is g0 (groups of 32 or 64); 0 for a partial
// last block's lanes past the row's groups.
inline __m512 lane_scales(const uint16_t* row_scales, int64_t g0, const GroupWalk& walk) {
  const int64_t present = walk.groups - g0 < walk.per_block ? walk.groups - g0 : walk.per_block;
  const __m128i h =
      _mm_maskz_loadu_epi16(static_cast<__mmask8>((1u << present) - 1u), row_scales + g0);
  return _mm512_permutexvar_ps(walk.lane_group, _mm512_castps256_ps512(_mm256_cvtph_ps(h)));
}

// y[i, n .. n+R) for activation row i.
template <int R>
void q4_rows(const Q4Activations& xa, const Q4Weights& w, const GroupWalk& walk, int64_t i,
             int64_t n, float* y) {
  const U8Activations& x = *xa.x;
  const int64_t groups = walk.groups, row_bytes = walk.row_bytes;
  const int64_t blocks = walk.blocks;
  const uint8_t* xr = xa.xperm + i * xa.stride;
  const __m512i nibble = _mm512_set1_epi8(0x0F);
  __m512 acc[R];
  __m512i pending[R];  // int32 sums of the current group (groups of kQ4Block and more)
  for (int r = 0; r < R; ++r) {
    acc[r] = _mm512_setzero_ps();
    pending[r] = _mm512_setzero_si512();
  }
  int64_t g = 0, blocks_left = walk.blocks_per_group;  // the current large group
  for (int64_t b = 0; b < blocks; ++b) {
    const __m512i xe = _mm512_loadu_si512(xr + b * kQ4Block);
    const __m512i xo = _mm512_loadu_si512(xr + b * kQ4Block + kQ4Block / 2);
    const bool group_ends = walk.per_block == 0 && (blocks_left == 1 || b + 1 == blocks);
    const __mmask64 bytes = b + 1 == blocks && walk.last_block_bytes < kQ4Block / 2
                                ? (__mmask64{1} << walk.last_block_bytes) - 1
                                : ~__mmask64{0};
    for (int r = 0; r < R; ++r) {
      const uint8_t* codes = w.packed + (n + r) * row_bytes + b * (kQ4Block / 2);
      // Batch 1 streams the weights: fetch the same bytes two row blocks (2R rows) ahead.
      _mm_prefetch(reinterpret_cast<const char*>(codes + 2 * R * row_bytes), _MM_HINT_T0);
      const __m512i wv = _mm512_maskz_loadu_epi8(bytes, codes);
      const __m512i lo = _mm512_and_si512(wv, nibble);
      const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(wv, 4), nibble);
      __m512i d = _mm512_dpbusd_epi32(_mm512_setzero_si512(), xe, lo);
      d = _mm512_dpbusd_epi32(d, xo, hi);
      const uint16_t* row_scales = w.scales + (n + r) * groups;
      if (walk.per_block != 0) {
        acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(d),
                                 lane_scales(row_scales, b * walk.per_block, walk), acc[r]);
        continue;
      }
      pending[r] = _mm512_add_epi32(pending[r], d);
      if (group_ends) {
        acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(pending[r]),
                                 _mm512_set1_ps(_cvtsh_ss(row_scales[g])), acc[r]);
        pending[r] = _mm512_setzero_si512();
      }
    }
    if (walk.per_block == 0 && --blocks_left == 0) {
      blocks_left = walk.blocks_per_group;
      ++g;
    }
  }
  // The zero-point terms: −zx·row_offset − Σ_g s·z·xsum_g, 16 groups at a time.
  const int32_t* xsums = xa.xsums + i * groups;
  for (int r = 0; r < R; ++r) {
    const int64_t row = (n + r) * groups;
    __m512 zterms = _mm512_setzero_ps();
    for (int64_t g = 0; g < groups; g += 16) {
      const int64_t lanes = groups - g < 16 ? groups - g : 16;
      const __mmask16 mask = static_cast<__mmask16>((1u << lanes) - 1u);
      const __m512 s = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(mask, w.scales + row + g));
      const __m512 z = w.zeros == nullptr ? _mm512_set1_ps(8.0f)
                                          : _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(
                                                _mm_maskz_loadu_epi8(mask, w.zeros + row + g)));
      const __m512 xs = _mm512_cvtepi32_ps(_mm512_maskz_loadu_epi32(mask, xsums + g));
      zterms = _mm512_fmadd_ps(_mm512_mul_ps(s, z), xs, zterms);
    }
    acc[r] = _mm512_sub_ps(acc[r], zterms);
  }
  store_q4_outputs<simd::Avx512, R>(acc, -static_cast<float>(x.zero[i]), x.scale[i],
                                    w.row_offsets + n, y + i * w.n + n);
}

void gemm_q4u8(const Q4Activations& xa, const Q4Weights& w, int64_t n0, int64_t n1, float* y) {
  const GroupWalk walk(w);
  for_row_blocks<kRows>(xa.x->m, n0, n1,
                        [&]<int R>(int64_t i, int64_t n) { q4_rows<R>(xa, w, walk, i, n, y); });
}

}  // namespace

GemmQ4U8Range q4_u8_f32_gemm__avx512vnni() {
  return &gemm_q4u8;
}

}  // namespace qz::kernels
