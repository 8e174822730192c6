// What one recipe step reports, as one typed struct per kind of step: the runner fills it,
// report/step_summary prints it, and to_json() is what the model file's metrics store. The
// CLI reads fields, never JSON keys a pass happened to write.
#pragma once

#include <concepts>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compress/awq.h"
#include "compress/low_rank.h"
#include "compress/prune/structured_prune.h"
#include "compress/quantize_pass.h"
#include "compress/second_order/gptq_pass.h"
#include "compress/second_order/sparsegpt_pass.h"
#include "compress/smoothquant.h"

namespace qz::compress {

// The fine-tune a step ran after compressing (epochs 0: none).
struct FinetuneSummary {
  int64_t epochs = 0;
  double lr = 0;
  double val_accuracy = 0;  // after the last epoch
  nlohmann::json to_json() const;
};

// Post-training formats and rtn: every replaced layer's weight and output error.
struct QuantizeStep {
  std::vector<LayerReport> layers;
  bool output_measured = true;  // false for rtn, which sees no calibration inputs
};

struct GptqStep {
  std::vector<GptqLayerReport> layers;
};

struct HqqStep {
  std::vector<LayerReport> layers;
  std::vector<double> lp_gain;  // per layer: Lp error over the unoptimised zeros' (< 1: helped)
};

struct AwqStep {
  AwqReport awq;
};

struct SmoothQuantStep {
  std::vector<SmoothingReport> smoothing;
  std::vector<LayerReport> layers;  // the int8-dynamic layers after smoothing
};

struct PrunedLayer {
  std::string layer;
  double sparsity = 0;  // share of zero weights after this step (earlier masks included)
  std::optional<SparseGptLayerReport> sparsegpt;  // prune-sparsegpt only
};

// Unstructured and N:M pruning (magnitude, Wanda, SparseGPT).
struct PruneStep {
  std::string pattern;  // "unstructured" | "N:M"
  std::vector<PrunedLayer> layers;
  FinetuneSummary finetune;
};

struct StructuredPruneStep {
  std::vector<GroupPruning> groups;
  nlohmann::json config;  // the model's config at its new widths
  FinetuneSummary finetune;
};

struct LowRankStep {
  std::vector<LowRankReport> layers;
  FinetuneSummary finetune;
};

// A student's test figures (perplexity for a language model only).
struct StudentResult {
  double accuracy = 0;
  std::optional<double> perplexity;
};

struct DistillStep {
  int64_t teacher_parameters = 0, student_parameters = 0;
  int64_t transfer_samples = 0;  // 0: the whole training split
  StudentResult distilled;
  std::optional<StudentResult> alone;  // the same student trained without a teacher
  nlohmann::json student_config;
};

struct QatStep {
  FinetuneSummary finetune;
  QuantizePlan converted_to;
};

struct FuseStep {
  std::vector<std::string> folded;  // "bn1 into conv1", …
};

struct FinetuneStep {
  FinetuneSummary finetune;
};

struct StepReport {
  using Body =
      std::variant<QuantizeStep, GptqStep, HqqStep, AwqStep, SmoothQuantStep, PruneStep,
                   StructuredPruneStep, LowRankStep, DistillStep, QatStep, FuseStep, FinetuneStep>;

  StepReport() = default;
  template <class Step>
  requires std::constructible_from<Body, Step> StepReport(Step step)
      : body(std::move(step)) {}  // NOLINT: each step's own type is a report

  Body body;
  std::optional<FuseStep> fused_first;  // BatchNorm folded before a step that needs it

  // The stored form (timings included; the recipe runner drops them before saving).
  nlohmann::json to_json() const;
  // How many per-layer entries the step reports (0 for steps reporting none).
  int64_t layer_count() const;
};

}  // namespace qz::compress
