// The weight-only matmul, y = x·Wᵀ, written once over a vector-traits type V (kernels/simd/)
// and instantiated by each ISA's source file. Activations are FP32; W is any stored format.
//
// Layout. Columns run in blocks of 32 (one decode32 call). For nibble formats the activations
// arrive permuted within each full block (even columns, then odd ones — prepare_activations in
// matmul.cpp), matching the order decode32 produces; the K % 32 tail stays in natural order and
// is handled by the scalar dequantize_weight. Fast paths need group % 32 == 0 for grouped
// formats, so no block straddles two groups (matmul.cpp falls back to the reference otherwise).
//
// M = 1 (gemv): decode fused into the dot product, V::kGemvRows weight rows at a time sharing
// each activation load; per-group partial sums are scaled once per group.
// M ≥ 2 (gemm): a panel of kPanelRows × kPanelCols weights (48 × 512 floats, 96 KiB, L2) is
// decoded to FP32 — scales applied — then every activation row block multiplies it with a
// kMr × kNr dot-product tile (vector accumulators along K, reduced at the end of the panel).
// On AVX-512, from kOuterMinRows rows (gemm_outer_any), the panel is decoded K-major instead
// (W × W blocks transposed in registers) and an outer-product tile multiplies it: per column,
// 3 weight vectors (48 outputs) meet 8 broadcast activations in 24 accumulators whose lanes
// are outputs, so no accumulator is reduced across lanes (the dot-product tile spends a
// quarter of its work on those reductions) and 3 loads serve 24 FMAs.
//
// Everything here sits in an anonymous namespace, so each ISA's source file gets its own copy
// with internal linkage: an inline or template function compiled with AVX-512 flags must never
// be the copy the linker picks for a caller on a CPU without AVX-512. For the same reason these
// files call no standard-library templates (std::min, std::fill) that other files instantiate.
#pragma once

#include <cstdint>

#include "kernels/dequant/dequantize.h"
#include "kernels/matmul/matmul_isa.h"
#include "kernels/weight_format.h"

