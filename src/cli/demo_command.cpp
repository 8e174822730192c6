// quantize demo [--out DIR] [--quick]: the main job, on built-in data with no arguments.
#include <fmt/format.h>

#include <map>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/text_table.h"
#include "report/eval_summary.h"
#include "workflow/demo.h"

namespace qz::cli {
namespace {

struct DemoArgs {
  CommonOptions common;
  workflow::DemoOptions demo;
};

void run_demo(const DemoArgs& a) {
  apply_common_options(a.common);
  const workflow::DemoReport report = workflow::run_demo(a.demo);
  TextTable table({"variant", "method", "bytes", "x smaller", "params", "accuracy", "delta",
                   "worst slice", "worst acc", "perplexity", "ms b1", "ms b32", "trained"});
  std::map<std::string, uint64_t> base_bytes;
  for (const auto& v : report.variants)
    if (v.base.empty()) base_bytes[v.name] = v.bytes;
  for (const auto& v : report.variants) {
    const bool has_worst = !v.test.worst_slice.empty();
    const uint64_t reference = base_bytes[v.base.empty() ? v.name : v.base];
    table.add_row(
        {v.name, v.method, std::to_string(v.bytes),
         fmt::format("{:.2f}", static_cast<double>(reference) / static_cast<double>(v.bytes)),
         std::to_string(v.parameters), report::percent(v.test.accuracy),
         v.base.empty() ? "-" : fmt::format("{:+.2f}", -v.accuracy_drop),
         has_worst ? v.test.worst_slice : "-",
         has_worst ? report::percent(v.test.slices.at(v.test.worst_slice).accuracy) : "-",
         v.test.language_model ? fmt::format("{:.4f}", v.test.perplexity) : "-",
         v.latency.size() > 0 ? fmt::format("{:.3f}", v.latency[0].median_ms) : "-",
         v.latency.size() > 1 ? fmt::format("{:.3f}", v.latency[1].median_ms) : "-",
         !v.base.empty() ? "-"
         : v.cached      ? "cached"
                         : fmt::format("{:.0f}s", v.train_seconds)});
  }
  fmt::print("\n{}\nreport: {}/report.json\n", table.to_text(), a.demo.out_dir);
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "The main job: train the built-in models, compress them, report the trade-offs");
  cmd->add_option("--out", args->demo.out_dir, "Output folder (models are cached there)")
      ->capture_default_str();
  cmd->add_flag("--quick", args->demo.quick, "Small data and few epochs: a smoke run");
  cmd->add_option("--seed", args->demo.seed, "Training seed")->capture_default_str();
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_demo(*args); });
}

}  // namespace qz::cli
