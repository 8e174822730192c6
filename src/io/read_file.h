// Whole-file reads for user data, with a size bound and one-line errors.
#pragma once

#include <cstdint>
#include <string>

namespace qz::io {

// Reads `path` into a string; InputError when it is missing, unreadable or over `max_bytes`.
std::string read_file(const std::string& path, uint64_t max_bytes = uint64_t{4} << 30);

}  // namespace qz::io