namespace qz::kernels::generic {
namespace {

constexpr int64_t smaller(int64_t a, int64_t b) {
  return a < b ? a : b;
}

constexpr int64_t kPrefetchBytes = 4096;

template <WeightFormat Fmt>
constexpr bool kNibbles = is_nibble_format(Fmt);

template <WeightFormat Fmt>
constexpr bool kRowScaled = layout(Fmt).scales == ScaleKind::RowF16;

// Byte offset of column c (c % 32 == 0) within a stored row.
template <WeightFormat Fmt>
int64_t byte_offset(int64_t c) {
  if constexpr (kNibbles<Fmt>) return c / 2;
  return c * code_bytes(Fmt);
}

// The scale of (row, group) index i of a grouped format: FP16, or E8M0's 2^(e − 127) (written
// out here rather than calling core/e8m0.h: an inline function compiled with this file's ISA
// flags must not be the copy other callers get, see the header comment).
template <class V, WeightFormat Fmt>
float group_scale(const PackedWeightView& w, int64_t index) {
  if constexpr (layout(Fmt).scales == ScaleKind::GroupE8M0) {
    const uint32_t e = static_cast<const uint8_t*>(w.scales)[index];
    return e == 0 ? 0x1p-127f : e == 0xFF ? __builtin_nanf("") : __builtin_bit_cast(float, e << 23);
  }
  return V::half_to_float(static_cast<const uint16_t*>(w.scales)[index]);
}

// The row's scale for per-channel formats; E4M3 decodes to value / 2^8 (simd/avx512.h).
template <class V, WeightFormat Fmt>
float row_scale(const PackedWeightView& w, int64_t row) {
  if constexpr (!kRowScaled<Fmt>) return 1.0f;
  const float s = V::half_to_float(static_cast<const uint16_t*>(w.scales)[row]);
  return layout(Fmt).codes == CodeKind::E4M3 ? s * 256.0f : s;
}

// The group's zero point as a float (integer for every kind but GroupF16).
template <class V, WeightFormat Fmt>
float zero_point(const PackedWeightView& w, int64_t row, int64_t group) {
  const int64_t i = row * w.groups() + group;
  constexpr ZeroKind kZeros = layout(Fmt).zeros;
  if constexpr (kZeros == ZeroKind::Implicit8) return 8.0f;
  if constexpr (kZeros == ZeroKind::GroupU8)
    return static_cast<float>(static_cast<const uint8_t*>(w.zeros)[i]);
  if constexpr (kZeros == ZeroKind::GroupF16)
    return V::half_to_float(static_cast<const uint16_t*>(w.zeros)[i]);
  return 0.0f;
}

// y[row] for R consecutive rows starting at `row`, one activation vector.
template <class V, WeightFormat Fmt, int R>
void gemv_rows(const float* xp, const PackedWeightView& w, int64_t row, const float* lut,
               float* y) {
  using F = typename V::F;
  constexpr int kVecs = 32 / V::W;
  const int64_t full = w.k / 32 * 32;
  const int64_t group = kNibbles<Fmt> ? w.group : (full > 32 ? full : 32);
  const auto* base = static_cast<const uint8_t*>(w.data);
  const int64_t stride = w.row_bytes();
  F total[R];
  for (int r = 0; r < R; ++r) total[r] = V::zero();
  for (int64_t g0 = 0; g0 < full; g0 += group) {
    const int64_t g1 = smaller(g0 + group, full);
    const int64_t gi = kNibbles<Fmt> ? g0 / w.group : 0;
    F acc[R][kVecs];
    float zero[R];
    for (int r = 0; r < R; ++r) {
      zero[r] = zero_point<V, Fmt>(w, row + r, gi);
      for (int j = 0; j < kVecs; ++j) acc[r][j] = V::zero();
    }
    for (int64_t c = g0; c < g1; c += 32) {
      F xv[kVecs];
      for (int j = 0; j < kVecs; ++j) xv[j] = V::load(xp + c + j * V::W);
      for (int r = 0; r < R; ++r) {
        const uint8_t* codes = base + (row + r) * stride + byte_offset<Fmt>(c);
        // Batch-1 streams each weight once: fetch ahead so memory latency overlaps the decode.
        V::prefetch(codes + kPrefetchBytes);
        F d[kVecs];
        V::template decode32<Fmt>(codes, zero[r], lut, d);
        for (int j = 0; j < kVecs; ++j) acc[r][j] = V::fma(d[j], xv[j], acc[r][j]);
      }
    }
    for (int r = 0; r < R; ++r) {
      F s = acc[r][0];
      for (int j = 1; j < kVecs; ++j) s = V::add(s, acc[r][j]);
      if constexpr (kNibbles<Fmt>)
        total[r] =
            V::fma(s, V::set1(group_scale<V, Fmt>(w, (row + r) * w.groups() + gi)), total[r]);
      else
        total[r] = V::add(total[r], s);
    }
  }
  for (int r = 0; r < R; ++r) {
    float v = V::sum(total[r]) * row_scale<V, Fmt>(w, row + r);
    for (int64_t c = full; c < w.k; ++c) v += dequantize_weight(w, row + r, c) * xp[c];
    y[row + r] = v;
  }
}

template <class V, WeightFormat Fmt>
void gemv(const float* xp, const PackedWeightView& w, int64_t n0, int64_t n1, const float* lut,
          float* y) {
  int64_t n = n0;
  for (; n + V::kGemvRows <= n1; n += V::kGemvRows)
    gemv_rows<V, Fmt, V::kGemvRows>(xp, w, n, lut, y);
  for (; n < n1; ++n) gemv_rows<V, Fmt, 1>(xp, w, n, lut, y);
}

// Rows [r0, r0 + rows) × columns [c0, c1) of W as FP32 (scales applied) into out, ld c1 − c0,
// in the activations' (permuted) column order. c0 % 32 == 0.
template <class V, WeightFormat Fmt>
void decode_panel(const PackedWeightView& w, int64_t r0, int64_t rows, int64_t c0, int64_t c1,
                  const float* lut, float* out) {
  using F = typename V::F;
  constexpr int kVecs = 32 / V::W;
  const int64_t full_end = smaller(c1, w.k / 32 * 32);
  const auto* base = static_cast<const uint8_t*>(w.data);
  const int64_t ld = c1 - c0;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t row = r0 + r;
    const uint8_t* codes = base + row * w.row_bytes();
    float* o = out + r * ld;
    const float rs = row_scale<V, Fmt>(w, row);
    for (int64_t c = c0; c < full_end; c += 32) {
      const int64_t gi = kNibbles<Fmt> ? c / w.group : 0;
      const float s = kNibbles<Fmt> ? group_scale<V, Fmt>(w, row * w.groups() + gi) : rs;
      F d[kVecs];
      V::template decode32<Fmt>(codes + byte_offset<Fmt>(c), zero_point<V, Fmt>(w, row, gi), lut,
                                d);
      for (int j = 0; j < kVecs; ++j) {
        if constexpr (kNibbles<Fmt> || kRowScaled<Fmt>) d[j] = V::mul(d[j], V::set1(s));
        V::store(o + (c - c0) + j * V::W, d[j]);
      }
    }
    for (int64_t c = (c0 > full_end ? c0 : full_end); c < c1; ++c)
      o[c - c0] = dequantize_weight(w, row, c);
  }
}

// y[i, j] += Σ_c x[i, c]·p[j, c] for an MR × NR tile, c < len.
template <class V, int MR, int NR>
void dot_tile(const float* x, int64_t ldx, const float* p, int64_t ldp, int64_t len, float* y,
              int64_t ldy) {
  using F = typename V::F;
  F acc[MR][NR];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) acc[i][j] = V::zero();
  int64_t c = 0;
  for (; c + V::W <= len; c += V::W) {
    F xv[MR];
    for (int i = 0; i < MR; ++i) xv[i] = V::load(x + i * ldx + c);
    for (int j = 0; j < NR; ++j) {
      const F wv = V::load(p + j * ldp + c);
      for (int i = 0; i < MR; ++i) acc[i][j] = V::fma(xv[i], wv, acc[i][j]);
    }
  }
  if (c < len) {
    F xv[MR];
    for (int i = 0; i < MR; ++i) xv[i] = V::load_partial(x + i * ldx + c, len - c);
    for (int j = 0; j < NR; ++j) {
      const F wv = V::load_partial(p + j * ldp + c, len - c);
      for (int i = 0; i < MR; ++i) acc[i][j] = V::fma(xv[i], wv, acc[i][j]);
    }
  }
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) y[i * ldy + j] += V::sum(acc[i][j]);
}

