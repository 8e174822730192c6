// Every compression method's options as one struct: the member initialisers are the defaults,
// `fields()` (method_configs.cpp) gives each option its key, range and help. Recipe steps are
// validated against these specs (io/method_registry) and the steps' runners
// (workflow/run_recipe) read their options back as these structs.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/option_schema.h"

namespace qz::io {

// Options every post-training method (a row of io/quantize_methods.h) takes.
struct QuantizeConfig {
  int64_t group = 0;  // 0: the method's default group
  bool symmetric = false;
  std::string range = "minmax";
  std::string observer = "histogram";
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<QuantizeConfig>>& fields();
};

// Fine-tuning after a pruning or factorization step (lr 0: the architecture's training rate).
struct FinetuneAfter {
  int64_t finetune_epochs = 5;
  double lr = 0.0;
};

struct MagnitudePruneConfig : FinetuneAfter {
  double sparsity = 0.5;
  std::string scope = "layer";
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<MagnitudePruneConfig>>& fields();
};

struct NmPruneConfig : FinetuneAfter {
  std::string pattern = "2:4";
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<NmPruneConfig>>& fields();
};

struct WandaConfig : FinetuneAfter {
  double sparsity = 0.5;
  std::string pattern = "unstructured";
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<WandaConfig>>& fields();
};

struct SparseGptConfig : FinetuneAfter {
  double sparsity = 0.5;
  std::string pattern = "unstructured";
  double damp = 0.01;
  int64_t block = 128;
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<SparseGptConfig>>& fields();
};

struct StructuredPruneConfig : FinetuneAfter {
  double ratio = 0.5;
  int64_t norm = 2;
  bool global = false;
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<StructuredPruneConfig>>& fields();
};

// Exactly one of rank, energy and ratio is positive; with none given, half the parameters.
struct LowRankConfig : FinetuneAfter {
  int64_t rank = 0;
  double energy = 0.0;
  double ratio = 0.5;
  bool activation_aware = false;
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<LowRankConfig>>& fields();
};

struct DistillConfig {
  nlohmann::json student = nlohmann::json::object();  // empty: about ¼ of the teacher
  double temperature = 4.0;
  double alpha = 0.5;
  int64_t epochs = 0;  // 0: the architecture's
  double lr = 0.0;     // 0: the architecture's
  bool baseline = true;
  int64_t transfer_samples = 0;  // 0: every training sample
  static const std::vector<ConfigField<DistillConfig>>& fields();
};

struct QatConfig {
  std::string quant = "int4";
  int64_t group = 128;
  bool symmetric = false;
  int64_t epochs = 5;
  double lr = 0.0;
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<QatConfig>>& fields();
};

struct FinetuneConfig {
  int64_t epochs = 5;
  double lr = 0.0;
  static const std::vector<ConfigField<FinetuneConfig>>& fields();
};

// BatchNorm folded into the conv before it; no options.
struct FuseConfig {
  static const std::vector<ConfigField<FuseConfig>>& fields();
};

// GPTQ (REFERENCE.md defaults): W4 group 128 affine, 1% damping, 128-column blocks.
struct GptqConfig {
  int64_t bits = 4;
  int64_t group = 128;
  bool symmetric = false;
  bool act_order = false;
  double damp = 0.01;
  int64_t block = 128;
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<GptqConfig>>& fields();
};

// Round to nearest on GPTQ's grids: the baseline at any bit width.
struct RtnConfig {
  int64_t bits = 4;
  int64_t group = 128;
  bool symmetric = false;
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<RtnConfig>>& fields();
};

struct AwqConfig {
  int64_t bits = 4;
  int64_t group = 128;
  bool clip = true;
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<AwqConfig>>& fields();
};

struct SmoothQuantConfig {
  double alpha = 0.5;
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<SmoothQuantConfig>>& fields();
};

// HQQ (REFERENCE.md): group 64, p = 0.7, 20 iterations; no calibration data.
struct HqqConfig {
  int64_t bits = 4;
  int64_t group = 64;
  int64_t iterations = 20;
  std::vector<std::string> exclude;
  static const std::vector<ConfigField<HqqConfig>>& fields();
};

}  // namespace qz::io
