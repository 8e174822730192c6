// AVX-512 vector traits for the generic kernel templates (kernels/*/generic_*.h). Include only
// from source files compiled with the AVX-512 flags (CMakeLists.txt sets them per file).
//
// decode32 turns 32 stored weights into floats (`zero`: the int4 group's zero point; `lut`:
// the codebook of CodebookNibble formats). Nibble formats come out de-interleaved, low nibbles
// (even columns) in out[0] and high nibbles (odd columns) in out[1]: the activations are permuted
// to match once per call (prepare_activations), so no shuffle runs per weight.
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "kernels/weight_format.h"

namespace qz::kernels::simd {

struct Avx512 {
  using F = __m512;
  using I = __m512i;
  static constexpr int W = 16;         // floats per vector
  static constexpr int kMr = 4;        // GEMM tile: activation rows
  static constexpr int kGemvRows = 4;  // weight rows per GEMV step
  static constexpr int kNr = 6;        // GEMM tile: weight rows
  static constexpr int kKMajorMr = 8;  // outer-product tile: activation rows (× 3 vectors)
  // What the integer dot product subtracts from every activation code (simd/neon_dotprod.h).
  static constexpr int32_t kActivationOffset = 0;
  static constexpr int kI8Step = 64;  // int8 columns per integer dot step

  static float half_to_float(uint16_t h) { return _cvtsh_ss(h); }
  static void prefetch(const void* p) { _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0); }

