#include "core/nm_pattern.h"

#include <cstdio>

#include "core/error.h"

namespace qz {

std::pair<int64_t, int64_t> parse_nm_pattern(const std::string& pattern, const std::string& where) {
  int n = 0, m = 0;
  char tail = 0;
  const bool parsed = std::sscanf(pattern.c_str(), "%d:%d%c", &n, &m, &tail) == 2;
  QZ_CHECK(parsed && n >= 1 && n < m && m <= 64,
           "{}: sparsity pattern '{}' (expected N:M with 1 <= N < M <= 64, e.g. 2:4)", where,
           pattern);
  return {n, m};
}

}  // namespace qz
