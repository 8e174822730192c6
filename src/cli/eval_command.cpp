// quantize eval MODEL [--data SPEC] [--split test] [--kv-int8] [--json FILE]
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/error.h"
#include "eval/evaluate.h"
#include "io/atomic_file.h"
#include "nn/model_file.h"
#include "report/eval_summary.h"
#include "workflow/generate.h"
#include "workflow/model_data.h"

namespace qz::cli {
namespace {

struct EvalArgs {
  CommonOptions common;
  DataArgs data;
  std::string model;
  std::string split = "test";
  std::string json;
  bool kv_int8 = false;
};

void run_eval(const EvalArgs& a) {
  apply_common_options(a.common);
  if (!a.json.empty() && a.json != "-") io::check_output_path(a.json);
  const nn::ModelFile file = nn::load_model(a.model);
  if (a.kv_int8)
    workflow::as_transformer(*file.model, "[eval] " + a.model, "--kv-int8")
        .set_kv_simulation(nn::KvCacheFormat::Int8);
  // Without --data, evaluate on the data (and split seed) the model was trained on.
  const auto choice =
      workflow::data_for_model(file, a.data.spec, to_data_options(a.data), a.data.seed_given);
  QZ_CHECK(!choice.spec.empty(),
           "[eval] {}: the file does not say which data it was trained on; pass --data", a.model);
  const data::Dataset data = data::load_dataset(choice.spec, choice.options);
  const eval::EvalResult result = eval::evaluate(*file.model, data, a.split);
  if (a.json != "-")
    fmt::print("{} on {}{}\n{}", a.model, data.spec, a.kv_int8 ? " with an int8 KV cache" : "",
               report::eval_summary(result));
  if (!a.json.empty()) {
    nlohmann::json j = result.to_json();
    j["model"] = a.model;
    j["data"] = data.spec;
    j["kv_cache"] = a.kv_int8 ? "int8" : "f32";
    write_json_output(a.json, j);
  }
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd =
      app.add_subcommand("eval", "Evaluate a model file: accuracy overall and per slice");
  cmd->add_option("model", args->model,
                  "Model file (.safetensors) or Hugging Face checkpoint folder")
      ->required();
  add_data_options(cmd, args->data,
                   "Data to evaluate on (default: the data the model was trained on)");
  cmd->add_option("--split", args->split, "Split: train, val or test")
      ->check(CLI::IsMember({"train", "val", "test"}))
      ->capture_default_str();
  cmd->add_flag("--kv-int8", args->kv_int8,
                "Transformers: compute as through an int8 KV cache (its accuracy cost)");
  cmd->add_option("--json", args->json, "Also write the results as JSON to FILE ('-' for stdout)");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_eval(*args); });
}

}  // namespace qz::cli
