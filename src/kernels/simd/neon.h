// AArch64 Advanced SIMD (NEON) vector traits for the generic kernel templates
// (kernels/*/generic_*.h): the counterpart of simd/avx2.h and simd/avx512.h (read avx512.h's
// header for decode32's contract). Every AArch64 CPU has these instructions; include only from
// the kernels' neon*.cpp files (cmake/kernel_sources.cmake).
//
// A vector holds 4 floats, so 32 weights decode into eight: nibble formats give the low nibbles
// of bytes 0–15 (even columns) in out[0..3] and the high nibbles (odd columns) in out[4..7],
// matching the activations' permuted order.
//
// The integer dot product multiplies uint8 activations by int8 weights into int32 lanes. Plain
// NEON widens both to 16 bits and multiply-accumulates (vmlal: exact). simd/neon_dotprod.h
// overrides it with sdot, which multiplies s8 × s8 only: it feeds the activations with their
// sign bit flipped (x − 128), and kActivationOffset tells the GEMM to add 128·Σw back through
// the zero point, so both give the reference's integers exactly.
#pragma once

#include <arm_neon.h>

#include <cstdint>

#include "kernels/weight_format.h"

namespace qz::kernels::simd {
// Internal linkage: neon.cpp and neon_dot*.cpp files are compiled for different architecture
// levels, so each must keep its own copy of every member (see matmul/generic_matmul.h).
namespace {

struct Neon {
  using F = float32x4_t;
  using I = int32x4_t;  // accumulators; loaded bytes travel in the same 128 bits
  static constexpr int W = 4;
  static constexpr int kMr = 4;
  static constexpr int kGemvRows = 2;
  static constexpr int kNr = 4;
  static constexpr int kI8Step = 16;
  // What the integer dot product subtracts from every activation code (neon_dotprod.h: 128).
  static constexpr int32_t kActivationOffset = 0;

  static F zero() { return vdupq_n_f32(0.0f); }
  static F set1(float v) { return vdupq_n_f32(v); }
  static F load(const float* p) { return vld1q_f32(p); }
  static F load_partial(const float* p, int64_t n) {
    float buf[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int64_t i = 0; i < n && i < 4; ++i) buf[i] = p[i];
    return vld1q_f32(buf);
  }
  static F fma(F a, F b, F c) { return vfmaq_f32(c, a, b); }
  static F add(F a, F b) { return vaddq_f32(a, b); }
  static F mul(F a, F b) { return vmulq_f32(a, b); }
  static void store(float* p, F v) { vst1q_f32(p, v); }
  static float sum(F v) { return vaddvq_f32(v); }

  // As on x86: min/max keep the second operand when the first is NaN (minNum/maxNum return the
  // number), round to nearest even, and the horizontal min/max of lanes without NaN.
  static F min(F a, F b) { return vminnmq_f32(a, b); }
  static F max(F a, F b) { return vmaxnmq_f32(a, b); }
  static F div(F a, F b) { return vdivq_f32(a, b); }
  static F round(F v) { return vrndnq_f32(v); }
  static float hmin(F v) { return vminnmvq_f32(v); }
  static float hmax(F v) { return vmaxnmvq_f32(v); }

  // The next popcount(bits) values of a sparse row in the lanes whose bit is set (bits < 16).
  static F expand(const float* values, uint32_t bits) {
    float lanes[4];
    int next = 0;
    for (int lane = 0; lane < 4; ++lane) lanes[lane] = (bits >> lane) & 1u ? values[next++] : 0.0f;
    return vld1q_f32(lanes);
  }
  // W integer-valued floats in [0, 255] stored as W bytes.
  static void store_codes_u8(uint8_t* p, F v) {
    const uint16x4_t words = vqmovun_s32(vcvtnq_s32_f32(v));
    const uint8x8_t bytes = vqmovn_u16(vcombine_u16(words, words));
    vst1_lane_u32(reinterpret_cast<uint32_t*>(p), vreinterpret_u32_u8(bytes), 0);
  }

  static float half_to_float(uint16_t h) {
    return vgetq_lane_f32(vcvt_f32_f16(vreinterpret_f16_u16(vdup_n_u16(h))), 0);
  }
  static void prefetch(const void* p) { __builtin_prefetch(p, 0, 3); }

