// The bitmask-sparse matmul: every ISA level this CPU has against the scalar reference, and the
// reference against a plain dense product, on random masks of every density and awkward shapes.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rng.h"
#include "kernel_shapes.h"
#include "kernels/sparse/sparse_matmul.h"

namespace qz::kernels {
namespace {

// A random sparse matrix: the dense form (zeros where pruned) and its mask + values.
struct RandomSparse {
  std::vector<float> dense, values;
  std::vector<uint8_t> mask;
  std::vector<int64_t> offsets;
  SparseWeightView view;
};

RandomSparse random_sparse(int64_t n, int64_t k, double density, Rng& rng) {
  RandomSparse s;
  s.dense.assign(static_cast<size_t>(n * k), 0.0f);
  s.mask.assign(static_cast<size_t>(n * ((k + 7) / 8)), 0);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; ++c)
      if (rng.uniform() < density) {
        const float v = static_cast<float>(rng.normal());
        s.dense[r * k + c] = v;
        s.values.push_back(v);
        s.mask[r * ((k + 7) / 8) + c / 8] |= static_cast<uint8_t>(1u << (c % 8));
      }
  s.offsets = sparse_row_offsets(s.mask.data(), n, k);
  s.values.push_back(0.0f);  // never read: keeps data() valid when nothing is kept
  s.view = {n, k, s.mask.data(), s.values.data(), s.offsets.data()};
  return s;
}

std::vector<float> random_vector(int64_t count, Rng& rng) {
  std::vector<float> v(static_cast<size_t>(count));
  for (auto& x : v) x = static_cast<float>(rng.normal());
  return v;
}

TEST(SparseMatmul, RowOffsetsCountKeptColumnsAndIgnorePaddingBits) {
  const std::vector<uint8_t> mask = {0xFF, 0x03, 0x00, 0xF0};  // k = 10: 2 bytes per row
  const auto offsets = sparse_row_offsets(mask.data(), 2, 10);
  EXPECT_EQ(offsets, (std::vector<int64_t>{0, 10, 10}));
}

TEST(SparseMatmul, ReferenceEqualsTheDenseProduct) {
  Rng rng(5);
  const int64_t m = 3, n = 9, k = 37;
  const auto s = random_sparse(n, k, 0.3, rng);
  const auto x = random_vector(m * k, rng);
  std::vector<float> y(static_cast<size_t>(m * n));
  sparse_matmul_f32_ref(x.data(), m, s.view, {}, y.data());
  for (int64_t i = 0; i < m; ++i)
    for (int64_t r = 0; r < n; ++r) {
      double acc = 0;
      for (int64_t c = 0; c < k; ++c) acc += double{x[i * k + c]} * s.dense[r * k + c];
      EXPECT_NEAR(y[i * n + r], acc, 1e-5);
    }
}

TEST(SparseMatmul, EveryIsaMatchesTheReferenceOnTheKernelShapes) {
  Rng rng(7);
  const std::vector<float> bias = random_vector(300, rng);
  for (Isa isa : supported_isas())
    for (double density : {0.0, 0.2, 0.5, 1.0})
      for (const testing::KernelShape& sh : testing::kernel_shapes(32)) {
        const int64_t m = sh.m, n = sh.n, k = sh.k;
        const auto s = random_sparse(n, k, density, rng);
        const auto x = random_vector(m * k, rng);
        const Epilogue e{bias.data(), Activation::Relu};
        std::vector<float> ref(static_cast<size_t>(m * n)), got(ref.size(), -7.0f);
        sparse_matmul_f32_ref(x.data(), m, s.view, e, ref.data());
        sparse_matmul_f32_on(isa, x.data(), m, s.view, e, got.data());
        for (int64_t i = 0; i < m; ++i)
          for (int64_t r = 0; r < n; ++r) {
            double magnitude = 0;
            for (int64_t c = 0; c < k; ++c)
              magnitude += std::fabs(x[i * k + c] * s.dense[r * k + c]);
            const size_t at = static_cast<size_t>(i * n + r);
            ASSERT_NEAR(got[at], ref[at], 1e-5 * magnitude + 1e-6)
                << isa_name(isa) << " density " << density << " m=" << m << " n=" << n << " k=" << k
                << " at (" << i << ", " << r << ")";
          }
      }
}

}  // namespace
}  // namespace qz::kernels
