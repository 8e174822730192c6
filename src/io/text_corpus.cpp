#include "io/text_corpus.h"

#include "core/error.h"

namespace qz::io {
namespace {
constexpr int64_t kMinWindows = 10;
}  // namespace

int64_t first_non_text_byte(const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c == 0) return static_cast<int64_t>(i);
    size_t len = 0;
    uint32_t min_cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, min_cp = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min_cp = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min_cp = 0x10000;
    } else {
      return static_cast<int64_t>(i);
    }
    if (i + len > n) return static_cast<int64_t>(i);
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return static_cast<int64_t>(i);
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min_cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return static_cast<int64_t>(i);
    i += len;
  }
  return -1;
}

int64_t text_windows(const std::string& text, const std::string& path, int64_t seq_len) {
  QZ_CHECK(seq_len >= 1, "[text] {}: window length {} must be positive", path, seq_len);
  QZ_CHECK(!text.empty(), "[text] {}: file is empty", path);
  const int64_t bad = first_non_text_byte(text);
  QZ_CHECK(bad < 0, "[text] {} byte {}: not UTF-8 text (byte 0x{:02x}); is this a binary file?",
           path, bad, bad < 0 ? 0 : static_cast<unsigned char>(text[bad]));
  const int64_t windows = (static_cast<int64_t>(text.size()) - 1) / seq_len;
  QZ_CHECK(windows >= kMinWindows,
           "[text] {}: {} bytes make {} windows of {} bytes; need at least {} ({} bytes)", path,
           text.size(), windows, seq_len + 1, kMinWindows, kMinWindows * seq_len + 1);
  return windows;
}

}  // namespace qz::io
