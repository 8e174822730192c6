// quantize sensitivity MODEL --method M [--data SPEC] [--group N] [--sym] [--calib N] [--json FILE]
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/error.h"
#include "core/text_table.h"
#include "io/atomic_file.h"
#include "io/quantize_methods.h"
#include "io/recipe.h"
#include "nn/model_file.h"
#include "report/eval_summary.h"
#include "workflow/model_data.h"
#include "workflow/sensitivity.h"

namespace qz::cli {
namespace {

struct SensitivityArgs {
  CommonOptions common;
  DataArgs data;
  std::string model, json;
  compress::QuantizePlan plan;
  int64_t calib = 512;
};

void run_sensitivity(const SensitivityArgs& a) {
  apply_common_options(a.common);
  if (!a.json.empty() && a.json != "-") io::check_output_path(a.json);
  nn::ModelFile file = nn::load_model(a.model);
  const auto choice =
      workflow::data_for_model(file, a.data.spec, to_data_options(a.data), a.data.seed_given);
  QZ_CHECK(!choice.spec.empty(), "[sensitivity] {}: no data recorded in the model; pass --data",
           a.model);
  const data::Dataset data = data::load_dataset(choice.spec, choice.options);
  const auto ranking =
      workflow::layer_sensitivity(*file.model, a.plan, data, data.train.head(a.calib).inputs);
  TextTable table({"rank", "layer", "val accuracy", "drop (points)", "KL", "fp32 bytes", "bytes"});
  nlohmann::json j = {{"model", a.model},
                      {"method", a.plan.method},
                      {"data", data.spec},
                      {"layers", nlohmann::json::array()}};
  int rank = 0;
  for (const auto& s : ranking) {
    table.add_row({std::to_string(++rank), s.layer, report::percent(s.accuracy),
                   fmt::format("{:+.2f}", s.drop_points), fmt::format("{:.3g}", s.kl),
                   std::to_string(s.fp32_bytes), std::to_string(s.bytes)});
    j["layers"].push_back({{"layer", s.layer},
                           {"accuracy", s.accuracy},
                           {"drop_points", s.drop_points},
                           {"kl", s.kl},
                           {"fp32_bytes", s.fp32_bytes},
                           {"bytes", s.bytes}});
  }
  if (a.json != "-")
    fmt::print("{} quantized one layer at a time with {} (validation split of {}):\n{}", a.model,
               a.plan.method, data.spec, table.to_text());
  if (!a.json.empty()) write_json_output(a.json, j);
}

}  // namespace

void add_sensitivity_command(CLI::App& app) {
  auto args = std::make_shared<SensitivityArgs>();
  CLI::App* cmd =
      app.add_subcommand("sensitivity", "Rank layers by how much quantizing each alone costs");
  cmd->add_option("model", args->model, "Model file or Hugging Face checkpoint folder")->required();
  cmd->add_option("--method,-m", args->plan.method, "Quantization method")
      ->required()
      ->check(CLI::IsMember(io::quantize_methods()));
  cmd->add_option("--group", args->plan.group, "Group size (int4, nf4)")
      ->check(CLI::Range(1, 1 << 20));
  cmd->add_flag("--sym", args->plan.symmetric, "int4: symmetric grid");
  cmd->add_option("--calib", args->calib, "Calibration samples")
      ->check(CLI::Range(1, 1 << 24))
      ->capture_default_str();
  cmd->add_option("--json", args->json, "Also write the ranking as JSON to FILE ('-' for stdout)");
  add_data_options(cmd, args->data, "Data (default: the model's own)");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_sensitivity(*args); });
}

}  // namespace qz::cli
