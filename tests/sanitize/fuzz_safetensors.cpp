// libFuzzer target: any byte string as a safetensors file. Must end in a validated file whose
// every tensor lies inside the buffer, or in an InputError; never a crash, a read past the end,
// a hang or an unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/error.h"
#include "io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::byte> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::byte>(data[i]);
  try {
    const auto file = qz::io::SafetensorsFile::from_bytes(std::move(bytes), "fuzz");
    unsigned sum = 0;
    for (const auto& t : file.tensors()) {
      // Touch every byte of every tensor: ASan reports any span that leaves the buffer.
      for (std::byte b : file.bytes(t)) sum += static_cast<unsigned>(b);
      if (file.find(t.name) != &t) std::abort();  // the index agrees with the list
      if (t.numel() < 0) std::abort();
    }
    (void)sum;
    for (const auto& [key, value] : file.metadata()) (void)(key.size() + value.size());
  } catch (const qz::InputError&) {
  }
  return 0;
}
