// Test entry point: like the CLI, runs OpenBLAS at its proper kernel (re-executing once).
#include <gtest/gtest.h>

#include "core/blas_runtime.h"

int main(int argc, char** argv) {
  qz::ensure_runtime_environment(argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