  static F zero() { return _mm512_setzero_ps(); }
  static F set1(float v) { return _mm512_set1_ps(v); }
  static F load(const float* p) { return _mm512_loadu_ps(p); }
  static F load_partial(const float* p, int64_t n) {
    return _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1u), p);
  }
  // W int8 codes as W floats.
  static F load_i8(const int8_t* p) {
    return _mm512_cvtepi32_ps(
        _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
  }
  static F fma(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
  static F add(F a, F b) { return _mm512_add_ps(a, b); }
  static F mul(F a, F b) { return _mm512_mul_ps(a, b); }
  static void store(float* p, F v) { _mm512_storeu_ps(p, v); }
  static void store_partial(float* p, F v, int64_t n) {
    _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1u), v);
  }
  // r[i] becomes column i of the 16 × 16 matrix whose rows were r[0..15].
  static void transpose(F r[16]) {
    F t[16];
    for (int i = 0; i < 16; i += 2) {
      t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
      t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
      r[i] = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
      r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], 0xEE);
      r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
      r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
    }
    for (int i = 0; i < 4; ++i) {
      t[i] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0x88);
      t[i + 4] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0xDD);
      t[i + 8] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0x88);
      t[i + 12] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0xDD);
    }
    for (int i = 0; i < 8; ++i) {
      r[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
      r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xDD);
    }
  }
  // Horizontal sums by lane shuffles (GCC 12's _mm512_reduce_add_* trip its -Wuninitialized).
  static float sum(F v) {
    F t = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
    t = _mm512_add_ps(t, _mm512_shuffle_f32x4(t, t, _MM_SHUFFLE(2, 3, 0, 1)));
    __m128 s = _mm512_castps512_ps128(t);
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }

  // The horizontal sums of four vectors, in one vector's four lanes (one reduction tree for
  // all four: a GEMV that ends four outputs at a time pays a third of four sum() calls).
  static __m128 sum4(const F v[4]) {
    __m256 h[4];
    for (int j = 0; j < 4; ++j)
      h[j] = _mm256_add_ps(_mm512_castps512_ps256(v[j]),
                           _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v[j]), 1)));
    const __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(h[0], h[1]), _mm256_hadd_ps(h[2], h[3]));
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
  }

  // Lane-wise min/max that keep the second operand when the first is NaN (as std::fmin/fmax
  // ignore a NaN), round to nearest even (std::nearbyint in the default mode), and the
  // horizontal min/max of lanes that hold no NaN.
  static F min(F a, F b) { return _mm512_min_ps(a, b); }
  static F max(F a, F b) { return _mm512_max_ps(a, b); }
  static F div(F a, F b) { return _mm512_div_ps(a, b); }
  static F round(F v) {
    return _mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
  static float hmin(F v) {
    __m256 t = _mm256_min_ps(_mm512_castps512_ps256(v),
                             _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    __m128 s = _mm_min_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
    s = _mm_min_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_min_ss(s, _mm_movehdup_ps(s)));
  }
  static float hmax(F v) {
    __m256 t = _mm256_max_ps(_mm512_castps512_ps256(v),
                             _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_max_ss(s, _mm_movehdup_ps(s)));
  }
  // The next popcount(bits) values of a sparse row spread to the lanes whose bit is set, zero
  // elsewhere; reads only those values. (The register form of vexpandps: its memory form is
  // microcoded on some cores.)
  static F expand(const float* values, uint32_t bits) {
    const __m512 packed = load_partial(values, __builtin_popcount(bits));
    return _mm512_maskz_expand_ps(static_cast<__mmask16>(bits), packed);
  }
  // W integer-valued floats in [0, 255] stored as W bytes.
  static void store_codes_u8(uint8_t* p, F v) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm512_cvtusepi32_epi8(_mm512_cvtps_epi32(v)));
  }

  template <WeightFormat Fmt>
  static void decode32(const uint8_t* p, float zero, const float* lut, F out[2]) {
    constexpr CodeKind C = layout(Fmt).codes;
    if constexpr (C == CodeKind::F32) {
      out[0] = _mm512_loadu_ps(reinterpret_cast<const float*>(p));
      out[1] = _mm512_loadu_ps(reinterpret_cast<const float*>(p) + 16);
    } else if constexpr (C == CodeKind::F16) {
      for (int j = 0; j < 2; ++j)
        out[j] = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * j)));
    } else if constexpr (C == CodeKind::BF16) {
      for (int j = 0; j < 2; ++j) {
        const __m512i h =
            _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * j)));
        out[j] = _mm512_castsi512_ps(_mm512_slli_epi32(h, 16));
      }
    } else if constexpr (C == CodeKind::E5M2 || C == CodeKind::E4M3) {
      for (int j = 0; j < 2; ++j) {
        const __m256i b =
            _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * j)));
        out[j] = _mm512_cvtph_ps(fp8_to_fp16(b, C));
      }
    } else if constexpr (C == CodeKind::Int8) {
      for (int j = 0; j < 2; ++j)
        out[j] = _mm512_cvtepi32_ps(
            _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * j))));
    } else {  // nibbles, two per byte, low first
      // vpermps reads only the low 4 bits of each index lane, so the byte itself indexes the
      // table of (code − zero) values (or the format's codebook) for its low nibble, no mask
      // needed.
      const __m512i b = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
      __m512 table;
      if constexpr (C == CodeKind::CodebookNibble)
        table = _mm512_loadu_ps(lut);
      else
        table = _mm512_sub_ps(_mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                              _mm512_set1_ps(zero));
      out[0] = _mm512_permutexvar_ps(b, table);
      out[1] = _mm512_permutexvar_ps(_mm512_srli_epi32(b, 4), table);
    }
  }

  // FP8 codes (one per 16-bit lane) as FP16 bits. E5M2 is the top byte of FP16 exactly. E4M3
  // moves its exponent and mantissa into FP16's low exponent bits: the result is the value
  // divided by 2^8 (normal and subnormal alike), which the caller folds into the row scale.
  static __m256i fp8_to_fp16(__m256i b, CodeKind f) {
    if (f == CodeKind::E5M2) return _mm256_slli_epi16(b, 8);
    const __m256i sign = _mm256_slli_epi16(_mm256_and_si256(b, _mm256_set1_epi16(0x80)), 8);
    const __m256i rest = _mm256_slli_epi16(_mm256_and_si256(b, _mm256_set1_epi16(0x7F)), 7);
    return _mm256_or_si256(sign, rest);
  }

  // Integer dot products for the u8×s8 GEMM: kI8Step columns per step.
  static I izero() { return _mm512_setzero_si512(); }
  static I load_u8(const uint8_t* p) { return _mm512_loadu_si512(p); }
  static I load_s8(const int8_t* p) { return _mm512_loadu_si512(p); }
  static __mmask64 byte_mask(int64_t n) {
    return n >= 64 ? ~__mmask64{0} : ((__mmask64{1} << n) - 1);
  }
  static I load_u8_partial(const uint8_t* p, int64_t n) {
    return _mm512_maskz_loadu_epi8(byte_mask(n), p);
  }
  static I load_s8_partial(const int8_t* p, int64_t n) {
    return _mm512_maskz_loadu_epi8(byte_mask(n), p);
  }
  static I dot(I acc, I x, I w) { return _mm512_dpbusd_epi32(acc, x, w); }
  static int32_t isum(I v) {
    I t = _mm512_add_epi32(v, _mm512_shuffle_i32x4(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
    t = _mm512_add_epi32(t, _mm512_shuffle_i32x4(t, t, _MM_SHUFFLE(2, 3, 0, 1)));
    __m128i s = _mm512_castsi512_si128(t);
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
  }
};

}  // namespace qz::kernels::simd
