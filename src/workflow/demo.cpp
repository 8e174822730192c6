#include "workflow/demo.h"

#include "io/quantize_methods.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "core/error.h"
#include "eval/latency.h"
#include "io/recipe.h"
#include "nn/model_file.h"
#include "tradeoff/html_report.h"
#include "workflow/build_model.h"
#include "workflow/compress_model.h"
#include "workflow/eval_slices.h"
#include "workflow/measure_fusion.h"
#include "workflow/run_recipe.h"

namespace qz::workflow {
namespace {

struct BuiltinModel {
  std::string name;
  std::string arch;
  std::string data;
};

// Post-training methods for every model; "int4-mixed" is int4 with the most sensitive layers
// kept at int8 until the accuracy budget holds.
std::vector<std::string> demo_methods(bool quick) {
  if (quick) return {"int8-dynamic", "int4", "int4-mixed"};
  std::vector<std::string> methods = io::quantize_methods();
  methods.push_back("int4-mixed");
  return methods;
}

// Pruning, factorization and QAT, each with its fine-tuning, and a chain: recipes (README:
// Recipes) run on the classifiers. The transformer is left out: its fine-tuning costs minutes
// per variant (structured pruning with 5 epochs: about 7 min on 2 cores).
struct DemoRecipe {
  std::string name;
  std::string steps;  // the recipe's "steps" list, JSON
};

std::vector<DemoRecipe> demo_recipes(bool quick) {
  if (quick)
    return {{"prune-structured-50",
             R"([{"method": "prune-structured", "ratio": 0.5, "finetune_epochs": 1}])"}};
  return {
      {"prune-structured-50", R"([{"method": "prune-structured", "ratio": 0.5}])"},
      {"prune-nm-2-4", R"([{"method": "prune-nm", "pattern": "2:4"}])"},
      {"prune-magnitude-80", R"([{"method": "prune-magnitude", "sparsity": 0.8}])"},
      {"lowrank-50", R"([{"method": "lowrank", "ratio": 0.5}])"},
      {"qat-int4", R"([{"method": "qat", "quant": "int4"}])"},
      {"prune-structured-50-qat-int4",
       R"([{"method": "prune-structured", "ratio": 0.5}, {"method": "qat", "quant": "int4"}])"}};
}

const std::vector<BuiltinModel>& builtin_models() {
  static const std::vector<BuiltinModel> models = {{"mlp", "mlp", "shapes"},
                                                   {"cnn", "cnn", "shapes"},
                                                   {"transformer", "transformer", "addition"}};
  return models;
}

train::TrainOptions demo_train_options(const std::string& arch, const DemoOptions& o) {
  train::TrainOptions t = train::default_train_options(arch);
  t.seed = o.seed;
  t.label = arch;
  if (o.quick) t.epochs = std::max<int64_t>(1, t.epochs / 5);
  return t;
}

// Median latency of a saved variant at batch 1 and 32, loaded as a user would load it.
std::map<int64_t, tradeoff::Latency> demo_latency(const std::string& file,
                                                  const DemoOptions& options) {
  nn::ModelFile loaded = nn::load_model(file);
  std::map<int64_t, tradeoff::Latency> out;
  for (int64_t batch : {1, 32}) {
    const eval::LatencyStats l =
        eval::measure_latency(*loaded.model, eval::synthetic_input(*loaded.model, batch), 2, 5,
                              options.quick ? 0.05 : 0.3);
    out[batch] = {l.median_ms, l.p90_ms};
  }
  return out;
}

// The measured part of a report entry from an evaluation.
void set_accuracy(tradeoff::Variant& v, const eval::EvalResult& r) {
  v.accuracy = r.accuracy;
  if (r.language_model) v.perplexity = r.perplexity;
  v.slices = slices_of(r);
}

// One recipe run on a trained original (its file `base.file`), saved beside the others,
// measured as a user would load it.
tradeoff::Variant recipe_variant(const DemoRecipe& recipe, const tradeoff::Variant& base,
                                 const data::Dataset& data, const data::DataOptions& data_options,
                                 const DemoOptions& options) {
  const std::string model = base.name.substr(0, base.name.rfind("-fp32"));
  nn::ModelFile loaded = nn::load_model(base.file);
  RecipeRequest request;
  request.in_path = base.file;
  request.out_path = (std::filesystem::path(options.out_dir) / "models" /
                      fmt::format("{}-{}.safetensors", model, recipe.name))
                         .string();
  request.steps = io::parse_recipe(R"({"steps": )" + recipe.steps + "}", "demo " + recipe.name);
  request.data.spec = data.spec;
  request.data.options = data_options;
  request.seed = options.seed;
  const RecipeResult r = run_recipe(loaded, request, data);
  tradeoff::Variant v;
  v.name = fmt::format("{}-{}", model, recipe.name);
  v.method = recipe.name;
  v.base = base.name;
  v.file = request.out_path;
  v.bytes = r.out_bytes;
  v.parameters = r.steps.back().parameters;
  set_accuracy(v, r.compressed);
  v.details = {{"recipe", nlohmann::json::parse(recipe.steps)}};
  for (const StepOutcome& step : r.steps)
    v.details["steps"].push_back({{"method", step.method},
                                  {"val_accuracy", step.val_accuracy},
                                  {"parameters", step.parameters}});
  v.latency_ms = demo_latency(v.file, options);
  return v;
}

}  // namespace

uint64_t stable_hash(const std::string& text) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return h;
}

