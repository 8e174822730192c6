// Quantization-aware training: every layer is swapped for a fake-quantizing twin
// (compress/fake_quant.h) that holds the same FP32 weight and bias as parameters under the same
// names, so the trainer fine-tunes it like a dense layer; afterwards the twins turn back into
// dense layers holding the trained weights, ready for the real quantization pass.
#pragma once

#include <string>
#include <vector>

#include "nn/model.h"

namespace qz::compress {

struct QatPlan {
  std::string method = "int4";  // int8 | int8-dynamic | int8-static | int4
  int64_t group = 128;          // int4 group size
  bool symmetric = false;       // int4: symmetric-offset grid
  std::vector<std::string> exclude;
};

// The methods QAT trains for (help texts, validation).
const std::vector<std::string>& qat_methods();

// Wraps every layer not in plan.exclude; InputError for a method QAT does not train for or a
// layer that is not FP32.
void insert_fake_quant(nn::Model& model, const QatPlan& plan);

// Replaces the wrappers by dense layers with the trained weights (no-op for other layers).
void remove_fake_quant(nn::Model& model);

}  // namespace qz::compress