  template <WeightFormat Fmt>
  static void decode32(const uint8_t* p, float zero, const float* lut, F out[8]) {
    constexpr CodeKind C = layout(Fmt).codes;
    if constexpr (C == CodeKind::F32) {
      for (int j = 0; j < 8; ++j) out[j] = vld1q_f32(reinterpret_cast<const float*>(p) + 4 * j);
    } else if constexpr (C == CodeKind::F16) {
      for (int j = 0; j < 8; ++j)
        out[j] = vcvt_f32_f16(
            vreinterpret_f16_u16(vld1_u16(reinterpret_cast<const uint16_t*>(p) + 4 * j)));
    } else if constexpr (C == CodeKind::BF16) {
      for (int j = 0; j < 8; ++j)
        out[j] = vreinterpretq_f32_u32(
            vshll_n_u16(vld1_u16(reinterpret_cast<const uint16_t*>(p) + 4 * j), 16));
    } else if constexpr (C == CodeKind::E5M2 || C == CodeKind::E4M3) {
      for (int j = 0; j < 4; ++j) {
        const uint16x8_t halves = fp8_to_fp16(vmovl_u8(vld1_u8(p + 8 * j)), C);
        out[2 * j] = vcvt_f32_f16(vreinterpret_f16_u16(vget_low_u16(halves)));
        out[2 * j + 1] = vcvt_f32_f16(vreinterpret_f16_u16(vget_high_u16(halves)));
      }
    } else if constexpr (C == CodeKind::Int8) {
      for (int j = 0; j < 4; ++j) {
        const int16x8_t h = vmovl_s8(vld1_s8(reinterpret_cast<const int8_t*>(p) + 8 * j));
        out[2 * j] = vcvtq_f32_s32(vmovl_s16(vget_low_s16(h)));
        out[2 * j + 1] = vcvtq_f32_s32(vmovl_high_s16(h));
      }
    } else {
      const uint8x16_t bytes = vld1q_u8(p);
      const uint8x16_t nibbles[2] = {vandq_u8(bytes, vdupq_n_u8(0x0F)), vshrq_n_u8(bytes, 4)};
      uint32x4_t idx[8];
      for (int half = 0; half < 2; ++half) {
        const uint16x8_t lo = vmovl_u8(vget_low_u8(nibbles[half]));
        const uint16x8_t hi = vmovl_high_u8(nibbles[half]);
        idx[4 * half + 0] = vmovl_u16(vget_low_u16(lo));
        idx[4 * half + 1] = vmovl_high_u16(lo);
        idx[4 * half + 2] = vmovl_u16(vget_low_u16(hi));
        idx[4 * half + 3] = vmovl_high_u16(hi);
      }
      if constexpr (C == CodeKind::CodebookNibble) {
        // The 16-float codebook as 64 table bytes: lane l reads bytes 4·idx + 0..3.
        const uint8x16x4_t table = vld1q_u8_x4(reinterpret_cast<const uint8_t*>(lut));
        const uint32x4_t byte_order = vdupq_n_u32(0x03020100u);
        for (int j = 0; j < 8; ++j) {
          const uint32x4_t sel = vmlaq_n_u32(byte_order, idx[j], 0x04040404u);
          out[j] = vreinterpretq_f32_u8(vqtbl4q_u8(table, vreinterpretq_u8_u32(sel)));
        }
      } else {
        // Subtracting in float: exact for integer zero points, and fractional ones (HQQ) work.
        const F z = vdupq_n_f32(zero);
        for (int j = 0; j < 8; ++j) out[j] = vsubq_f32(vcvtq_f32_u32(idx[j]), z);
      }
    }
  }

  // FP8 bytes (widened to 16 bits) as FP16 bits: E5M2 is FP16's top byte; E4M3's exponent and
  // mantissa shift into FP16's, giving value / 2^8 (the row scale carries the 2^8, as on x86).
  static uint16x8_t fp8_to_fp16(uint16x8_t b, CodeKind f) {
    if (f == CodeKind::E5M2) return vshlq_n_u16(b, 8);
    const uint16x8_t sign = vshlq_n_u16(vandq_u16(b, vdupq_n_u16(0x80)), 8);
    const uint16x8_t rest = vshlq_n_u16(vandq_u16(b, vdupq_n_u16(0x7F)), 7);
    return vorrq_u16(sign, rest);
  }

  static I izero() { return vdupq_n_s32(0); }
  static I load_u8(const uint8_t* p) { return vreinterpretq_s32_u8(vld1q_u8(p)); }
  static I load_s8(const int8_t* p) { return vreinterpretq_s32_s8(vld1q_s8(p)); }
  static I load_u8_partial(const uint8_t* p, int64_t n) {
    uint8_t buf[16] = {};
    for (int64_t i = 0; i < n && i < 16; ++i) buf[i] = p[i];
    return load_u8(buf);
  }
  static I load_s8_partial(const int8_t* p, int64_t n) {
    int8_t buf[16] = {};
    for (int64_t i = 0; i < n && i < 16; ++i) buf[i] = p[i];
    return load_s8(buf);
  }
  // acc + Σ x·w over 16 byte pairs: both widened to int16 (u8 ≤ 255 fits), then vmlal.
  static I dot(I acc, I x, I w) {
    const uint8x16_t xu = vreinterpretq_u8_s32(x);
    const int8x16_t ws = vreinterpretq_s8_s32(w);
    const int16x8_t x_lo = vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(xu)));
    const int16x8_t x_hi = vreinterpretq_s16_u16(vmovl_high_u8(xu));
    const int16x8_t w_lo = vmovl_s8(vget_low_s8(ws));
    const int16x8_t w_hi = vmovl_high_s8(ws);
    acc = vmlal_s16(acc, vget_low_s16(x_lo), vget_low_s16(w_lo));
    acc = vmlal_high_s16(acc, x_lo, w_lo);
    acc = vmlal_s16(acc, vget_low_s16(x_hi), vget_low_s16(w_hi));
    return vmlal_high_s16(acc, x_hi, w_hi);
  }
  static int32_t isum(I v) { return vaddvq_s32(v); }
};

}  // namespace
}  // namespace qz::kernels::simd
