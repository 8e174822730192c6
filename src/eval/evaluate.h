// Accuracy where it matters: overall and per slice (class, noise level, operand digits, ...),
// with the worst slice named, because the accuracy cliff of compression hides in slices.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "data/dataset.h"
#include "nn/model.h"

namespace qz::eval {

struct SliceResult {
  double accuracy = 0;
  int64_t count = 0;
};

struct EvalResult {
  std::string split;
  int64_t samples = 0;
  double accuracy = 0;        // classification top-1; LM exact match (answers) or token accuracy
  double loss = 0;            // mean cross-entropy per sample (classification) or scored token
  double perplexity = 0;      // language models: exp(loss), per byte
  double exact_match = 0;     // language models: whole answer (or whole window) right
  double token_accuracy = 0;  // language models: next-byte top-1
  bool language_model = false;
  std::map<std::string, SliceResult> slices;  // "noise=high" → result
  std::string worst_slice;
  double seconds = 0;

  // The JSON of `quantize eval --json`.
  nlohmann::json to_json() const;
};

// Evaluates `model` on `split` of `data` in eval mode, in batches of `batch`.
EvalResult evaluate(nn::Model& model, const data::Dataset& data, const std::string& split = "test",
                    int64_t batch = 512);

// Smallest slices are noisy: the worst slice is chosen among slices with at least this many.
inline constexpr int64_t kMinWorstSliceCount = 20;

}  // namespace qz::eval
