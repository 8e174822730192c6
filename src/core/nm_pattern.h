// N:M semi-structured sparsity patterns ("2:4": at most N nonzeros in every M consecutive
// weights of a row), parsed once for recipes, the CLI and the sparse format.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace qz {

// Parses "N:M" (1 ≤ N < M ≤ 64); InputError naming `where` otherwise.
std::pair<int64_t, int64_t> parse_nm_pattern(const std::string& pattern, const std::string& where);

}  // namespace qz
