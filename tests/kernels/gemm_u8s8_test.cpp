// The integer GEMM of every ISA level this CPU has, on row-major and on VNNI-packed weights,
// equals the reference bit for bit; packing loses nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "core/rng.h"
#include "core/thread_pool.h"
#include "kernel_shapes.h"
#include "kernels/gemm_u8s8/gemm_u8s8.h"

namespace qz::kernels {
namespace {

// Random codes and grids for an m × k by n × k product, with the weights' row sums and their
// VNNI-packed copy. Extreme codes included: 255 × −128 sums must not saturate anywhere. The
// int8 format stores ±127 (min_code −127), which AVX2's packed kernel takes; −128 sends it to
// its row-major fallback.
struct RandomProduct {
  RandomProduct(int64_t m, int64_t n, int64_t k, Rng& rng, int min_code = -128)
      : m(m), n(n), k(k), xq(m * k), wq(n * k), sx(m), sw(n), bias(n), zx(m), sums(n) {
    for (auto& v : xq) v = static_cast<uint8_t>(rng.next() & 0xFF);
    for (auto& v : wq) v = static_cast<int8_t>(rng.range(min_code, 127));
    for (auto& v : sx) v = static_cast<float>(rng.uniform(0.001, 0.1));
    for (auto& v : zx) v = static_cast<int32_t>(rng.range(0, 255));
    for (auto& v : sw) v = static_cast<float>(rng.uniform(0.001, 0.1));
    for (auto& v : bias) v = static_cast<float>(rng.normal());
    weight_row_sums_ref(wq.data(), n, k, sums.data());
    packed = VnniPackedWeights(wq.data(), n, k);
  }
  U8Activations activations(bool per_row) const {
    return {xq.data(), sx.data(), zx.data(), per_row, m};
  }
  S8Weights weights(bool use_packed) const {
    return {wq.data(), sw.data(), sums.data(), n, k, use_packed ? &packed : nullptr};
  }

