// The shapes every kernel family's test sweeps against its scalar reference, so each family (and
// each new format row) is tried on the same edges:
//   M: 1 (the GEMV), 2–7 (partial dot-product tiles), 8 and up (the outer-product tile, partial
//      row blocks);
//   N: across the panel edges (16, 48) and odd counts;
//   K: primes (no vector width divides them) and around the group: one short, exactly one group,
//      one past, whole groups, a partial last group.
// One dimension moves at a time from a base shape (at M = 1 and M = 9 for N and K, which the
// GEMV and the GEMM tile each take), plus two corners: about 70 products a sweep, not thousands.
#pragma once

#include <cstdint>
#include <vector>

namespace qz::kernels::testing {

struct KernelShape {
  int64_t m, n, k;
};

inline std::vector<KernelShape> kernel_shapes(int64_t group) {
  const std::vector<int64_t> ms = {1, 2, 3, 5, 8, 13, 33, 49};
  const std::vector<int64_t> ns = {1, 2, 7, 16, 17, 47, 48, 49, 97};
  std::vector<int64_t> ks = {1, 2, 3, 5, 7, 13, 31, 37, 61, 67, 127, 131, 257};
  for (int64_t k :
       {group - 1, group, group + 1, 2 * group, 2 * group + group / 2 + 1, 4 * group + 3})
    if (k > 0) ks.push_back(k);
  const int64_t base_n = 17, base_k = 2 * group + 5;
  std::vector<KernelShape> out;
  for (int64_t m : ms) out.push_back({m, base_n, base_k});
  for (int64_t m : {1, 9}) {
    for (int64_t n : ns) out.push_back({m, n, base_k});
    for (int64_t k : ks) out.push_back({m, base_n, k});
  }
  out.push_back({1, 1, 1});
  out.push_back({49, 97, 4 * group + 3});
  return out;
}

}  // namespace qz::kernels::testing