// dot_tile for a runtime tile size mr ≤ MR, nr ≤ NR (edge tiles).
template <class V, int MR, int NR = V::kNr>
void dot_tile_n(int64_t nr, const float* x, int64_t ldx, const float* p, int64_t ldp, int64_t len,
                float* y, int64_t ldy) {
  if (nr == NR) return dot_tile<V, MR, NR>(x, ldx, p, ldp, len, y, ldy);
  if constexpr (NR > 1) dot_tile_n<V, MR, NR - 1>(nr, x, ldx, p, ldp, len, y, ldy);
}

template <class V, int MR = V::kMr>
void dot_tile_mn(int64_t mr, int64_t nr, const float* x, int64_t ldx, const float* p, int64_t ldp,
                 int64_t len, float* y, int64_t ldy) {
  if (mr == MR) return dot_tile_n<V, MR>(nr, x, ldx, p, ldp, len, y, ldy);
  if constexpr (MR > 1) dot_tile_mn<V, MR - 1>(mr, nr, x, ldx, p, ldp, len, y, ldy);
}

// The panel of decode_panel, transposed: out[(c − c0)·kPanelRows + r] = W[r0 + r, c] (scales
// applied; rows past `rows` are zero), so one column's kPanelRows weights are consecutive.
// Decodes W rows × 32 columns at a time and transposes each W × W block in registers.
template <class V, WeightFormat Fmt>
void decode_panel_kmajor(const PackedWeightView& w, int64_t r0, int64_t rows, int64_t c0,
                         int64_t c1, const float* lut, float* out) {
  using F = typename V::F;
  constexpr int kVecs = 32 / V::W;
  const int64_t full_end = smaller(c1, w.k / 32 * 32);
  const auto* base = static_cast<const uint8_t*>(w.data);
  for (int64_t rb = 0; rb < kPanelRows; rb += V::W) {
    for (int64_t c = c0; c < full_end; c += 32) {
      const int64_t gi = kNibbles<Fmt> ? c / w.group : 0;
      F d[kVecs][V::W];
      for (int r = 0; r < V::W; ++r) {
        const int64_t row = r0 + rb + r;
        if (rb + r >= rows) {
          for (int j = 0; j < kVecs; ++j) d[j][r] = V::zero();
          continue;
        }
        const float s = kNibbles<Fmt> ? group_scale<V, Fmt>(w, row * w.groups() + gi)
                                      : row_scale<V, Fmt>(w, row);
        F v[kVecs];
        V::template decode32<Fmt>(base + row * w.row_bytes() + byte_offset<Fmt>(c),
                                  zero_point<V, Fmt>(w, row, gi), lut, v);
        for (int j = 0; j < kVecs; ++j)
          d[j][r] = (kNibbles<Fmt> || kRowScaled<Fmt>) ? V::mul(v[j], V::set1(s)) : v[j];
      }
      for (int j = 0; j < kVecs; ++j) {
        V::transpose(d[j]);
        for (int col = 0; col < V::W; ++col)
          V::store(out + (c - c0 + j * V::W + col) * kPanelRows + rb, d[j][col]);
      }
    }
    for (int64_t c = (c0 > full_end ? c0 : full_end); c < c1; ++c)
      for (int64_t r = rb; r < rb + V::W; ++r)
        out[(c - c0) * kPanelRows + r] = r < rows ? dequantize_weight(w, r0 + r, c) : 0.0f;
  }
}

