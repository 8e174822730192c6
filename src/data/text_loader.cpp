#include "data/text_loader.h"

#include "core/error.h"
#include "data/addition.h"
#include "io/read_file.h"

namespace qz::data {
namespace {
constexpr int64_t kMinWindows = 10;
constexpr int64_t kParts = 4;
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

Dataset load_text(const std::string& path, const DataOptions& options) {
  const std::string text = io::read_file(path);
  QZ_CHECK(!text.empty(), "[text] {}: file is empty", path);
  const int64_t bad = first_non_text_byte(text);
  QZ_CHECK(bad < 0, "[text] {} byte {}: not UTF-8 text (byte 0x{:02x}); is this a binary file?",
           path, bad, bad < 0 ? 0 : static_cast<unsigned char>(text[bad]));
  const int64_t t = options.seq_len;
  const int64_t windows = (static_cast<int64_t>(text.size()) - 1) / t;
  QZ_CHECK(windows >= kMinWindows,
           "[text] {}: {} bytes make {} windows of {} bytes; need at least {} ({} bytes)", path,
           text.size(), windows, t + 1, kMinWindows, kMinWindows * t + 1);

  Dataset d;
  d.spec = "text:" + path;
  d.task = nn::Task::LanguageModel;
  d.num_classes = kByteVocab;
  d.seq_len = t;
  d.slices.dims = {"part"};
  d.slices.values = {{"1", "2", "3", "4"}};
  Split all;
  all.inputs = torch::empty({windows, t}, torch::kInt64);
  all.targets = torch::empty({windows, t}, torch::kInt64);
  all.loss_mask = torch::ones({windows, t});
  all.slices = torch::empty({windows, 1}, torch::kInt64);
  int64_t* in = all.inputs.data_ptr<int64_t>();
  int64_t* tg = all.targets.data_ptr<int64_t>();
  int64_t* sl = all.slices.data_ptr<int64_t>();
  for (int64_t w = 0; w < windows; ++w) {
    for (int64_t p = 0; p < t; ++p) {
      in[w * t + p] = static_cast<unsigned char>(text[w * t + p]);
      tg[w * t + p] = static_cast<unsigned char>(text[w * t + p + 1]);
    }
    sl[w] = w * kParts / windows;
  }
  split_randomly(all, options, d);
  return d;
}

}  // namespace qz::data
