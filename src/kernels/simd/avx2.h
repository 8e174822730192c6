// AVX2 + FMA + F16C vector traits for the generic kernel templates; the counterpart of
// simd/avx512.h (read its header for decode32's contract). Include only from source files
// compiled with the AVX2 flags.
//
// 32 weights decode into four 8-float vectors, matching the permuted activations: out[0], out[1]
// hold the low nibbles (even columns 0–14, 16–30) and out[2], out[3] the high ones.
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "kernels/weight_format.h"

namespace qz::kernels::simd {

namespace {

// For each 8-bit mask, the source index of every set lane (the count of set bits below it), a
// nibble per lane: Avx2::expand's permutation.
struct ExpandIndex {
  uint32_t nibbles[256];
};
constexpr ExpandIndex make_expand_index() {
  ExpandIndex t{};
  for (uint32_t bits = 0; bits < 256; ++bits) {
    uint32_t below = 0;
    for (uint32_t lane = 0; lane < 8; ++lane)
      if (bits & (1u << lane)) t.nibbles[bits] |= (below++) << (4 * lane);
  }
  return t;
}
constexpr ExpandIndex kExpandIndex = make_expand_index();

}  // namespace

struct Avx2 {
  using F = __m256;
  using I = __m256i;
  static constexpr int W = 8;
  static constexpr int kMr = 3;
  static constexpr int kGemvRows = 2;  // weight rows per GEMV step
  static constexpr int kNr = 4;
  // What the integer dot product subtracts from every activation code (simd/neon_dotprod.h).
  static constexpr int32_t kActivationOffset = 0;
  static constexpr int kI8Step = 16;

  static float half_to_float(uint16_t h) { return _cvtsh_ss(h); }
  static void prefetch(const void* p) { _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0); }

