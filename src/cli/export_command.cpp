// quantize export MODEL --format torchscript --out model.pt [--fuse] [--sample FILE] [--json F]
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/error.h"
#include "core/text_table.h"
#include "io/atomic_file.h"
#include "nn/model_file.h"
#include "workflow/export_model.h"

namespace qz::cli {
namespace {

struct ExportArgs {
  CommonOptions common;
  std::string model, format = "torchscript", json;
  workflow::ExportRequest request;
};

void run_export(const ExportArgs& a) {
  apply_common_options(a.common);
  io::check_output_path(a.request.out);
  if (!a.request.sample.empty()) io::check_output_path(a.request.sample);
  if (!a.json.empty() && a.json != "-") io::check_output_path(a.json);
  nn::ModelFile file = nn::load_model(a.model);
  const workflow::ExportResult r = workflow::export_torchscript(*file.model, a.request);

  for (const auto& w : r.warnings) fmt::print(stderr, "warning: {}\n", w);
  TextTable table({"layer", "exported as"});
  for (const auto& [layer, how] : r.layers.items()) table.add_row({layer, how.get<std::string>()});
  fmt::print("{}\n", table.to_text());
  if (a.request.fuse)
    fmt::print("fused: {}graph operators {} -> {} (frozen)\n",
               r.folded_batch_norm ? "BatchNorm folded into the convs; " : "", r.graph_ops_unfused,
               r.graph_ops);
  else
    fmt::print("graph operators: {}\n", r.graph_ops);
  fmt::print(
      "LibTorch run of the export vs quantize: max |difference| {:.3g} (outputs up to {:.3g})\n",
      r.max_abs_diff, r.max_abs_output);
  fmt::print("saved {} ({} bytes)\n", a.request.out, r.bytes);
  if (!a.json.empty())
    write_json_output(a.json, {{"model", a.model},
                               {"out", a.request.out},
                               {"format", a.format},
                               {"fuse", a.request.fuse},
                               {"folded_batch_norm", r.folded_batch_norm},
                               {"layers", r.layers},
                               {"warnings", r.warnings},
                               {"graph_ops_unfused", r.graph_ops_unfused},
                               {"graph_ops", r.graph_ops},
                               {"max_abs_diff", r.max_abs_diff},
                               {"max_abs_output", r.max_abs_output},
                               {"bytes", r.bytes}});
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "export",
      "Write a model as TorchScript that PyTorch loads (torch.jit.load) without quantize");
  cmd->add_option("model", args->model,
                  "Model file (.safetensors) or Hugging Face checkpoint folder")
      ->required();
  cmd->add_option("--format", args->format, "Export format")
      ->check(CLI::IsMember({"torchscript"}))
      ->capture_default_str();
  cmd->add_option("-o,--out", args->request.out, "TorchScript file to write (.pt)")->required();
  cmd->add_flag("--fuse", args->request.fuse,
                "Fold BatchNorm into the convs, then freeze the module (torch.jit.freeze and its "
                "frozen-graph optimizations)");
  cmd->add_option("--sample", args->request.sample,
                  "Also write a safetensors file with a seeded 'input' and quantize's 'output' for "
                  "it (to check the export in PyTorch)");
  cmd->add_option("--json", args->json, "Also write the results as JSON to FILE ('-' for stdout)");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_export(*args); });
}

}  // namespace qz::cli