tradeoff::Report run_demo(const DemoOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(options.out_dir) / "models", ec);
  QZ_CHECK(!ec, "[demo] cannot create '{}': {}", options.out_dir, ec.message());
  data::DataOptions data_options;
  if (options.quick) data_options.size_scale = 0.25;

  tradeoff::Report report;
  report.budget = options.budget;
  report.context = {{"quick", options.quick}, {"seed", options.seed}};
  std::map<std::string, data::Dataset> datasets;
  for (const BuiltinModel& m : builtin_models()) {
    if (!datasets.count(m.data)) datasets.emplace(m.data, data::load_dataset(m.data, data_options));
    const data::Dataset& data = datasets.at(m.data);
    BuildRequest request;
    request.arch = m.arch;
    request.train = demo_train_options(m.arch, options);
    request.config_source = "built-in " + m.name + " config";
    // The cache key covers everything that decides the trained weights.
    const nlohmann::json key = {
        {"arch", m.arch},
        {"data", m.data},
        {"size_scale", data_options.size_scale},
        {"data_seed", data_options.seed},
        {"config", resolve_config(m.arch, request.config_overrides, request.config_source, data)},
        {"epochs", request.train.epochs},
        {"lr", request.train.lr},
        {"batch", request.train.batch},
        {"seed", request.train.seed},
        {"format", 1}};
    const std::string file =
        (fs::path(options.out_dir) / "models" /
         fmt::format("{}-fp32-{:016x}.safetensors", m.name, stable_hash(key.dump())))
            .string();
    tradeoff::Variant v;
    v.name = m.name + "-fp32";
    v.method = "fp32";
    v.file = file;
    if (fs::exists(file)) {
      nn::ModelFile loaded = nn::load_model(file);
      v.parameters = loaded.model->parameter_count();
      set_accuracy(v, eval::evaluate(*loaded.model, data, "test"));
      v.details = {{"cached", true}};
    } else {
      request.out_path = file;
      request.provenance_extra = {{"data_seed", data_options.seed}, {"demo", true}};
      const BuiltModel built = build_model(request, data);
      v.parameters = built.model->parameter_count();
      set_accuracy(v, built.test);
      v.details = {{"cached", false}, {"train_seconds", built.training.seconds}};
    }
    v.bytes = fs::file_size(file);
    v.latency_ms = demo_latency(file, options);
    report.variants.push_back(v);
    {
      nn::ModelFile loaded = nn::load_model(file);
      if (auto fusion = measure_fusion(*loaded.model, {1, 32}, options.quick ? 0.2 : 1.0)) {
        fusion->model = v.name;
        report.fusion.push_back(*fusion);
      }
    }
    const tradeoff::Variant base = v;

    for (const std::string& method : demo_methods(options.quick)) {
      nn::ModelFile loaded = nn::load_model(file);
      CompressRequest request;
      request.in_path = file;
      const bool mixed = method == "int4-mixed";
      request.plan.method = mixed ? "int4" : method;
      if (mixed) request.max_drop = options.budget.max_drop;
      request.out_path =
          (fs::path(options.out_dir) / "models" / fmt::format("{}-{}.safetensors", m.name, method))
              .string();
      request.data.spec = data.spec;
      request.data.options = data_options;
      const CompressResult r = compress_loaded(loaded, request, &data);
      tradeoff::Variant q;
      q.name = fmt::format("{}-{}", m.name, method);
      q.method = method;
      q.base = base.name;
      q.file = request.out_path;
      q.bytes = r.out_bytes;
      q.parameters = base.parameters;
      set_accuracy(q, r.compressed);
      if (mixed)
        q.details = {{"kept_at_" + r.fallback_method, r.kept_layers},
                     {"validation_drop", r.val_drop_points}};
      q.latency_ms = demo_latency(q.file, options);
      report.variants.push_back(q);
    }
    if (m.arch == "transformer") continue;
    for (const DemoRecipe& recipe : demo_recipes(options.quick))
      report.variants.push_back(recipe_variant(recipe, base, data, data_options, options));
  }
  tradeoff::annotate(report);
  tradeoff::write_reports(options.out_dir, report);
  return report;
}

}  // namespace qz::workflow