// y[i, 0:nb) += Σ_c x[i, c]·p[c, 0:nb) for MR activation rows against a K-major panel
// (kPanelRows per column): per column, kPanelRows / W weight vectors meet MR broadcast
// activations in MR × (kPanelRows / W) accumulators whose lanes are outputs.
template <class V, int MR>
void kmajor_tile(const float* x, int64_t ldx, const float* p, int64_t len, float* y, int64_t ldy,
                 int64_t nb) {
  using F = typename V::F;
  constexpr int kVecs = kPanelRows / V::W;
  F acc[MR][kVecs];
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < kVecs; ++v) acc[i][v] = V::zero();
  for (int64_t c = 0; c < len; ++c) {
    F wv[kVecs];
    for (int v = 0; v < kVecs; ++v) wv[v] = V::load(p + c * kPanelRows + v * V::W);
    for (int i = 0; i < MR; ++i) {
      const F xb = V::set1(x[i * ldx + c]);
      for (int v = 0; v < kVecs; ++v) acc[i][v] = V::fma(xb, wv[v], acc[i][v]);
    }
  }
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < kVecs; ++v) {
      const int64_t lanes = smaller(V::W, nb - v * V::W);
      if (lanes <= 0) break;
      float* out = y + i * ldy + v * V::W;
      V::store_partial(out, V::add(V::load_partial(out, lanes), acc[i][v]), lanes);
    }
}

