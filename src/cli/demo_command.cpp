// quantize demo [--out DIR] [--quick] [--max-drop P] [--max-slice-drop P]: the main job, on
// built-in data with no arguments.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/tradeoff_output.h"
#include "io/atomic_file.h"
#include "workflow/demo.h"

namespace qz::cli {
namespace {

struct DemoArgs {
  CommonOptions common;
  workflow::DemoOptions demo;
  std::string json;
};

void run_demo(const DemoArgs& a) {
  apply_common_options(a.common);
  if (!a.json.empty() && a.json != "-") io::check_output_path(a.json);
  const tradeoff::Report report = workflow::run_demo(a.demo);
  if (a.json != "-") print_tradeoff(report, a.demo.out_dir);
  if (!a.json.empty()) write_json_output(a.json, tradeoff::to_json(report));
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "The main job: train the built-in models, compress them, report the trade-offs");
  cmd->add_option("--out", args->demo.out_dir, "Output folder (models are cached there)")
      ->capture_default_str();
  cmd->add_flag("--quick", args->demo.quick, "Small data, few epochs and methods: a smoke run");
  cmd->add_option("--seed", args->demo.seed, "Training seed")->capture_default_str();
  add_budget_options(cmd, args->demo.budget);
  cmd->add_option("--json", args->json, "Also write report.json to FILE ('-' for stdout)");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_demo(*args); });
}

}  // namespace qz::cli
