#include "core/cpu_features.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/blas_runtime.h"

namespace qz {
namespace {

TEST(CpuFeatures, ImplicationsHold) {
  const CpuFeatures& f = cpu_features();
  EXPECT_TRUE(!f.avx2 || f.avx);
  EXPECT_TRUE(!f.fma || f.avx);
  EXPECT_TRUE(!(f.avx512bw || f.avx512vl || f.avx512_vnni) || f.avx512f);
  const auto names = f.present();
  EXPECT_EQ(std::find(names.begin(), names.end(), "avx2") != names.end(), f.avx2);
}

TEST(BlasRuntime, PreferredCoreFollowsFeatures) {
  const CpuFeatures& f = cpu_features();
  const std::string core = preferred_blas_core();
  if (f.avx512f && f.avx512bw && f.avx512vl && f.avx512dq)
    EXPECT_EQ(core, "SkylakeX");
  else if (f.avx2 && f.fma)
    EXPECT_EQ(core, "Haswell");
  else
    EXPECT_EQ(core, "");
}

TEST(BlasRuntime, ClassifiesCoreNames) {
  EXPECT_TRUE(blas_core_is_vectorized("SkylakeX"));
  EXPECT_TRUE(blas_core_is_vectorized("Haswell"));
  EXPECT_TRUE(blas_core_is_vectorized("sapphirerapids"));
  EXPECT_FALSE(blas_core_is_vectorized("Prescott"));
  EXPECT_FALSE(blas_core_is_vectorized("Core2"));
  EXPECT_FALSE(blas_core_is_vectorized(""));
}

}  // namespace
}  // namespace qz
