#include "workflow/demo.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/error.h"
#include "eval/latency.h"
#include "io/atomic_file.h"
#include "nn/model_file.h"
#include "workflow/build_model.h"
#include "workflow/compress_model.h"

namespace qz::workflow {
namespace {

struct BuiltinModel {
  std::string name;
  std::string arch;
  std::string data;
};

// Post-training methods per architecture. The transformer skips int8 activations until the
// fast integer kernels land: the scalar reference GEMM makes its evaluation take minutes.
std::vector<std::string> demo_methods(const std::string& arch, bool quick) {
  if (quick) return {"int8-dynamic", "int4"};
  if (arch == "transformer") return {"fp16", "bf16", "fp8-e4m3", "int8", "int4", "nf4"};
  return {"fp16",         "bf16",        "fp8-e4m3", "fp8-e5m2", "int8",
          "int8-dynamic", "int8-static", "int4",     "nf4"};
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
std::vector<eval::LatencyStats> demo_latency(const std::string& file, const DemoOptions& options) {
  nn::ModelFile loaded = nn::load_model(file);
  std::vector<eval::LatencyStats> out;
  for (int64_t batch : {1, 32})
    out.push_back(eval::measure_latency(*loaded.model, eval::synthetic_input(*loaded.model, batch),
                                        2, 5, options.quick ? 0.05 : 0.3));
  return out;
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

nlohmann::json DemoReport::to_json() const {
  nlohmann::json j;
  j["schema"] = "quantize.report/1";
  j["variants"] = nlohmann::json::array();
  for (const auto& v : variants) {
    nlohmann::json e;
    e["name"] = v.name;
    e["method"] = v.method;
    e["base"] = v.base;
    e["file"] = v.file;
    e["bytes"] = v.bytes;
    e["parameters"] = v.parameters;
    e["accuracy"] = v.test.accuracy;
    e["accuracy_drop"] = v.accuracy_drop;
    e["worst_slice"] = v.test.worst_slice;
    e["worst_slice_accuracy"] =
        v.test.worst_slice.empty() ? 0.0 : v.test.slices.at(v.test.worst_slice).accuracy;
    if (v.test.language_model) e["perplexity"] = v.test.perplexity;
    e["eval"] = v.test.to_json();
    e["latency_ms"] = nlohmann::json::object();
    for (const auto& l : v.latency)
      e["latency_ms"][std::to_string(l.batch)] = {{"median", l.median_ms}, {"p90", l.p90_ms}};
    j["variants"].push_back(e);
  }
  return j;
}

DemoReport run_demo(const DemoOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(options.out_dir) / "models", ec);
  QZ_CHECK(!ec, "[demo] cannot create '{}': {}", options.out_dir, ec.message());
  data::DataOptions data_options;
  if (options.quick) data_options.size_scale = 0.25;

  DemoReport report;
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
    DemoVariant v;
    v.name = m.name + "-fp32";
    v.method = "fp32";
    v.file = file;
    if (fs::exists(file)) {
      nn::ModelFile loaded = nn::load_model(file);
      v.cached = true;
      v.parameters = loaded.model->parameter_count();
      v.test = eval::evaluate(*loaded.model, data, "test");
    } else {
      request.out_path = file;
      request.provenance_extra = {{"data_seed", data_options.seed}, {"demo", true}};
      const BuiltModel built = build_model(request, data);
      v.parameters = built.model->parameter_count();
      v.test = built.test;
      v.train_seconds = built.training.seconds;
    }
    v.bytes = fs::file_size(file);
    v.latency = demo_latency(file, options);
    report.variants.push_back(v);
    const DemoVariant base = v;

    for (const std::string& method : demo_methods(m.arch, options.quick)) {
      nn::ModelFile loaded = nn::load_model(file);
      CompressRequest request;
      request.in_path = file;
      request.plan.method = method;
      request.out_path =
          (fs::path(options.out_dir) / "models" / fmt::format("{}-{}.safetensors", m.name, method))
              .string();
      request.data.spec = data.spec;
      request.data.options = data_options;
      const CompressResult r = compress_loaded(loaded, request, &data);
      DemoVariant q;
      q.name = fmt::format("{}-{}", m.name, method);
      q.method = method;
      q.base = base.name;
      q.file = request.out_path;
      q.bytes = r.out_bytes;
      q.parameters = base.parameters;
      q.test = r.compressed;
      q.accuracy_drop = 100.0 * (base.test.accuracy - r.compressed.accuracy);
      q.latency = demo_latency(q.file, options);
      report.variants.push_back(q);
    }
  }
  io::write_file_atomically((fs::path(options.out_dir) / "report.json").string(),
                            report.to_json().dump(2) + "\n");
  return report;
}

}  // namespace qz::workflow
