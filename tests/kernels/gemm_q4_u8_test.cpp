// The W4A8 GEMM: its reference is the product of the dequantized weights and activations, and
// every ISA level this CPU has matches the reference on awkward shapes and groups.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "core/minifloat.h"
#include "core/rng.h"
#include "core/thread_pool.h"
#include "kernel_shapes.h"
#include "kernels/gemm_q4_u8/gemm_q4_u8.h"

namespace qz::kernels {
namespace {

using testing::KernelShape;

// Random int4 group codes (packed), FP16 scales, zero points (asymmetric) and their code sums,
// with random uint8 activations on per-row grids.
struct RandomQ4Product {
  RandomQ4Product(int64_t m, int64_t n, int64_t k, int64_t group, bool symmetric, Rng& rng)
      : m(m), n(n), k(k), group(group) {
    const int64_t groups = (k + group - 1) / group;
    packed.resize(n * ((k + 1) / 2));
    scales.resize(n * groups);
    row_offsets.resize(n);
    xq.resize(m * k);
    sx.resize(m);
    zx.resize(m);
    for (auto& v : packed) v = static_cast<uint8_t>(rng.next() & 0xFF);
    for (auto& v : scales) v = float_to_fp16(static_cast<float>(rng.uniform(0.001, 0.05)));
    if (!symmetric) {
      zeros.resize(n * groups);
      for (auto& v : zeros) v = static_cast<uint8_t>(rng.range(0, 15));
    }
    q4_row_offsets(weights(), row_offsets.data());
    for (auto& v : xq) v = static_cast<uint8_t>(rng.next() & 0xFF);
    for (auto& v : sx) v = static_cast<float>(rng.uniform(0.001, 0.1));
    for (auto& v : zx) v = static_cast<int32_t>(rng.range(0, 255));
  }
  U8Activations activations() const { return {xq.data(), sx.data(), zx.data(), true, m}; }
  Q4Weights weights() const {
    return {packed.data(),
            scales.data(),
            zeros.empty() ? nullptr : zeros.data(),
            row_offsets.data(),
            n,
            k,
            group};
  }
  int32_t code(int64_t row, int64_t c) const {
    return (packed[row * ((k + 1) / 2) + c / 2] >> (4 * (c % 2))) & 0x0F;
  }
  int32_t zero(int64_t row, int64_t g) const {
    return zeros.empty() ? 8 : zeros[row * ((k + group - 1) / group) + g];
  }
  // Σ of |every term the kernels add| for output (i, j): the scale of their rounding error.
  double magnitude(int64_t i, int64_t j) const {
    const int64_t groups = (k + group - 1) / group;
    double total = 0;
    for (int64_t c = 0; c < k; ++c) {
      const double s = fp16_to_float(scales[j * groups + c / group]) * sx[i];
      const double q = code(j, c), z = zero(j, c / group);
      total += s * (q * xq[i * k + c] + z * xq[i * k + c] + zx[i] * q + z * zx[i]);
    }
    return total;
  }

  int64_t m, n, k, group;
  std::vector<uint8_t> packed, zeros, xq;
  std::vector<uint16_t> scales;
  std::vector<int32_t> zx;
  std::vector<float> sx, row_offsets;
};

TEST(GemmQ4U8Ref, IsTheProductOfTheDequantizedOperands) {
  Rng rng(61);
  for (bool symmetric : {true, false}) {
    const RandomQ4Product p(3, 5, 200, 64, symmetric, rng);
    std::vector<float> y(3 * 5);
    gemm_q4u8_f32_ref(p.activations(), p.weights(), {}, y.data());
    for (int64_t i = 0; i < 3; ++i)
      for (int64_t j = 0; j < 5; ++j) {
        double want = 0;
        for (int64_t c = 0; c < 200; ++c) {
          const double w =
              fp16_to_float(p.scales[j * 4 + c / 64]) * (p.code(j, c) - p.zero(j, c / 64));
          want += w * p.sx[i] * (static_cast<int32_t>(p.xq[i * 200 + c]) - p.zx[i]);
        }
        EXPECT_NEAR(y[i * 5 + j], want, 1e-5 * p.magnitude(i, j) + 1e-6);
      }
  }
}

void expect_isa_matches_reference(Isa isa, const RandomQ4Product& p, bool symmetric) {
  const std::vector<float> bias(p.n, 0.25f);
  const Epilogue e{bias.data(), Activation::Gelu};
  std::vector<float> ref(p.m * p.n), got(p.m * p.n, -7.0f);
  gemm_q4u8_f32_ref(p.activations(), p.weights(), e, ref.data());
  gemm_q4u8_f32_on(isa, p.activations(), p.weights(), e, got.data());
  for (int64_t i = 0; i < p.m; ++i)
    for (int64_t j = 0; j < p.n; ++j)
      ASSERT_NEAR(got[i * p.n + j], ref[i * p.n + j], 1e-5 * p.magnitude(i, j) + 1e-6)
          << isa_name(isa) << (symmetric ? " sym" : " asym") << " m=" << p.m << " n=" << p.n
          << " k=" << p.k << " group=" << p.group << " at (" << i << ", " << j << ")";
}

TEST(GemmQ4U8, EveryIsaMatchesTheReferenceOnTheKernelShapes) {
  Rng rng(62);
  for (Isa isa : supported_isas())
    for (bool symmetric : {true, false}) {
      for (int64_t group : {32, 64, 128})
        for (const KernelShape& s : testing::kernel_shapes(group))
          expect_isa_matches_reference(isa, RandomQ4Product(s.m, s.n, s.k, group, symmetric, rng),
                                       symmetric);
      // Groups of several kernel blocks, one whole row, and 96: the reference everywhere.
      for (auto [m, n, k, group] : {std::tuple<int64_t, int64_t, int64_t, int64_t>{2, 6, 1100, 256},
                                    {3, 4, 384, 384},
                                    {5, 3, 700, 96}})
        expect_isa_matches_reference(isa, RandomQ4Product(m, n, k, group, symmetric, rng),
                                     symmetric);
    }
}

TEST(GemmQ4U8, ResultsDoNotDependOnTheThreadCount) {
  Rng rng(63);
  const RandomQ4Product p(3, 301, 512, 128, false, rng);
  std::vector<float> one(3 * 301), three(3 * 301);
  set_compute_threads(1);
  gemm_q4u8_f32(p.activations(), p.weights(), {}, one.data());
  set_compute_threads(3);
  gemm_q4u8_f32(p.activations(), p.weights(), {}, three.data());
  set_compute_threads(static_cast<int>(std::thread::hardware_concurrency()));
  EXPECT_EQ(one, three);
}

}  // namespace
}  // namespace qz::kernels
