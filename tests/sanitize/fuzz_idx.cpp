// libFuzzer target: any bytes as an IDX file. Must give dims whose product is the data size,
// or an InputError.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "io/idx_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const auto a = qz::io::parse_idx(bytes, "fuzz.idx");
    uint64_t total = 1;
    for (int64_t d : a.dims) total *= static_cast<uint64_t>(d);
    if (a.dims.empty() || total != a.data.size()) std::abort();
  } catch (const qz::InputError&) {
  }
  return 0;
}
