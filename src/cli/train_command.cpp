// quantize train --arch mlp|cnn|transformer --data SPEC --out FILE [--epochs --lr --batch
//                --seed --config FILE]
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/json_fields.h"
#include "io/atomic_file.h"
#include "report/eval_summary.h"
#include "workflow/build_model.h"

namespace qz::cli {
namespace {

struct TrainArgs {
  CommonOptions common;
  DataArgs data;
  std::string arch;
  std::string out;
  std::string config_file;
  std::optional<int64_t> epochs, batch;
  std::optional<double> lr;
  uint64_t seed = 0;
};

void run_train(const TrainArgs& a) {
  apply_common_options(a.common);
  const std::string out = a.out.empty() ? fmt::format("{}.safetensors", a.arch) : a.out;
  io::check_output_path(out);
  const std::string spec = a.data.spec.empty() ? workflow::default_data_for(a.arch) : a.data.spec;
  const data::Dataset data = data::load_dataset(spec, to_data_options(a.data));

  workflow::BuildRequest request;
  request.arch = a.arch;
  if (!a.config_file.empty()) {
    request.config_overrides = read_json_file(a.config_file);
    request.config_source = a.config_file;
  }
  request.train = train::default_train_options(a.arch);
  if (a.epochs) request.train.epochs = *a.epochs;
  if (a.batch) request.train.batch = *a.batch;
  if (a.lr) request.train.lr = *a.lr;
  request.train.seed = a.seed;
  request.out_path = out;
  request.provenance_extra = {{"data_seed", a.data.seed}, {"seq_len", a.data.seq_len}};

  const auto built = workflow::build_model(request, data);
  fmt::print("trained {} on {} ({} parameters) in {:.1f}s, {} steps\n", a.arch, data.spec,
             built.model->parameter_count(), built.training.seconds, built.training.steps);
  fmt::print("test: {}\n", report::eval_headline(built.test));
  fmt::print("saved {}\n", request.out_path);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand("train", "Train a model on built-in or user data and save it");
  cmd->add_option("--arch", args->arch, "Architecture")
      ->required()
      ->check(CLI::IsMember({"mlp", "cnn", "transformer"}));
  add_data_options(cmd, args->data,
                   "Data: shapes, addition, csv:PATH, idx:IMAGES[,LABELS], text:PATH "
                   "(default: shapes, or addition for the transformer)");
  cmd->add_option("--out,-o", args->out, "Model file to write (default: ARCH.safetensors)");
  cmd->add_option("--config", args->config_file, "JSON file of architecture settings to override");
  cmd->add_option("--epochs", args->epochs, "Training epochs")->check(CLI::Range(1, 100000));
  cmd->add_option("--batch", args->batch, "Batch size")->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--lr", args->lr, "Peak learning rate")->check(CLI::Range(1e-9, 10.0));
  cmd->add_option("--seed", args->seed, "Seed of initialisation and shuffling")
      ->capture_default_str();
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_train(*args); });
}

}  // namespace qz::cli