template <class V, int MR = V::kKMajorMr>
void kmajor_tile_m(int64_t mr, const float* x, int64_t ldx, const float* p, int64_t len, float* y,
                   int64_t ldy, int64_t nb) {
  if (mr == MR) return kmajor_tile<V, MR>(x, ldx, p, len, y, ldy, nb);
  if constexpr (MR > 1) kmajor_tile_m<V, MR - 1>(mr, x, ldx, p, len, y, ldy, nb);
}

// y[:, n0:n1) (ld N) = x·W[n0:n1)ᵀ for m activation rows; panel holds kPanelRows × kPanelCols.
// KMajor: the K-major panel and the outer-product tile (kOuterMinRows rows and up, AVX-512),
// else the row-major panel and the dot-product tile.
template <class V, WeightFormat Fmt, bool KMajor>
void gemm_panels(const float* xp, int64_t m, const PackedWeightView& w, int64_t n0, int64_t n1,
                 const float* lut, float* y, float* panel) {
  const int64_t n_all = w.n, k = w.k;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t n = n0; n < n1; ++n) y[i * n_all + n] = 0.0f;
  for (int64_t nb0 = n0; nb0 < n1; nb0 += kPanelRows) {
    const int64_t nb = smaller(kPanelRows, n1 - nb0);
    for (int64_t kb0 = 0; kb0 < k; kb0 += kPanelCols) {
      const int64_t len = smaller(kPanelCols, k - kb0);
      const float* x = xp + kb0;
      float* yb = y + nb0;
      if constexpr (KMajor) {
        decode_panel_kmajor<V, Fmt>(w, nb0, nb, kb0, kb0 + len, lut, panel);
        for (int64_t i0 = 0; i0 < m; i0 += V::kKMajorMr)
          kmajor_tile_m<V>(smaller(V::kKMajorMr, m - i0), x + i0 * k, k, panel, len,
                           yb + i0 * n_all, n_all, nb);
      } else {
        decode_panel<V, Fmt>(w, nb0, nb, kb0, kb0 + len, lut, panel);
        for (int64_t i0 = 0; i0 < m; i0 += V::kMr)
          for (int64_t j0 = 0; j0 < nb; j0 += V::kNr)
            dot_tile_mn<V>(smaller(V::kMr, m - i0), smaller(V::kNr, nb - j0), x + i0 * k, k,
                           panel + j0 * len, len, len, yb + i0 * n_all + j0, n_all);
      }
    }
  }
}

// Calls fn.template operator()<F>() for the runtime format f: one instantiation per format.
template <class Fn>
void with_format(WeightFormat f, Fn&& fn) {
  switch (f) {
#define QZ_FORMAT_CASE(F) \
  case WeightFormat::F:   \
    return fn.template operator()<WeightFormat::F>();
    QZ_WEIGHT_FORMATS(QZ_FORMAT_CASE)
#undef QZ_FORMAT_CASE
  }
}

template <class V>
void gemv_any(const float* xp, const PackedWeightView& w, int64_t n0, int64_t n1, const float* lut,
              float* y) {
  with_format(w.format, [&]<WeightFormat F>() { gemv<V, F>(xp, w, n0, n1, lut, y); });
}

template <class V>
void gemm_any(const float* xp, int64_t m, const PackedWeightView& w, int64_t n0, int64_t n1,
              const float* lut, float* y, float* panel) {
  with_format(w.format,
              [&]<WeightFormat F>() { gemm_panels<V, F, false>(xp, m, w, n0, n1, lut, y, panel); });
}

template <class V>
void gemm_outer_any(const float* xp, int64_t m, const PackedWeightView& w, int64_t n0, int64_t n1,
                    const float* lut, float* y, float* panel) {
  with_format(w.format,
              [&]<WeightFormat F>() { gemm_panels<V, F, true>(xp, m, w, n0, n1, lut, y, panel); });
}

}  // namespace
}  // namespace qz::kernels::generic