  int64_t m, n, k;
  std::vector<uint8_t> xq;
  std::vector<int8_t> wq;
  std::vector<float> sx, sw, bias;
  std::vector<int32_t> zx, sums;
  VnniPackedWeights packed;
};

TEST(GemmU8S8, EveryIsaEqualsTheReferenceBitForBit) {
  Rng rng(51);
  std::vector<testing::KernelShape> shapes = testing::kernel_shapes(64);
  shapes.push_back({2, 50, 1030});  // K past the 1024-column block
  for (Isa isa : supported_isas()) {
    for (const testing::KernelShape& s : shapes) {
      for (int min_code : {-128, -127}) {
        const RandomProduct p(s.m, s.n, s.k, rng, min_code);
        for (bool per_row : {true, false}) {
          for (bool use_packed : {false, true}) {
            const U8Activations x = p.activations(per_row);
            const S8Weights w = p.weights(use_packed);
            const Epilogue e{p.bias.data(), Activation::Relu};
            std::vector<float> ref(s.m * s.n), got(s.m * s.n, -7.0f);
            gemm_u8s8_f32_ref(x, w, e, ref.data());
            gemm_u8s8_f32_on(isa, x, w, e, got.data());
            ASSERT_EQ(got, ref) << isa_name(isa) << " m=" << s.m << " n=" << s.n << " k=" << s.k
                                << (use_packed ? " packed" : "") << " min code " << min_code;
          }
        }
      }
    }
  }
}

TEST(GemmU8S8, AllSaturatedCodesSumExactly) {
  // 255 · 127 · 2 overflows int16: the AVX2 path must not use the saturating vpmaddubsw form.
  const int64_t m = 2, n = 3, k = 4096;
  std::vector<uint8_t> xq(m * k, 255);
  std::vector<int8_t> wq(n * k, 127);
  std::vector<float> sx(m, 1.0f), sw(n, 1.0f);
  std::vector<int32_t> zx(m, 0), sums(n);
  weight_row_sums_ref(wq.data(), n, k, sums.data());
  const VnniPackedWeights packed(wq.data(), n, k);
  for (Isa isa : supported_isas()) {
    for (const VnniPackedWeights* pw : {static_cast<const VnniPackedWeights*>(nullptr), &packed}) {
      std::vector<float> y(m * n);
      gemm_u8s8_f32_on(isa, {xq.data(), sx.data(), zx.data(), true, m},
                       {wq.data(), sw.data(), sums.data(), n, k, pw}, {}, y.data());
      for (float v : y) EXPECT_EQ(v, 255.0f * 127.0f * k) << isa_name(isa);
    }
  }
}

TEST(GemmU8S8, FewOutputsManyRowsSplitTheRowsAndMatch) {
  // 3 outputs and 150 rows: with 3 threads the rows are split (kernels/work_split.h).
  Rng rng(52);
  const int64_t m = 150, n = 3, k = 70;
  std::vector<uint8_t> xq(m * k);
  std::vector<int8_t> wq(n * k);
  std::vector<float> sx(m), sw(n, 0.02f), bias(n, -0.1f);
  std::vector<int32_t> zx(m), sums(n);
  for (auto& v : xq) v = static_cast<uint8_t>(rng.next() & 0xFF);
  for (auto& v : wq) v = static_cast<int8_t>(rng.range(-128, 127));
  for (auto& v : sx) v = static_cast<float>(rng.uniform(0.001, 0.1));
  for (auto& v : zx) v = static_cast<int32_t>(rng.range(0, 255));
  weight_row_sums_ref(wq.data(), n, k, sums.data());
  const VnniPackedWeights packed(wq.data(), n, k);
  for (bool per_row : {true, false}) {
    for (const VnniPackedWeights* pw : {static_cast<const VnniPackedWeights*>(nullptr), &packed}) {
      const U8Activations x{xq.data(), sx.data(), zx.data(), per_row, m};
      const S8Weights w{wq.data(), sw.data(), sums.data(), n, k, pw};
      std::vector<float> ref(m * n), got(m * n);
      gemm_u8s8_f32_ref(x, w, {bias.data(), Activation::Gelu}, ref.data());
      set_compute_threads(3);
      gemm_u8s8_f32(x, w, {bias.data(), Activation::Gelu}, got.data());
      set_compute_threads(static_cast<int>(std::thread::hardware_concurrency()));
      EXPECT_EQ(got, ref) << "per_row=" << per_row << (pw != nullptr ? " packed" : "");
    }
  }
}

TEST(GemmU8S8, ManyPanelsSplitAcrossThreadsMatch) {
  // 7 panels of 32 outputs over 3 threads, the last panel partial.
  Rng rng(53);
  const int64_t m = 19, n = 7 * kVnniPanel - 5;
  const RandomProduct p(m, n, 203, rng);
  const U8Activations x = p.activations(true);
  const S8Weights w = p.weights(true);
  std::vector<float> ref(m * n), got(m * n);
  gemm_u8s8_f32_ref(x, w, {p.bias.data(), Activation::Silu}, ref.data());
  set_compute_threads(3);
  gemm_u8s8_f32(x, w, {p.bias.data(), Activation::Silu}, got.data());
  set_compute_threads(static_cast<int>(std::thread::hardware_concurrency()));
  EXPECT_EQ(got, ref);
}

TEST(VnniPackedWeights, RoundTripsAndPadsWithZeros) {
  Rng rng(54);
  for (auto [n, k] : {std::pair<int64_t, int64_t>{1, 1}, {32, 4}, {33, 7}, {70, 130}}) {
    std::vector<int8_t> wq(n * k);
    for (auto& v : wq) v = static_cast<int8_t>(rng.range(-128, 127));
    const VnniPackedWeights packed(wq.data(), n, k);
    EXPECT_EQ(packed.quads(), (k + 3) / 4);
    EXPECT_EQ(packed.panels(), (n + kVnniPanel - 1) / kVnniPanel);
    std::vector<int8_t> back(n * k, 99);
    packed.unpack(back.data());
    EXPECT_EQ(back, wq) << n << "x" << k;
    // Lane j of quad q holds feature j's columns 4q..4q+3.
    const int8_t* first = packed.panel(0);
    for (int64_t c = 0; c < std::min<int64_t>(k, 4); ++c) EXPECT_EQ(first[c], wq[c]);
    // Every byte past the codes (features ≥ n or columns ≥ k) is zero.
    int64_t nonzero_padding = 0;
    for (int64_t p = 0; p < packed.panels(); ++p)
      for (int64_t q = 0; q < packed.quads(); ++q)
        for (int64_t j = 0; j < kVnniPanel; ++j)
          for (int64_t t = 0; t < 4; ++t) {
            const bool padding = p * kVnniPanel + j >= n || q * 4 + t >= k;
            if (padding && packed.panel(p)[(q * kVnniPanel + j) * 4 + t] != 0) ++nonzero_padding;
          }
    EXPECT_EQ(nonzero_padding, 0) << n << "x" << k;
  }
}

}  // namespace
}  // namespace qz::kernels
