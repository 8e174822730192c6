// quantize compare MODEL [--methods rtn,gptq,awq,hqq,smoothquant] [--bits 4,3] [--group 128]
//                        [--out-dir DIR] [--data SPEC] [--calib-samples N] [--json FILE]
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/error.h"
#include "core/text_table.h"
#include "io/atomic_file.h"
#include "nn/model_file.h"
#include "report/eval_summary.h"
#include "workflow/compare_methods.h"

namespace qz::cli {
namespace {

struct CompareArgs {
  CommonOptions common;
  DataArgs data;
  workflow::CompareRequest request;
  std::string json;
};

std::string slice_cell(const eval::EvalResult& r, const std::string& slice) {
  const auto it = r.slices.find(slice);
  return it == r.slices.end() ? "-" : report::percent(it->second.accuracy);
}

std::string worst_cell(const eval::EvalResult& r) {
  if (r.worst_slice.empty()) return "-";
  return fmt::format("{} {}", r.worst_slice, report::percent(r.slices.at(r.worst_slice).accuracy));
}

void print_comparison(const workflow::CompareResult& res, bool answers) {
  const bool lm = res.base.language_model;
  std::vector<std::string> header = {"variant"};
  if (lm)
    header.insert(header.end(), {"perplexity", "vs fp32", "exact match", "token acc"});
  else
    header.insert(header.end(), {"accuracy", "change"});
  header.insert(header.end(), {"worst slice", "weight bytes", "smaller", "seconds", "ms/layer"});
  TextTable table(header);
  auto add = [&](const std::string& name, const eval::EvalResult& r, int64_t bytes,
                 const std::string& seconds, const std::string& per_layer) {
    std::vector<std::string> row = {name};
    if (lm)
      row.insert(row.end(),
                 {fmt::format("{:.4f}", r.perplexity),
                  fmt::format("{:+.2f}%", 100 * (r.perplexity / res.base.perplexity - 1)),
                  report::percent(r.exact_match), report::percent(r.token_accuracy)});
    else
      row.insert(row.end(), {report::percent(r.accuracy),
                             fmt::format("{:+.2f}", 100 * (r.accuracy - res.base.accuracy))});
    row.insert(row.end(),
               {worst_cell(r), std::to_string(bytes),
                fmt::format("{:.2f}x", static_cast<double>(res.base_weight_bytes) /
                                           static_cast<double>(std::max<int64_t>(1, bytes))),
                seconds, per_layer});
    table.add_row(row);
  };
  add("fp32", res.base, res.base_weight_bytes, "-", "-");
  if (res.kv_int8) add("fp32 int8-kv", *res.kv_int8, res.base_weight_bytes, "-", "-");
  for (const auto& v : res.variants)
    add(v.name, v.result, v.weight_bytes, fmt::format("{:.2f}", v.seconds),
        v.layers > 0 ? fmt::format("{:.0f}", 1000 * v.seconds / v.layers) : "-");
  fmt::print("{}\n", table.to_text());

  if (res.base.slices.empty()) return;
  std::vector<std::string> slice_header = {"variant"};
  for (const auto& [name, s] : res.base.slices) slice_header.push_back(name);
  TextTable slices(slice_header);
  auto add_slices = [&](const std::string& name, const eval::EvalResult& r) {
    std::vector<std::string> row = {name};
    for (const auto& [slice, s] : res.base.slices) row.push_back(slice_cell(r, slice));
    slices.add_row(row);
  };
  add_slices("fp32", res.base);
  if (res.kv_int8) add_slices("fp32 int8-kv", *res.kv_int8);
  for (const auto& v : res.variants) add_slices(v.name, v.result);
  fmt::print("{} per slice (test split):\n{}\n",
             !lm       ? "accuracy"
             : answers ? "exact match"
                       : "next-byte accuracy",
             slices.to_text());
}

void run_compare(CompareArgs& a) {
  apply_common_options(a.common);
  auto& r = a.request;
  if (r.out_dir.empty()) r.out_dir = std::filesystem::path(r.in_path).stem().string() + "-compare";
  if (!a.json.empty() && a.json != "-") io::check_output_path(a.json);
  const auto variants = workflow::plan_variants(r);  // bad methods fail before any work
  nn::ModelFile file = nn::load_model(r.in_path);
  r.data = workflow::data_for_model(file, a.data.spec, to_data_options(a.data), a.data.seed_given);
  QZ_CHECK(!r.data.spec.empty(),
           "[compare] {}: the file does not say which data it was trained on; pass --data",
           r.in_path);
  const data::Dataset data = data::load_dataset(r.data.spec, r.data.options);
  // The folder is made only once the inputs are known good, so bad input leaves nothing behind.
  std::error_code ec;
  std::filesystem::create_directories(r.out_dir, ec);
  QZ_CHECK(!ec && std::filesystem::is_directory(r.out_dir),
           "[compare] --out-dir {}: cannot create the folder ({})", r.out_dir,
           ec ? ec.message() : "a file of that name exists");
  for (const auto& v : variants) io::check_output_path(v.path);
  const workflow::CompareResult res = workflow::compare_methods(r, file, data);
  if (a.json != "-") {
    fmt::print("{} on {} ({} test samples); variants saved in {}\n", r.in_path, data.spec,
               res.base.samples, r.out_dir);
    print_comparison(res, data.has_answers);
  }
  if (!a.json.empty()) write_json_output(a.json, workflow::compare_json(res, r.in_path, data.spec));
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  args->request.methods = {"rtn", "gptq", "awq", "hqq", "smoothquant"};
  args->request.bits = {4, 3};
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Compress one model by several methods and bit widths and compare them side by side "
      "(perplexity or accuracy, per slice, size, time per layer)");
  cmd->add_option("model", args->request.in_path,
                  "Model file (or Hugging Face checkpoint folder) to compress")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_option("--methods", args->request.methods, "Methods, comma-separated")
      ->delimiter(',')
      ->check(CLI::IsMember(io::recipe_methods()))
      ->capture_default_str();
  cmd->add_option("--bits", args->request.bits,
                  "Bit widths for methods that take one, comma-separated")
      ->delimiter(',')
      ->check(CLI::Range(2, 8))
      ->capture_default_str();
  cmd->add_option("--group", args->request.group,
                  "Group size for methods that take one (0: each method's default)")
      ->check(CLI::Range(0, 1 << 20))
      ->capture_default_str();
  cmd->add_option("--out-dir", args->request.out_dir,
                  "Folder for the compressed variants (default: MODEL-STEM-compare)");
  cmd->add_option("--calib,--calib-samples", args->request.calib_samples,
                  "Calibration samples from the training split")
      ->check(CLI::Range(1, 1 << 24))
      ->capture_default_str();
  cmd->add_option("--seed", args->request.seed, "Seed of any fine-tuning")->capture_default_str();
  cmd->add_option("--json", args->json,
                  "Also write the comparison as JSON to FILE ('-' for stdout)");
  add_data_options(cmd, args->data,
                   "Data for calibration and evaluation (default: the model's own)");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_compare(*args); });
}

}  // namespace qz::cli
