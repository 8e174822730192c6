// libFuzzer target: any bytes as a text corpus (UTF-8 check and window count), at a window
// length taken from the first byte. Only InputError may come out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "io/text_corpus.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int64_t seq_len = data[0] % 64;  // 0 must be refused, not divided by
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const int64_t windows = qz::io::text_windows(text, "fuzz", seq_len);
    if (windows * seq_len + 1 > static_cast<int64_t>(text.size())) __builtin_trap();
  } catch (const qz::InputError&) {
  }
  return 0;
}
