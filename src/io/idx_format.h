// IDX arrays (the MNIST file format) of unsigned bytes, parsed from untrusted bytes: a magic of
// two zero bytes, type 0x08 and a rank of 1–4, big-endian dimensions, then exactly the data.
// Torch-free, so the fuzzer reaches it (tests/sanitize). Errors name the file and byte.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qz::io {

struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> data;
};

IdxArray parse_idx(const std::string& bytes, const std::string& path);

}  // namespace qz::io
