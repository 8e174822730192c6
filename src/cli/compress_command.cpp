// quantize compress IN --method M [--group N] [--sym|--asym] [--range R] [--observer O]
//                  [--calib N] [--data SPEC] [--exclude LAYER...] --out OUT
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/error.h"
#include "core/text_table.h"
#include "io/atomic_file.h"
#include "report/eval_summary.h"
#include "workflow/compress_model.h"

namespace qz::cli {
namespace {

struct CompressArgs {
  CommonOptions common;
  DataArgs data;
  std::string in, out;
  workflow::CompressRequest request;
  bool sym = false, asym = false;
};

std::string sci(double x) {
  return fmt::format("{:.3g}", x);
}

void run_compress(CompressArgs& a) {
  apply_common_options(a.common);
  QZ_CHECK(!(a.sym && a.asym), "[compress] --sym and --asym exclude each other");
  io::check_output_path(a.out);
  auto& r = a.request;
  r.in_path = a.in;
  r.out_path = a.out;
  r.plan.symmetric = a.sym;
  nn::ModelFile file = nn::load_model(a.in);  // validated before any other work
  r.data = workflow::data_for_model(file, a.data.spec, to_data_options(a.data), a.data.seed_given);
  std::optional<data::Dataset> data;
  if (!r.data.spec.empty()) data = data::load_dataset(r.data.spec, r.data.options);
  const workflow::CompressResult res = workflow::compress_loaded(file, r, data ? &*data : nullptr);

  TextTable table({"layer", "method", "fp32 bytes", "bytes", "SQNR dB", "max |err|", "mean |err|",
                   "output MSE"});
  for (const auto& l : res.layers)
    table.add_row({l.layer, l.method, std::to_string(l.dense_bytes), std::to_string(l.weight_bytes),
                   fmt::format("{:.1f}", l.sqnr_db), sci(l.max_abs_error), sci(l.mean_abs_error),
                   res.evaluated ? sci(l.output_mse) : "-"});
  fmt::print("{}\n", table.to_text());
  fmt::print("file: {} bytes -> {} bytes ({:.2f}x smaller)\n", res.base_bytes, res.out_bytes,
             static_cast<double>(res.base_bytes) / static_cast<double>(res.out_bytes));
  if (res.evaluated) {
    fmt::print("fp32:       {}\n", report::eval_headline(res.base));
    fmt::print("compressed: {}\n", report::eval_headline(res.compressed));
    fmt::print("accuracy change: {:+.2f} points on {}\n",
               100 * (res.compressed.accuracy - res.base.accuracy), res.data_spec);
  } else {
    fmt::print("no --data and none recorded in the model: accuracy not measured\n");
  }
  if (r.max_drop) {
    if (res.kept_layers.empty())
      fmt::print(
          "mixed precision: every layer fits the {:.2f}-point budget (validation drop {:.2f})\n",
          *r.max_drop, res.val_drop_points);
    else
      fmt::print(
          "mixed precision: kept {} at {} for a validation drop of {:.2f} points (budget "
          "{:.2f}){}\n",
          fmt::join(res.kept_layers, ", "), res.fallback_method, res.val_drop_points, *r.max_drop,
          res.within_budget ? "" : " — budget NOT met even with every layer kept");
  }
  fmt::print("saved {}\n", a.out);
}

}  // namespace

void add_compress_command(CLI::App& app) {
  auto args = std::make_shared<CompressArgs>();
  CLI::App* cmd =
      app.add_subcommand("compress", "Compress a model file: quantize its layers, report the cost");
  cmd->add_option("model", args->in, "Model file to compress")->required();
  cmd->add_option("--method,-m", args->request.plan.method, "Method")
      ->required()
      ->check(CLI::IsMember(compress::quantize_methods()));
  cmd->add_option("--out,-o", args->out, "Compressed model file to write")->required();
  cmd->add_option("--group", args->request.plan.group,
                  "Group size for int4 (default 128) and nf4 blocks (default 64)")
      ->check(CLI::Range(1, 1 << 20));
  cmd->add_flag("--sym", args->sym, "int4: symmetric grid (zero point 8)");
  cmd->add_flag("--asym", args->asym, "int4: affine grid with a zero point per group (default)");
  cmd->add_option("--range", args->request.plan.range, "Weight range rule")
      ->check(CLI::IsMember({"minmax", "percentile", "mse"}))
      ->capture_default_str();
  cmd->add_option("--observer", args->request.plan.observer, "int8-static activation observer")
      ->check(CLI::IsMember({"minmax", "moving-average", "histogram"}))
      ->capture_default_str();
  cmd->add_option("--calib", args->request.calib_samples,
                  "Calibration samples from the training split")
      ->check(CLI::Range(1, 1 << 24))
      ->capture_default_str();
  cmd->add_option("--exclude", args->request.plan.exclude, "Layers to keep in FP32")
      ->expected(1, -1);
  cmd->add_option(
         "--max-drop", args->request.max_drop,
         "Accuracy budget in points (validation split): keep the most sensitive layers at higher "
         "precision until it holds")
      ->check(CLI::Range(0.0, 100.0));
  add_data_options(cmd, args->data,
                   "Data for calibration and evaluation (default: the model's own)");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_compress(*args); });
}

}  // namespace qz::cli
