#include "data/text_loader.h"

#include "core/error.h"
#include "data/addition.h"
#include "io/read_file.h"
#include "io/text_corpus.h"

namespace qz::data {
namespace {
constexpr int64_t kParts = 4;
}  // namespace

Dataset load_text(const std::string& path, const DataOptions& options) {
  const std::string text = io::read_file(path);
  const int64_t t = options.seq_len;
  const int64_t windows = io::text_windows(text, path, t);

  Dataset d;
  d.spec = "text:" + path;
  d.task = Task::LanguageModel;
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
