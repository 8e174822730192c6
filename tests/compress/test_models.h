// Small seeded models of each built-in architecture and inputs for them (compression tests).
#pragma once

#include <torch/torch.h>

#include <string>

#include "io/model_config.h"
#include "nn/make_model.h"

namespace qz::compress::testing {

inline nn::ModelPtr test_model(const std::string& arch) {
  torch::manual_seed(0);
  auto m = nn::make_model(
      io::default_config(arch, {1, 16, 16}, arch == "transformer" ? 256 : 12, 16), "test");
  m->eval();
  return m;
}

inline torch::Tensor test_inputs(const std::string& arch, int64_t n = 64) {
  torch::manual_seed(1);
  if (arch == "transformer") return torch::randint(0, 256, {n, 12}, torch::kInt64);
  return torch::rand({n, 1, 16, 16});
}

}  // namespace qz::compress::testing
