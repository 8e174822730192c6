// quantize compress IN --method M [--group N] [--sym|--asym] [--range R] [--observer O]
//                  [--calib N] [--data SPEC] [--exclude LAYER...] --out OUT
// quantize compress IN --method prune-…|lowrank|distill|qat|finetune [its options] --out OUT
// quantize compress IN --recipe FILE --out OUT
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/error.h"
#include "core/json_fields.h"
#include "core/text_table.h"
#include "io/atomic_file.h"
#include "kernels/weight_format.h"
#include "report/eval_summary.h"
#include "workflow/compress_model.h"
#include "workflow/run_recipe.h"

namespace qz::cli {
namespace {

struct CompressArgs {
  CommonOptions common;
  DataArgs data;
  std::string in, out, method, recipe;
  workflow::CompressRequest request;
  bool sym = false, asym = false;
  // Options of the pruning, factorization, distillation and QAT steps, set only when given.
  nlohmann::json step = nlohmann::json::object();
  uint64_t seed = 0;
};

bool is_quantize_method(const std::string& method) {
  const auto& q = io::quantize_methods();
  return std::find(q.begin(), q.end(), method) != q.end();
}

// The one-step recipe of --method with the step options given on the command line.
io::RecipeStep step_from_flags(const CompressArgs& a) {
  nlohmann::json step = a.step;
  step["method"] = a.method;
  if (!a.request.plan.exclude.empty()) step["exclude"] = a.request.plan.exclude;
  if (a.sym || a.asym) step["symmetric"] = a.sym;
  if (a.request.plan.group > 0) step["group"] = a.request.plan.group;
  return io::parse_recipe_step(step, "[compress] --method " + a.method);
}

std::string sci(double x) {
  return fmt::format("{:.3g}", x);
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
  for (const auto& st : res.steps) {
    if (st.details.contains("student_test_accuracy"))
      fmt::print("distill: student {} parameters (teacher {}): test {:.2f}% with the teacher{}\n",
                 st.details["student_parameters"].get<int64_t>(),
                 st.details["teacher_parameters"].get<int64_t>(),
                 100 * st.details["student_test_accuracy"].get<double>(),
                 st.details.contains("student_alone_test_accuracy")
                     ? fmt::format(", {:.2f}% trained alone",
                                   100 * st.details["student_alone_test_accuracy"].get<double>())
                     : "");
    if (st.details.contains("student_test_perplexity"))
      fmt::print("distill: student test perplexity {:.4f} with the teacher{}\n",
                 st.details["student_test_perplexity"].get<double>(),
                 st.details.contains("student_alone_test_perplexity")
                     ? fmt::format(", {:.4f} trained alone",
                                   st.details["student_alone_test_perplexity"].get<double>())
                     : "");
    if (st.details.contains("groups"))
      for (const auto& g : st.details["groups"])
        fmt::print("structured: {} {} -> {} units of {}\n", g["group"].get<std::string>(),
                   g["units_before"].get<int64_t>(), g["units_after"].get<int64_t>(),
                   g["unit"].get<int64_t>());
    if (st.method == "lowrank")
      for (const auto& l : st.details["layers"])
        fmt::print("lowrank: {} [{}x{}] rank {} {} (relative error {:.4f})\n",
                   l["layer"].get<std::string>(), l["out"].get<int64_t>(), l["in"].get<int64_t>(),
                   l["rank"].get<int64_t>(), l["factored"].get<bool>() ? "factored" : "left dense",
                   l["relative_error"].get<double>());
    if (st.method == "gptq") {
      TextTable gt({"layer", "method", "output MSE gptq", "output MSE rtn", "gptq/rtn", "ms"});
      for (const auto& l : st.details["layers"]) {
        const double g = l["output_mse"], r = l["rtn_output_mse"];
        gt.add_row({l["layer"].get<std::string>(), l["method"].get<std::string>(), sci(g), sci(r),
                    r > 0 ? fmt::format("{:.3f}", g / r) : "-",
                    fmt::format("{:.1f}", 1e3 * l["seconds"].get<double>())});
      }
      fmt::print("{}\n", gt.to_text());
    }
    if (st.details.contains("pattern"))
      for (const auto& l : st.details["layers"])
        fmt::print("pruned: {} sparsity {:.3f} ({}){}\n", l["layer"].get<std::string>(),
                   l["sparsity"].get<double>(), st.details["pattern"].get<std::string>(),
                   l.contains("output_mse")
                       ? fmt::format(": output MSE {} (magnitude, no update: {}) in {:.2f}s",
                                     sci(l["output_mse"]), sci(l["magnitude_output_mse"]),
                                     l["seconds"].get<double>())
                       : "");
  }
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
void run_recipe_command(CompressArgs& a, nn::ModelFile& file) {
  workflow::RecipeRequest r;
  r.in_path = a.in;
  r.out_path = a.out;
  r.steps = a.recipe.empty() ? std::vector<io::RecipeStep>{step_from_flags(a)}
                             : io::read_recipe(a.recipe);
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
  QZ_CHECK(!(a.sym && a.asym), "[compress] --sym and --asym exclude each other");
  QZ_CHECK(a.method.empty() != a.recipe.empty(),
           "[compress] give exactly one of --method and --recipe");
  io::check_output_path(a.out);
  if (!a.recipe.empty() || !is_quantize_method(a.method) || !a.step.empty()) {
    QZ_CHECK(!a.request.max_drop,
             "[compress] --max-drop applies to post-training quantization only");
    if (!a.recipe.empty()) io::read_recipe(a.recipe);  // validated before the model loads
    nn::ModelFile file = nn::load_model(a.in);
    run_recipe_command(a, file);
    return;
  }
  auto& r = a.request;
  r.plan.method = a.method;
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

// "(default 0.5)", or "(default: distill 0.5, smoothquant 0.5)" when the methods that take
// `key` differ: read from the recipe table, so help and behaviour cannot drift apart.
std::string defaults_note(const std::string& key) {
  std::vector<std::pair<std::string, std::string>> seen;
  bool some_unset = false;
  for (const auto& method : io::recipe_methods()) {
    const nlohmann::json d = io::recipe_option_default(method, key);
    if (d.is_null()) continue;
    // Objects and zeros mean "unset": the architecture's or the input model's own value (a
    // post-training method's group 0 is its default group, listed in the footer).
    if (d.is_object() || (d.is_number() && d.get<double>() == 0)) {
      some_unset |= io::find_quantize_method(method) == nullptr;
      continue;
    }
    seen.emplace_back(method, d.is_string() ? d.get<std::string>() : d.dump());
  }
  if (seen.empty()) return "";
  bool same = true;
  for (const auto& [method, text] : seen) same &= text == seen.front().second;
  if (same && !some_unset) return fmt::format(" (default {})", seen.front().second);
  std::vector<std::string> parts;
  for (const auto& [method, text] : seen) parts.push_back(method + " " + text);
  return fmt::format(" (default: {})", fmt::join(parts, ", "));
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
  return out;
}

}  // namespace

void add_compress_command(CLI::App& app) {
  auto args = std::make_shared<CompressArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compress",
      "Compress a model file (quantize, prune, factor, distil, QAT, or a recipe of steps) and "
      "report the cost");
  cmd->add_option("model", args->in, "Model file to compress")->required();
  cmd->add_option("--method,-m", args->method, "Method (one step)")
      ->check(CLI::IsMember(io::recipe_methods()));
  cmd->add_option("--recipe", args->recipe, "JSON file of steps run in order (README: Recipes)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "Compressed model file to write")->required();
  cmd->footer(quantize_methods_footer());
  cmd->add_option("--group", args->request.plan.group,
                  "Group size of grouped formats (post-training methods: listed below)" +
                      defaults_note("group"))
      ->check(CLI::Range(1, 1 << 20));
  cmd->add_flag("--sym", args->sym, "int4: symmetric grid (zero point 8)");
  cmd->add_flag("--asym", args->asym, "int4: affine grid with a zero point per group (default)");
  cmd->add_option("--range", args->request.plan.range, "Weight range rule")
      ->check(CLI::IsMember({"minmax", "percentile", "mse"}))
      ->capture_default_str();
  cmd->add_option("--observer", args->request.plan.observer, "int8-static activation observer")
      ->check(CLI::IsMember({"minmax", "moving-average", "histogram"}))
      ->capture_default_str();
  cmd->add_option("--calib,--calib-samples", args->request.calib_samples,
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
  // Step options (pruning, low-rank, distillation, QAT, fine-tuning), passed to the one-step
  // recipe only when given so each method's defaults apply otherwise.
  auto step_option = [cmd, args](const std::string& flag, const std::string& key, auto example,
                                 const std::string& help) {
    using T = decltype(example);
    cmd->add_option_function<T>(
        flag, [args, key](const T& v) { args->step[key] = v; }, help + defaults_note(key));
  };
  step_option("--sparsity", "sparsity", 0.0,
              "prune-magnitude/-wanda/-sparsegpt: fraction of weights removed");
  step_option("--scope", "scope", std::string(),
              "prune-magnitude/-wanda: layer | global | row threshold");
  step_option("--pattern", "pattern", std::string(), "prune-nm/-wanda: N:M pattern, e.g. 2:4");
  step_option("--ratio", "ratio", 0.0,
              "prune-structured: fraction of units removed; lowrank: kept-parameter ratio");
  step_option("--norm", "norm", 0, "prune-structured: 1 or 2 (Ln importance)");
  step_option("--rank", "rank", int64_t{0}, "lowrank: fixed rank");
  step_option("--energy", "energy", 0.0, "lowrank: kept singular-value energy in (0, 1]");
  step_option("--finetune-epochs", "finetune_epochs", int64_t{0},
              "prune/lowrank: fine-tuning epochs after the step");
  step_option("--epochs", "epochs", int64_t{0},
              "distill/qat/finetune: training epochs (distill: the architecture's unless set)");
  step_option("--lr", "lr", 0.0,
              "fine-tuning / training learning rate (default: the architecture's training rate)");
  step_option("--temperature", "temperature", 0.0, "distill: softmax temperature T");
  step_option("--alpha", "alpha", 0.0,
              "distill: weight of the hard-label loss; smoothquant: migration strength");
  step_option("--transfer-samples", "transfer_samples", int64_t{0},
              "distill: train the students on the first N training samples only (default: all)");
  step_option("--quant", "quant", std::string(), "qat: int4 | int8 | int8-dynamic | int8-static");
  step_option("--bits", "bits", 0, "gptq/rtn: bits per weight, 2–8; awq/hqq: 2–4");
  step_option("--iterations", "iterations", int64_t{0},
              "hqq: half-quadratic zero-point iterations");
  step_option("--damp", "damp", 0.0, "gptq/prune-sparsegpt: Hessian damping, share of mean diag");
  step_option("--block", "block", int64_t{0}, "gptq/prune-sparsegpt: lazy-update block columns");
  cmd->add_flag_function(
      "--no-clip", [args](int64_t) { args->step["clip"] = false; },
      "awq: skip the per-group weight clipping search");
  cmd->add_flag_function(
      "--act-order", [args](int64_t) { args->step["act_order"] = true; },
      "gptq: quantize columns by decreasing Hessian diagonal (static groups)");
  cmd->add_option_function<std::string>(
      "--student",
      [args](const std::string& text) {
        args->step["student"] = parse_json(text, "[compress] --student");
      },
      "distill: student config overrides as JSON, e.g. '{\"hidden\": [128, 128]}'");
  cmd->add_flag_function(
      "--no-baseline", [args](int64_t) { args->step["baseline"] = false; },
      "distill: skip training the same student without a teacher (the comparison)");
  cmd->add_flag_function(
      "--global", [args](int64_t) { args->step["global"] = true; },
      "prune-structured: one ranking across layers");
  cmd->add_flag_function(
      "--activation-aware", [args](int64_t) { args->step["activation_aware"] = true; },
      "lowrank: ASVD column scaling by calibration activations");
  cmd->add_option("--seed", args->seed, "Seed of fine-tuning and student initialisation")
      ->capture_default_str();
  add_data_options(cmd, args->data,
                   "Data for calibration and evaluation (default: the model's own)");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_compress(*args); });
}

}  // namespace qz::cli
