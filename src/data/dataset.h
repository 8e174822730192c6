// Datasets: train / validation / test splits as tensors, every sample labelled with slices
// (class, noise level, operand digits, ...) so evaluation can find where accuracy falls off.
//
// Data specs: "shapes", "addition" (built in, generated from a seed), "csv:PATH",
// "idx:IMAGES[,LABELS]", "text:PATH".
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "core/task.h"

namespace qz::data {

// Slice dimensions, e.g. dims {"class","noise"} with values {{"disk",...},{"low","mid","high"}}.
struct SliceSchema {
  std::vector<std::string> dims;
  std::vector<std::vector<std::string>> values;

  // "noise=high" for dimension d, value v.
  std::string label(size_t d, int64_t v) const { return dims[d] + "=" + values[d][v]; }
};

struct Split {
  torch::Tensor inputs;     // float [N, ...] features/images, or int64 [N, T] tokens
  torch::Tensor targets;    // int64 [N] labels, or int64 [N, T] next tokens
  torch::Tensor loss_mask;  // float [N, T] positions scored (language models only)
  torch::Tensor slices;     // int64 [N, dims] value index per slice dimension

  int64_t size() const { return inputs.defined() ? inputs.size(0) : 0; }
  // The samples at `index` (int64 [M]).
  Split select(const torch::Tensor& index) const;
  // The first n samples.
  Split head(int64_t n) const;
};

struct Dataset {
  std::string spec;  // the --data value it came from
  Task task = Task::Classification;
  std::vector<int64_t> input_shape;  // one sample's shape (classification)
  int64_t num_classes = 0;           // classes, or vocabulary size for language models
  int64_t seq_len = 0;               // tokens per sample (language models)
  bool has_answers = false;          // language model samples end in a scored answer
  std::vector<std::string> class_names;
  SliceSchema slices;
  Split train, val, test;

  const Split& split(const std::string& name) const;
};

struct DataOptions {
  uint64_t seed = 1234;       // fixes generation and the train/val/test split
  double val_fraction = 0.1;  // user files only; built-ins have fixed split sizes
  double test_fraction = 0.2;
  int64_t seq_len = 64;     // text: tokens per window
  double size_scale = 1.0;  // built-ins: multiply sample counts (tests use less)
};

// Loads or generates the data named by `spec`; InputError for an unknown spec or a bad file.
Dataset load_dataset(const std::string& spec, const DataOptions& options = {});

// Seeded permutation split of `all` into train/val/test by the options' fractions.
void split_randomly(const Split& all, const DataOptions& options, Dataset& out);

// Single-dimension schema "class" over `num_classes` classes named by index or `names`.
SliceSchema class_slices(int64_t num_classes, const std::vector<std::string>& names = {});

}  // namespace qz::data
