// quantize tune MODEL --out FILE [--data SPEC] [--max-drop P] [--max-slice-drop P]
//                [--objective size|latency] [--time-limit S] [--calib N]
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/tradeoff_output.h"
#include "io/atomic_file.h"
#include "nn/model_file.h"
#include "report/eval_summary.h"
#include "workflow/tune.h"

namespace qz::cli {
namespace {

struct TuneArgs {
  CommonOptions common;
  DataArgs data;
  std::string model, out, objective = "size", json;
  workflow::TuneRequest request;
};

void print_trial(size_t index, const workflow::Trial& t, bool new_best) {
  fmt::print("trial {:>3}  {:<44} {:>9} B  val {:>7} ({:+.2f})  worst slice {} {:+.2f}{}  {}{}\n",
             index, t.name, t.weight_bytes, report::percent(t.val_accuracy), 0.0 - t.val_drop,
             t.worst_slice.empty() ? "-" : t.worst_slice, 0.0 - t.worst_slice_drop,
             t.latency_ms ? fmt::format("  {:.3f} ms", *t.latency_ms) : "",
             t.within_budget ? "within budget" : "over budget", new_best ? "  -> best, saved" : "");
  std::fflush(stdout);
}

void run_tune(TuneArgs& a) {
  apply_common_options(a.common);
  io::check_output_path(a.out);
  if (!a.json.empty() && a.json != "-") io::check_output_path(a.json);
  const bool quiet_text = a.json == "-";  // stdout carries the JSON alone
  auto& r = a.request;
  r.in_path = a.model;
  r.out_path = a.out;
  r.objective = workflow::parse_objective(a.objective);
  const nn::ModelFile file = nn::load_model(a.model);  // validated before any work
  r.data = workflow::data_for_model(file, a.data.spec, to_data_options(a.data), a.data.seed_given);
  size_t count = 0;
  const workflow::TuneResult res = workflow::run_tune(r, [&](const workflow::Trial& t, bool best) {
    ++count;
    if (!quiet_text) print_trial(count, t, best);
  });
  if (!a.json.empty()) write_json_output(a.json, res.to_json());
  if (quiet_text) return;
  if (res.stopped_by_time) fmt::print("time limit reached after {} trials\n", res.trials.size());
  if (!res.chosen) {
    fmt::print("no trial met the budget ({:.2f} points, worst slice {:.2f}); nothing saved\n",
               r.budget.max_drop, r.budget.max_slice_drop);
    return;
  }
  const workflow::Trial& c = res.trials[*res.chosen];
  fmt::print("chosen: {} ({} weight bytes, validation drop {:.2f} points)\n", c.name,
             c.weight_bytes, c.val_drop);
  fmt::print("test split: {} -> {} ({:+.2f} points){}\n", report::percent(res.base_test.accuracy),
             report::percent(res.chosen_test.accuracy),
             100.0 * (res.chosen_test.accuracy - res.base_test.accuracy),
             res.confirmed ? ", within budget" : " — NOT within budget on the test split");
  fmt::print("file: {} bytes -> {} bytes ({:.2f}x smaller)\nsaved {} (trials: {}.tune.json)\n",
             res.base_bytes, res.out_bytes,
             static_cast<double>(res.base_bytes) / static_cast<double>(res.out_bytes), a.out,
             a.out);
}

}  // namespace

void add_tune_command(CLI::App& app) {
  auto args = std::make_shared<TuneArgs>();
  CLI::App* cmd = app.add_subcommand(
      "tune", "Search methods, group sizes and per-layer precision for the best model in budget");
  cmd->add_option("model", args->model, "Model file or Hugging Face checkpoint folder")->required();
  cmd->add_option("--out,-o", args->out, "Where to save the chosen model")->required();
  cmd->add_option("--objective", args->objective, "What to minimise within the budget")
      ->check(CLI::IsMember({"size", "latency"}))
      ->capture_default_str();
  cmd->add_option("--time-limit", args->request.time_limit_seconds,
                  "Stop searching after S seconds (the best so far is kept; 0: no limit)")
      ->check(CLI::Range(0.0, 1e7))
      ->capture_default_str();
  cmd->add_option("--calib", args->request.calib_samples, "Calibration samples")
      ->check(CLI::Range(1, 1 << 24))
      ->capture_default_str();
  cmd->add_option("--json", args->json, "Also write the trials as JSON to FILE ('-' for stdout)");
  add_budget_options(cmd, args->request.budget);
  add_data_options(cmd, args->data, "Data (default: the model's own)");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_tune(*args); });
}

}  // namespace qz::cli
