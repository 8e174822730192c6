#include "workflow/run_recipe.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>

#include "compress/awq.h"
#include "compress/hqq.h"
#include "compress/layer_walk.h"
#include "compress/low_rank.h"
#include "compress/prune/prune_masks.h"
#include "compress/prune/structured_prune.h"
#include "compress/qat.h"
#include "compress/quantize_pass.h"
#include "compress/second_order/gptq_pass.h"
#include "compress/second_order/sparsegpt_pass.h"
#include "compress/smoothquant.h"
#include "core/error.h"
#include "core/progress.h"
#include "io/method_configs.h"
#include "io/method_registry.h"
#include "nn/cnn.h"
#include "nn/fold_batch_norm.h"
#include "nn/make_model.h"
#include "nn/sparse_layer.h"
#include "train/distillation.h"
#include "workflow/build_model.h"

namespace qz::workflow {
namespace {

using nlohmann::json;

struct RecipeState {
  nn::ModelPtr model;
  nn::ModelPtr teacher;  // the input model, unchanged: fine-tuning distils from it
  const data::Dataset& data;
  torch::Tensor calibration;
  uint64_t seed = 0;
  compress::LayerMasks masks;                    // kept weights of pruned FP32 layers
  std::map<std::string, torch::Tensor> factors;  // the masks as the weights' dtype and shape
  std::map<std::string, std::string> patterns;   // pruned layer → "unstructured" | "N:M"
};

void require_no_masks(const RecipeState& s, const std::string& method) {
  QZ_CHECK(s.masks.empty(),
           "[recipe] {} after unstructured or N:M pruning is not supported: put it before the "
           "pruning step",
           method);
}

// Keeps pruned weights at zero (after every optimizer step and before packing).
void reapply_masks(RecipeState& s) {
  torch::NoGradGuard guard;
  for (const auto& [name, factor] : s.factors) {
    const nn::LayerSlot* slot = s.model->find_layer(name);
    if (slot != nullptr) slot->get()->dense_weight().mul_(factor);
  }
}

// Drops masks of layers that are no longer FP32 (quantized: their zeros stay in the codes).
void forget_compressed_masks(RecipeState& s) {
  for (auto it = s.masks.begin(); it != s.masks.end();) {
    const nn::LayerSlot* slot = s.model->find_layer(it->first);
    const auto format = slot->get()->scheme().value("format", "");
    if (format != "fp32" && format != "fake-quant") {
      s.factors.erase(it->first);
      s.patterns.erase(it->first);
      it = s.masks.erase(it);
    } else {
      ++it;
    }
  }
}

// Fine-tunes the current model (masks fixed) at the architecture's training rate unless `lr` is
// set, learning from the labels and from the input model (distillation, T = 4, α = 0.5): the
// uncompressed model's soft targets recover more than the labels alone.
compress::FinetuneSummary finetune(RecipeState& s, int64_t epochs, double lr,
                                   const std::string& label) {
  if (epochs <= 0) return {};
  train::TrainOptions o = train::default_train_options(s.model->arch());
  o.epochs = epochs;
  o.lr = lr > 0 ? lr : o.lr;
  o.seed = s.seed;
  o.label = label;
  const train::TrainResult r = train::train_model(
      *s.model, s.data, o, train::distillation_loss(*s.teacher, {}),
      s.masks.empty() ? train::StepHook() : [&s] { reapply_masks(s); });
  return {epochs, o.lr, r.epochs.back().val_accuracy};
}

// What the unstructured and N:M pruning methods share once their configs are read.
struct UnstructuredPrune {
  compress::MaskOptions mask;
  std::vector<std::string> exclude;
  io::FinetuneAfter finetune;
  enum class Scores { Magnitude, Wanda, SparseGpt } scores = Scores::Magnitude;
  compress::SparseGptOptions sparsegpt;  // Scores::SparseGpt only
};

compress::MaskScope mask_scope(const std::string& scope) {
  return scope == "global" ? compress::MaskScope::Global
         : scope == "row"  ? compress::MaskScope::PerRow
                           : compress::MaskScope::PerLayer;
}

compress::PruneStep prune_unstructured(RecipeState& s, const std::string& method,
                                       const UnstructuredPrune& p) {
  for (const nn::LayerSlot* slot : compress::selected_layers(*s.model, {method, p.exclude}))
    compress::require_dense(*slot, method, "prune before quantizing or factoring");
  const compress::MaskOptions& mo = p.mask;
  compress::LayerMasks masks;
  std::map<std::string, compress::SparseGptLayerReport> sparsegpt;
  if (p.scores == UnstructuredPrune::Scores::SparseGpt) {
    std::vector<compress::SparseGptLayerReport> reports;
    masks = compress::sparsegpt_model(*s.model, p.sparsegpt, s.calibration, p.exclude, &reports);
    for (const auto& r : reports) sparsegpt[r.layer] = r;
  } else {
    const compress::LayerScores scores =
        p.scores == UnstructuredPrune::Scores::Wanda
            ? compress::wanda_scores(*s.model, s.calibration, p.exclude)
            : compress::magnitude_scores(*s.model, p.exclude);
    masks = compress::select_masks(scores, mo);
  }
  compress::PruneStep step;
  step.pattern = mo.pattern;
  for (auto& [name, keep] : masks) {
    auto old = s.masks.find(name);
    if (old != s.masks.end()) keep = keep & old->second;
    const auto w = s.model->find_layer(name)->get()->dense_weight();
    s.masks[name] = keep;
    s.factors[name] = keep.view(w.sizes()).to(w.scalar_type());
    s.patterns[name] = mo.pattern;
    compress::PrunedLayer l{name, 1.0 - keep.to(torch::kFloat64).mean().item<double>(), {}};
    if (auto it = sparsegpt.find(name); it != sparsegpt.end()) l.sparsegpt = it->second;
    step.layers.push_back(std::move(l));
  }
  reapply_masks(s);
  step.finetune = finetune(s, p.finetune.finetune_epochs, p.finetune.lr, method + " fine-tune");
  return step;
}

template <class Config>
UnstructuredPrune unstructured_prune(const Config& c, compress::MaskOptions mask,
                                     UnstructuredPrune::Scores scores) {
  UnstructuredPrune p;
  p.mask = std::move(mask);
  p.exclude = c.exclude;
  p.finetune = c;
  p.scores = scores;
  return p;
}

compress::StepReport prune_magnitude(RecipeState& s, const io::RecipeStep& step) {
  const auto c = io::config_from_json<io::MagnitudePruneConfig>(step.options);
  compress::MaskOptions mask;
  mask.sparsity = c.sparsity;
  mask.scope = mask_scope(c.scope);
  return {prune_unstructured(s, step.method,
                             unstructured_prune(c, mask, UnstructuredPrune::Scores::Magnitude))};
}

compress::StepReport prune_nm(RecipeState& s, const io::RecipeStep& step) {
  const auto c = io::config_from_json<io::NmPruneConfig>(step.options);
  compress::MaskOptions mask;
  mask.pattern = c.pattern;
  return {prune_unstructured(s, step.method,
                             unstructured_prune(c, mask, UnstructuredPrune::Scores::Magnitude))};
}

// Wanda's and SparseGPT's unstructured sparsity is per row (their papers' comparison group).
compress::MaskOptions per_row(double sparsity, const std::string& pattern) {
  compress::MaskOptions mask;
  mask.sparsity = sparsity;
  mask.scope = compress::MaskScope::PerRow;
  mask.pattern = pattern;
  return mask;
}

compress::StepReport prune_wanda(RecipeState& s, const io::RecipeStep& step) {
  const auto c = io::config_from_json<io::WandaConfig>(step.options);
  return {prune_unstructured(
      s, step.method,
      unstructured_prune(c, per_row(c.sparsity, c.pattern), UnstructuredPrune::Scores::Wanda))};
}

compress::StepReport prune_sparsegpt(RecipeState& s, const io::RecipeStep& step) {
  const auto c = io::config_from_json<io::SparseGptConfig>(step.options);
  UnstructuredPrune p =
      unstructured_prune(c, per_row(c.sparsity, c.pattern), UnstructuredPrune::Scores::SparseGpt);
  p.sparsegpt = {c.sparsity, c.pattern, c.block, c.damp};
  return {prune_unstructured(s, step.method, p)};
}

compress::StepReport prune_structured(RecipeState& s, const io::RecipeStep& step) {
  require_no_masks(s, step.method);
  const auto c = io::config_from_json<io::StructuredPruneConfig>(step.options);
  compress::StructuredOptions so;
  so.ratio = c.ratio;
  so.norm = static_cast<int>(c.norm);
  so.global = c.global;
  so.exclude = c.exclude;
  compress::StructuredPruneStep report;
  report.groups = compress::prune_structured(*s.model, so);
  report.config = s.model->config();
  report.finetune = finetune(s, c.finetune_epochs, c.lr, "structured fine-tune");
  return {report};
}

compress::StepReport low_rank(RecipeState& s, const io::RecipeStep& step) {
  require_no_masks(s, step.method);
  const auto c = io::config_from_json<io::LowRankConfig>(step.options);
  compress::LowRankOptions lo;
  lo.rank = c.rank;
  lo.energy = c.energy;
  lo.ratio = c.ratio;
  lo.activation_aware = c.activation_aware;
  lo.exclude = c.exclude;
  compress::LowRankStep report;
  report.layers = compress::factorize_model(*s.model, lo, s.calibration);
  report.finetune = finetune(s, c.finetune_epochs, c.lr, "low-rank fine-tune");
  return {report};
}

// `config` with its layer widths (MLP/CNN hidden sizes and channels, a transformer's d_model
// and d_ff) scaled by f; d_model stays a multiple of 2·n_heads.
json scaled_widths(json config, double f) {
  auto scale = [f](int64_t v, int64_t multiple) {
    const int64_t scaled =
        static_cast<int64_t>(std::llround(static_cast<double>(v) * f / multiple));
    return std::max<int64_t>(1, scaled) * multiple;
  };
  for (const char* key : {"hidden", "channels", "d_ff"}) {
    if (!config.contains(key)) continue;
    if (config[key].is_array())
      for (auto& v : config[key]) v = scale(v.get<int64_t>(), 1);
    else
      config[key] = scale(config[key].get<int64_t>(), 1);
  }
  if (config.contains("d_model"))
    config["d_model"] = scale(config["d_model"], 2 * config.value("n_heads", int64_t{1}));
  return config;
}

}  // namespace

json default_student(const json& teacher_config, int64_t teacher_parameters) {
  json best = teacher_config;
  double best_error = std::numeric_limits<double>::infinity();
  const double target = static_cast<double>(teacher_parameters) / 4.0;
  for (int i = 1; i <= 16; ++i) {
    const json candidate = scaled_widths(teacher_config, std::pow(0.5, i / 4.0));
    const auto params = static_cast<double>(
        nn::make_model(candidate, "recipe distill default student")->parameter_count());
    const double error = std::fabs(std::log(params / target));
    if (error < best_error) {
      best_error = error;
      best = candidate;
    }
  }
  return best;
}

namespace {

// A language model's distillation targets the whole next-token distribution: perplexity
// shows what it buys where top-1 accuracy may not.
compress::StudentResult student_result(const eval::EvalResult& r) {
  compress::StudentResult out{r.accuracy, {}};
  if (r.language_model) out.perplexity = r.perplexity;
  return out;
}

compress::StepReport distill(RecipeState& s, const io::RecipeStep& step) {
  require_no_masks(s, step.method);
  const auto c = io::config_from_json<io::DistillConfig>(step.options);
  const std::string arch = s.model->arch();
  json overrides = s.model->config();
  for (const auto& [key, value] : c.student.items()) overrides[key] = value;
  for (const char* key : {"block_heads", "block_d_ff"})
    if (!c.student.contains(key)) overrides.erase(key);
  if (c.student.empty()) overrides = default_student(overrides, s.model->parameter_count());
  const json config = resolve_config(arch, overrides, "recipe distill 'student'", s.data);
  train::TrainOptions to = train::default_train_options(arch);
  if (c.epochs > 0) to.epochs = c.epochs;
  if (c.lr > 0) to.lr = c.lr;
  to.seed = s.seed;
  const train::DistillOptions d{c.temperature, c.alpha};
  auto make_student = [&] {
    torch::manual_seed(s.seed);
    return nn::make_model(config, "recipe distill 'student'");
  };
  compress::DistillStep report;
  report.teacher_parameters = s.model->parameter_count();
  // A transfer set: the students learn from the first N training samples only (the teacher was
  // trained on all), the setting where a teacher's soft targets carry what the labels cannot.
  data::Dataset transfer = s.data;
  const int64_t samples = c.transfer_samples;
  if (samples > 0 && samples < transfer.train.size()) {
    transfer.train = transfer.train.head(samples);
    report.transfer_samples = samples;
  }
  if (c.baseline) {
    // The same student, same seed and schedule, without a teacher: what distillation adds.
    nn::ModelPtr alone = make_student();
    to.label = "student alone";
    train::train_model(*alone, transfer, to);
    report.alone = student_result(eval::evaluate(*alone, s.data, "test"));
  }
  nn::ModelPtr student = make_student();
  to.label = "distil";
  train::train_model(*student, transfer, to, train::distillation_loss(*s.model, d));
  report.student_parameters = student->parameter_count();
  report.distilled = student_result(eval::evaluate(*student, s.data, "test"));
  report.student_config = config;
  s.model = student;
  return {report};
}

compress::StepReport qat(RecipeState& s, const io::RecipeStep& step) {
  const auto c = io::config_from_json<io::QatConfig>(step.options);
  compress::QatPlan plan;
  plan.method = c.quant;
  plan.group = c.group;
  plan.symmetric = c.symmetric;
  plan.exclude = c.exclude;
  compress::insert_fake_quant(*s.model, plan);
  compress::QatStep report;
  try {
    report.finetune = finetune(s, c.epochs, c.lr, "qat " + plan.method);
  } catch (...) {
    compress::remove_fake_quant(*s.model);
    throw;
  }
  compress::remove_fake_quant(*s.model);
  compress::QuantizePlan qp;
  qp.method = plan.method;
  qp.group = plan.group;
  qp.symmetric = plan.symmetric;
  qp.exclude = plan.exclude;
  compress::quantize_model(*s.model, qp, s.calibration);
  forget_compressed_masks(s);
  report.converted_to = qp;
  return {report};
}

compress::StepReport quantize(RecipeState& s, const io::RecipeStep& step) {
  const compress::QuantizePlan plan = compress::quantize_plan(step);
  reapply_masks(s);
  compress::QuantizeStep report{compress::quantize_model(*s.model, plan, s.calibration), true};
  forget_compressed_masks(s);
  return {report};
}

compress::StepReport gptq(RecipeState& s, const io::RecipeStep& step) {
  const auto c = io::config_from_json<io::GptqConfig>(step.options);
  compress::GptqOptions go;
  go.bits = static_cast<int>(c.bits);
  go.group = c.group;
  go.symmetric = c.symmetric;
  go.act_order = c.act_order;
  go.damp = c.damp;
  go.block = c.block;
  reapply_masks(s);
  compress::GptqStep report{compress::gptq_model(*s.model, go, s.calibration, c.exclude)};
  forget_compressed_masks(s);
  return {report};
}

// Round to nearest on GPTQ's grids: GPTQ's baseline.
compress::StepReport rtn(RecipeState& s, const io::RecipeStep& step) {
  const auto c = io::config_from_json<io::RtnConfig>(step.options);
  compress::GptqOptions go;
  go.bits = static_cast<int>(c.bits);
  go.group = c.group;
  go.symmetric = c.symmetric;
  reapply_masks(s);
  compress::QuantizeStep report{compress::rtn_model(*s.model, go, c.exclude), false};
  forget_compressed_masks(s);
  return {report};
}

compress::StepReport awq(RecipeState& s, const io::RecipeStep& step) {
  const auto c = io::config_from_json<io::AwqConfig>(step.options);
  compress::AwqOptions ao;
  ao.bits = static_cast<int>(c.bits);
  ao.group = c.group;
  ao.clip = c.clip;
  reapply_masks(s);
  compress::AwqStep report{compress::awq_model(*s.model, ao, s.calibration, c.exclude)};
  forget_compressed_masks(s);
  return {report};
}

// HQQ: calibration-free; the layers' Lp error against unoptimised zero points is recorded.
compress::StepReport hqq(RecipeState& s, const io::RecipeStep& step) {
  const auto c = io::config_from_json<io::HqqConfig>(step.options);
  compress::HqqOptions ho;
  ho.bits = static_cast<int>(c.bits);
  ho.group = c.group;
  ho.iterations = static_cast<int>(c.iterations);
  reapply_masks(s);
  compress::HqqStep report;
  report.layers = compress::hqq_model(*s.model, ho, c.exclude, &report.lp_gain);
  forget_compressed_masks(s);
  return {report};
}

// SmoothQuant: migrate activation outliers into the weights, then int8 weights and per-token
// int8 activations (int8-dynamic).
compress::StepReport smoothquant(RecipeState& s, const io::RecipeStep& step) {
  const auto c = io::config_from_json<io::SmoothQuantConfig>(step.options);
  reapply_masks(s);
  compress::SmoothQuantStep report;
  report.smoothing = compress::smooth_model(*s.model, c.alpha, s.calibration, c.exclude);
  compress::QuantizePlan plan;
  plan.method = "int8-dynamic";
  plan.exclude = c.exclude;
  report.layers = compress::quantize_model(*s.model, plan, s.calibration);
  forget_compressed_masks(s);
  return {report};
}

// Folds BatchNorm into the convs before it (eval mode): the CNN's conv → BN → ReLU stages
// become one conv with ReLU in its epilogue, with outputs equal within 1e-5.
compress::FuseStep fuse(RecipeState& s) {
  compress::FuseStep report;
  if (const auto* cnn = dynamic_cast<const nn::Cnn*>(s.model.get()))
    for (size_t i = 0; i < cnn->norms().size(); ++i)
      report.folded.push_back(fmt::format("bn{} into conv{}", i + 1, i + 1));
  if (auto model = nn::fold_batch_norms(*s.model)) s.model = model;
  return report;
}

compress::StepReport fuse_step(RecipeState& s, const io::RecipeStep&) {
  return {fuse(s)};
}

compress::StepReport finetune_step(RecipeState& s, const io::RecipeStep& step) {
  const auto c = io::config_from_json<io::FinetuneConfig>(step.options);
  return {compress::FinetuneStep{finetune(s, c.epochs, c.lr, "fine-tune")}};
}

using StepRunner = compress::StepReport (*)(RecipeState&, const io::RecipeStep&);

// The runner of every registered method (io/method_registry.h); post-training methods share
// the quantize pass.
const std::map<std::string, StepRunner>& step_runners() {
  static const std::map<std::string, StepRunner> runners = [] {
    std::map<std::string, StepRunner> r = {
        {"awq", awq},
        {"distill", distill},
        {"finetune", finetune_step},
        {"fuse", fuse_step},
        {"gptq", gptq},
        {"hqq", hqq},
        {"lowrank", low_rank},
        {"prune-magnitude", prune_magnitude},
        {"prune-nm", prune_nm},
        {"prune-sparsegpt", prune_sparsegpt},
        {"prune-structured", prune_structured},
        {"prune-wanda", prune_wanda},
        {"qat", qat},
        {"rtn", rtn},
        {"smoothquant", smoothquant},
    };
    for (const io::MethodSpec& m : io::method_specs())
      if (m.traits.post_training) r[m.name] = quantize;
    return r;
  }();
  return runners;
}

// Steps that compress weights in place fold BatchNorm first, so the folded weights are what
// gets quantized (and the norm's pass disappears from the compressed model).
compress::StepReport run_step(RecipeState& s, const io::RecipeStep& step) {
  const io::MethodSpec* spec = io::find_method_spec(step.method);
  const auto runner = step_runners().find(step.method);
  QZ_ASSERT(spec != nullptr && runner != step_runners().end(), "no runner for method '{}'",
            step.method);
  std::optional<compress::FuseStep> fused;
  if (spec->traits.folds_norms_first && nn::has_foldable_norms(*s.model)) fused = fuse(s);
  compress::StepReport report = runner->second(s, step);
  report.fused_first = std::move(fused);
  return report;
}

// A step report's JSON without its "seconds" fields: timings are printed, never stored, so the
// same run writes the same file.
json without_timings(json details) {
  if (details.is_object()) {
    details.erase("seconds");
    for (auto& [key, value] : details.items()) value = without_timings(value);
  } else if (details.is_array()) {
    for (auto& value : details) value = without_timings(value);
  }
  return details;
}

// Pruned layers still in FP32 become SparseLayers (mask + kept values).
json pack_pruned_layers(RecipeState& s) {
  json packed = json::array();
  reapply_masks(s);
  for (const auto& [name, keep] : s.masks) {
    const nn::LayerSlot* slot = s.model->find_layer(name);
    if (!slot->get()->is_dense()) continue;
    auto layer = nn::SparseLayer::pack(*slot->get(), keep, s.patterns.at(name));
    slot->replace(layer);
    packed.push_back(name);
  }
  return packed;
}

}  // namespace

bool runs_method(const std::string& method) {
  return step_runners().count(method) == 1;
}

int64_t model_weight_bytes(const nn::Model& model) {
  int64_t bytes = 0;
  for (const auto& slot : model.layers()) bytes += slot.get()->weight_bytes();
  return bytes;
}

RecipeResult run_recipe(nn::ModelFile& file, const RecipeRequest& request,
                        const data::Dataset& data) {
  QZ_CHECK(!request.steps.empty(), "[recipe] no steps to run");
  RecipeResult result;
  result.base_bytes = file.file_bytes;
  result.base_weight_bytes = model_weight_bytes(*file.model);
  result.base = request.base ? *request.base : eval::evaluate(*file.model, data, "test");
  RecipeState s{file.model,   nn::load_model(request.in_path).model,
                data,         data.train.head(request.calib_samples).inputs,
                request.seed, {},
                {},           {}};
  if (s.calibration.size(0) < request.calib_samples)
    fmt::print(stderr, "warning: only {} calibration samples available (asked for {})\n",
               s.calibration.size(0), request.calib_samples);
  json step_metrics = json::array();
  for (size_t i = 0; i < request.steps.size(); ++i) {
    const io::RecipeStep& step = request.steps[i];
    if (!progress_quiet())
      fmt::print(stderr, "step {}/{}: {}\n", i + 1, request.steps.size(), step.method);
    const auto start = std::chrono::steady_clock::now();
    StepOutcome out;
    out.method = step.method;
    out.report = run_step(s, step);
    s.model->eval();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.val_accuracy = train::split_accuracy(*s.model, data.val, data.has_answers);
    out.parameters = s.model->parameter_count();
    out.weight_bytes = model_weight_bytes(*s.model);
    step_metrics.push_back({{"method", step.method},
                            {"val_accuracy", compact_numbers(out.val_accuracy)},
                            {"parameters", out.parameters},
                            {"weight_bytes", out.weight_bytes},
                            {"details", compact_numbers(without_timings(out.report.to_json()))}});
    result.steps.push_back(std::move(out));
  }
  const json packed = pack_pruned_layers(s);
  if (!packed.empty()) {
    result.steps.back().weight_bytes = model_weight_bytes(*s.model);
    step_metrics.back()["weight_bytes"] = result.steps.back().weight_bytes;
    step_metrics.back()["packed_sparse"] = packed;
  }
  file.model = s.model;
  file.model->eval();
  result.compressed = eval::evaluate(*file.model, data, "test");

  json provenance = file.provenance;
  provenance["step"] = "compress";
  provenance["source"] = std::filesystem::path(request.in_path).filename().string();
  provenance["recipe"] = io::recipe_json(request.steps);
  provenance["seed"] = request.seed;
  provenance["calib_samples"] = request.calib_samples;
  provenance["data"] = data.spec;
  provenance["data_seed"] = request.data.options.seed;
  provenance.erase("compress");
  const json metrics = {{"steps", step_metrics},
                        {"test", stored_metrics(result.compressed)},
                        {"base_accuracy", compact_numbers(result.base.accuracy)}};
  nn::save_model(*file.model, request.out_path, provenance, metrics);
  result.out_bytes = std::filesystem::file_size(request.out_path);
  return result;
}

}  // namespace qz::workflow
