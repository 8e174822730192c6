// libFuzzer target: any bytes as a GGUF file, through the validating reader and then every
// accessor a later stage uses (typed reads, each tensor's bytes). Only InputError may come out.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "io/gguf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::byte> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::byte>(data[i]);
  try {
    const qz::io::GgufFile file = qz::io::GgufFile::from_bytes(std::move(bytes), "fuzz");
    volatile uint64_t sum = 0;
    for (const auto& t : file.tensors())
      for (std::byte b : file.bytes(t)) sum = sum + static_cast<uint8_t>(b);
    for (const auto& kv : file.metadata()) {
      sum = sum + kv.value.size();
      try {
        file.get_string(kv.key);
      } catch (const qz::InputError&) {
      }
      try {
        file.get_int(kv.key);
      } catch (const qz::InputError&) {
      }
    }
  } catch (const qz::InputError&) {
  }
  return 0;
}