  static F zero() { return _mm256_setzero_ps(); }
  static F set1(float v) { return _mm256_set1_ps(v); }
  static F load(const float* p) { return _mm256_loadu_ps(p); }
  static F load_partial(const float* p, int64_t n) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), lanes);
    return _mm256_maskload_ps(p, mask);
  }
  // W int8 codes as W floats.
  static F load_i8(const int8_t* p) {
    return _mm256_cvtepi32_ps(
        _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
  }
  static F fma(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
  static F add(F a, F b) { return _mm256_add_ps(a, b); }
  static F mul(F a, F b) { return _mm256_mul_ps(a, b); }
  static void store(float* p, F v) { _mm256_storeu_ps(p, v); }
  static float sum(F v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }

  // The horizontal sums of four vectors, in one vector's four lanes (see Avx512::sum4).
  static __m128 sum4(const F v[4]) {
    const __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(v[0], v[1]), _mm256_hadd_ps(v[2], v[3]));
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
  }

  // Lane-wise min/max that keep the second operand when the first is NaN (as std::fmin/fmax
  // ignore a NaN), round to nearest even (std::nearbyint in the default mode), and the
  // horizontal min/max of lanes that hold no NaN.
  static F min(F a, F b) { return _mm256_min_ps(a, b); }
  static F max(F a, F b) { return _mm256_max_ps(a, b); }
  static F div(F a, F b) { return _mm256_div_ps(a, b); }
  static F round(F v) { return _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static float hmin(F v) {
    __m128 s = _mm_min_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_min_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_min_ss(s, _mm_movehdup_ps(s)));
  }
  static float hmax(F v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_max_ss(s, _mm_movehdup_ps(s)));
  }
  // The next popcount(bits) values of a sparse row spread to the lanes whose bit is set, zero
  // elsewhere; reads only those values. AVX2 has no expand: each lane's source index is the
  // count of set bits below it (a nibble per lane in kExpandIndex), applied with vpermps.
  static F expand(const float* values, uint32_t bits) {
    const F packed = load_partial(values, __builtin_popcount(bits));
    const __m256i shifts = _mm256_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28);
    const __m256i index = _mm256_and_si256(
        _mm256_srlv_epi32(_mm256_set1_epi32(static_cast<int>(kExpandIndex.nibbles[bits])), shifts),
        _mm256_set1_epi32(7));
    const __m256i lane_bits = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    const __m256i kept = _mm256_cmpeq_epi32(
        _mm256_and_si256(_mm256_set1_epi32(static_cast<int>(bits)), lane_bits), lane_bits);
    return _mm256_and_ps(_mm256_permutevar8x32_ps(packed, index), _mm256_castsi256_ps(kept));
  }
  // W integer-valued floats in [0, 255] stored as W bytes.
  static void store_codes_u8(uint8_t* p, F v) {
    const __m256i i = _mm256_cvtps_epi32(v);
    const __m128i words =
        _mm_packus_epi32(_mm256_castsi256_si128(i), _mm256_extracti128_si256(i, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(p), _mm_packus_epi16(words, words));
  }

  static __m128i load8(const uint8_t* p) {
    return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
  }

  template <WeightFormat Fmt>
  static void decode32(const uint8_t* p, float zero, const float* lut, F out[4]) {
    constexpr CodeKind C = layout(Fmt).codes;
    if constexpr (C == CodeKind::F32) {
      for (int j = 0; j < 4; ++j)
        out[j] = _mm256_loadu_ps(reinterpret_cast<const float*>(p) + 8 * j);
    } else if constexpr (C == CodeKind::F16) {
      for (int j = 0; j < 4; ++j)
        out[j] = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * j)));
    } else if constexpr (C == CodeKind::BF16) {
      for (int j = 0; j < 4; ++j) {
        const __m256i h =
            _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * j)));
        out[j] = _mm256_castsi256_ps(_mm256_slli_epi32(h, 16));
      }
    } else if constexpr (C == CodeKind::E5M2 || C == CodeKind::E4M3) {
      for (int j = 0; j < 4; ++j)
        out[j] = _mm256_cvtph_ps(fp8_to_fp16(_mm_cvtepu8_epi16(load8(p + 8 * j)), C));
    } else if constexpr (C == CodeKind::Int8) {
      for (int j = 0; j < 4; ++j)
        out[j] = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(load8(p + 8 * j)));
    } else {
      const __m256i mask = _mm256_set1_epi32(0xF);
      const __m256i b0 = _mm256_cvtepu8_epi32(load8(p));
      const __m256i b1 = _mm256_cvtepu8_epi32(load8(p + 8));
      const __m256i idx[4] = {_mm256_and_si256(b0, mask), _mm256_and_si256(b1, mask),
                              _mm256_srli_epi32(b0, 4), _mm256_srli_epi32(b1, 4)};
      if constexpr (C == CodeKind::CodebookNibble) {
        const __m256 low_half = _mm256_loadu_ps(lut);
        const __m256 high_half = _mm256_loadu_ps(lut + 8);
        for (int j = 0; j < 4; ++j) {
          // permutevar8x32 reads the low 3 index bits; bit 3 picks the half.
          const __m256 a = _mm256_permutevar8x32_ps(low_half, idx[j]);
          const __m256 b = _mm256_permutevar8x32_ps(high_half, idx[j]);
          out[j] = _mm256_blendv_ps(a, b, _mm256_castsi256_ps(_mm256_slli_epi32(idx[j], 28)));
        }
      } else {
        // Subtracting in float: exact for integer zero points, and fractional ones (HQQ) work.
        const __m256 z = _mm256_set1_ps(zero);
        for (int j = 0; j < 4; ++j) out[j] = _mm256_sub_ps(_mm256_cvtepi32_ps(idx[j]), z);
      }
    }
  }

  // See Avx512::fp8_to_fp16.
  static __m128i fp8_to_fp16(__m128i b, CodeKind f) {
    if (f == CodeKind::E5M2) return _mm_slli_epi16(b, 8);
    const __m128i sign = _mm_slli_epi16(_mm_and_si128(b, _mm_set1_epi16(0x80)), 8);
    const __m128i rest = _mm_slli_epi16(_mm_and_si128(b, _mm_set1_epi16(0x7F)), 7);
    return _mm_or_si128(sign, rest);
  }

  // Integer dot products without VNNI: bytes widened to int16, then vpmaddwd (exact; the
  // vpmaddubsw shortcut would saturate at 2·255·127).
  static I izero() { return _mm256_setzero_si256(); }
  static I load_u8(const uint8_t* p) {
    return _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  static I load_s8(const int8_t* p) {
    return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  static I load_u8_partial(const uint8_t* p, int64_t n) {
    alignas(16) uint8_t buf[16] = {};
    for (int64_t i = 0; i < n && i < 16; ++i) buf[i] = p[i];
    return load_u8(buf);
  }
  static I load_s8_partial(const int8_t* p, int64_t n) {
    alignas(16) int8_t buf[16] = {};
    for (int64_t i = 0; i < n && i < 16; ++i) buf[i] = p[i];
    return load_s8(buf);
  }
  static I dot(I acc, I x, I w) { return _mm256_add_epi32(acc, _mm256_madd_epi16(x, w)); }
  static int32_t isum(I v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
  }
};

}  // namespace qz::kernels::simd
