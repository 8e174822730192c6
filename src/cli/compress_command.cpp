// quantize compress IN --method M [--group N] [--sym|--asym] [--range R] [--observer O]
//                  [--calib N] [--data SPEC] [--exclude LAYER...] --out OUT
// quantize compress IN --method prune-…|lowrank|distill|qat|finetune [its options] --out OUT
// quantize compress IN --recipe FILE --out OUT
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "compress/quantize_pass.h"
#include "core/error.h"
#include "core/json_fields.h"
#include "core/text_table.h"
#include "io/atomic_file.h"
#include "io/method_registry.h"
#include "io/quantize_methods.h"
#include "kernels/weight_format.h"
#include "report/eval_summary.h"
#include "report/step_summary.h"
#include "workflow/compress_model.h"
#include "workflow/run_recipe.h"

namespace qz::cli {
namespace {

struct CompressArgs {
  CommonOptions common;
  DataArgs data;
  std::string in, out, method, recipe;
  workflow::CompressRequest request;
  bool asym = false;
  // The step options given on the command line (recipe keys), so each method's defaults apply
  // to the rest.
  nlohmann::json step = nlohmann::json::object();
  uint64_t seed = 0;
};

// The one-step recipe of --method with the step options given on the command line; errors
// name the flags.
io::RecipeStep step_from_flags(const CompressArgs& a) {
  nlohmann::json step = a.step;
  step["method"] = a.method;
  return io::parse_recipe_step(step, "[compress] --method " + a.method,
                               io::OptionNames{.as_flags = true});
}

void print_recipe_result(const workflow::RecipeResult& res) {
  TextTable table({"step", "method", "val acc %", "parameters", "weight bytes", "seconds"});
  for (size_t i = 0; i < res.steps.size(); ++i) {
    const auto& st = res.steps[i];
    table.add_row({std::to_string(i + 1), st.method, fmt::format("{:.2f}", 100 * st.val_accuracy),
                   std::to_string(st.parameters), std::to_string(st.weight_bytes),
                   fmt::format("{:.1f}", st.seconds)});
  }
  fmt::print("{}\n", table.to_text());
  for (const auto& st : res.steps) fmt::print("{}", report::step_summary(st.report));
  fmt::print("weights: {} bytes -> {} bytes ({:.2f}x smaller)\n", res.base_weight_bytes,
             res.steps.back().weight_bytes,
             static_cast<double>(res.base_weight_bytes) /
                 static_cast<double>(std::max<int64_t>(1, res.steps.back().weight_bytes)));
  fmt::print("file: {} bytes -> {} bytes ({:.2f}x smaller)\n", res.base_bytes, res.out_bytes,
             static_cast<double>(res.base_bytes) / static_cast<double>(res.out_bytes));
  fmt::print("original:   {}\n", report::eval_headline(res.base));
  fmt::print("compressed: {}\n", report::eval_headline(res.compressed));
  fmt::print("accuracy change: {:+.2f} points\n",
             100 * (res.compressed.accuracy - res.base.accuracy));
}

// --recipe FILE or a method beyond post-training quantization: the recipe runner.
void run_recipe_command(CompressArgs& a, nn::ModelFile& file, std::vector<io::RecipeStep> steps) {
  workflow::RecipeRequest r;
  r.in_path = a.in;
  r.out_path = a.out;
  r.steps = std::move(steps);
  r.calib_samples = a.request.calib_samples;
  r.seed = a.seed;
  r.data = workflow::data_for_model(file, a.data.spec, to_data_options(a.data), a.data.seed_given);
  QZ_CHECK(!r.data.spec.empty(),
           "[compress] {} needs data to fine-tune and evaluate on: pass --data (the model "
           "records none)",
           a.recipe.empty() ? "--method " + a.method : "--recipe");
  const data::Dataset data = data::load_dataset(r.data.spec, r.data.options);
  const workflow::RecipeResult res = workflow::run_recipe(file, r, data);
  print_recipe_result(res);
  fmt::print("saved {}\n", a.out);
}

void run_compress(CompressArgs& a) {
  apply_common_options(a.common);
  QZ_CHECK(!(a.asym && a.step.value("symmetric", false)),
           "[compress] --sym and --asym exclude each other");
  if (a.asym) a.step["symmetric"] = false;
  QZ_CHECK(a.method.empty() != a.recipe.empty(),
           "[compress] give exactly one of --method and --recipe");
  QZ_CHECK(a.recipe.empty() || a.step.empty(),
           "[compress] --recipe: step options belong in the recipe file, not on the command "
           "line (got {})",
           io::option_flag(a.step.begin().key()));
  io::check_output_path(a.out);
  // Validated before the model loads.
  const std::vector<io::RecipeStep> steps = a.recipe.empty()
                                                ? std::vector<io::RecipeStep>{step_from_flags(a)}
                                                : io::read_recipe(a.recipe);
  if (!a.recipe.empty() || !io::find_method_spec(a.method)->traits.post_training) {
    QZ_CHECK(!a.request.max_drop,
             "[compress] --max-drop applies to post-training quantization only");
    nn::ModelFile file = nn::load_model(a.in);
    run_recipe_command(a, file, steps);
    return;
  }
  auto& r = a.request;
  r.plan = compress::quantize_plan(steps.front());
  r.in_path = a.in;
  r.out_path = a.out;
  nn::ModelFile file = nn::load_model(a.in);  // validated before any other work
  r.data = workflow::data_for_model(file, a.data.spec, to_data_options(a.data), a.data.seed_given);
  std::optional<data::Dataset> data;
  if (!r.data.spec.empty()) data = data::load_dataset(r.data.spec, r.data.options);
  const workflow::CompressResult res = workflow::compress_loaded(file, r, data ? &*data : nullptr);

  fmt::print("{}", report::quantized_layers_table(res.layers, res.evaluated));
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

// One line per post-training method, for the command's footer.
std::string quantize_methods_footer() {
  std::string out = "Post-training methods (--method):\n";
  for (const io::QuantizeMethod& m : io::quantize_method_rows()) {
    const int64_t group = m.group_for(0);
    out += fmt::format("  {:<14}{}{}\n", m.name, m.help,
                       group > 0
                           ? fmt::format(" (group {}{})", group,
                                         kernels::layout(m.format).fixed_group > 0 ? ", fixed" : "")
                           : "");
  }
  out += "Other methods (--method, or a recipe step):\n";
  for (const io::MethodSpec& m : io::method_specs())
    if (!m.traits.post_training) out += fmt::format("  {:<18}{}\n", m.name, m.help);
  return out;
}

// One flag per registered option key (io/method_registry.h): its kind picks the value type,
// its help and default come from the registry, and a given value lands in the step under
// the key.
void add_step_option_flags(CLI::App* cmd, const std::shared_ptr<CompressArgs>& args) {
  for (const std::string& key : io::option_keys()) {
    const io::OptionSpec& spec = io::first_option_spec(key);
    const std::string flag = io::option_flag(key), help = io::option_help(key);
    auto set = [args, key](const auto& value) { args->step[key] = value; };
    switch (spec.kind) {
      case io::OptionKind::Int:
        cmd->add_option_function<int64_t>(flag, set, help);
        break;
      case io::OptionKind::Number:
        cmd->add_option_function<double>(flag, set, help);
        break;
      case io::OptionKind::Choice:
        cmd->add_option_function<std::string>(flag, set, help)->check(CLI::IsMember(spec.choices));
        break;
      case io::OptionKind::Pattern:
        cmd->add_option_function<std::string>(flag, set, help);
        break;
      case io::OptionKind::Bool:
        cmd->add_flag_function(
            flag, [set, on = !spec.default_value.get<bool>()](int64_t) { set(on); }, help);
        break;
      case io::OptionKind::Names:
        cmd->add_option_function<std::vector<std::string>>(flag, set, help)->expected(1, -1);
        break;
      case io::OptionKind::Object:
        cmd->add_option_function<std::string>(
            flag,
            [set, flag](const std::string& text) { set(parse_json(text, "[compress] " + flag)); },
            help);
        break;
    }
  }
}

}  // namespace

void add_compress_command(CLI::App& app) {
  auto args = std::make_shared<CompressArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compress",
      "Compress a model file (quantize, prune, factor, distil, QAT, or a recipe of steps) and "
      "report the cost");
  cmd->add_option("model", args->in, "Model file or Hugging Face checkpoint folder to compress")
      ->required();
  cmd->add_option("--method,-m", args->method, "Method (one step)")
      ->check(CLI::IsMember(io::recipe_methods()));
  cmd->add_option("--recipe", args->recipe, "JSON file of steps run in order (README: Recipes)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "Compressed model file to write")->required();
  cmd->footer(quantize_methods_footer());
  add_step_option_flags(cmd, args);
  cmd->add_flag("--asym", args->asym,
                "The opposite of --sym: affine grids with zero points (the default)");
  cmd->add_option("--calib,--calib-samples", args->request.calib_samples,
                  "Calibration samples from the training split")
      ->check(CLI::Range(1, 1 << 24))
      ->capture_default_str();
  cmd->add_option(
         "--max-drop", args->request.max_drop,
         "Accuracy budget in points (validation split): keep the most sensitive layers at higher "
         "precision until it holds")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--seed", args->seed, "Seed of fine-tuning and student initialisation")
      ->capture_default_str();
  add_data_options(cmd, args->data,
                   "Data for calibration and evaluation (default: the model's own)");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_compress(*args); });
}

}  // namespace qz::cli
