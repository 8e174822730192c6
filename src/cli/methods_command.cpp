// quantize methods [--json]: every compression method with its options and their defaults, the
// post-training methods' storage formats, and the trials tune runs for each — all read from the
// registries (io/recipe, io/quantize_methods, kernels/format_table) that the parser, the flags
// and the searches use.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/text_table.h"
#include "io/quantize_methods.h"
#include "io/recipe.h"
#include "kernels/format_table.h"
#include "workflow/tune.h"

namespace qz::cli {
namespace {

struct MethodsArgs {
  CommonOptions common;
  bool json = false;
};

nlohmann::json registry_json() {
  std::map<std::string, std::vector<std::string>> trials;
  for (const auto& [name, plan] : workflow::tune_candidates()) trials[plan.method].push_back(name);
  nlohmann::json methods = nlohmann::json::array();
  for (const std::string& name : io::recipe_methods()) {
    nlohmann::json m = {{"name", name}, {"options", io::recipe_method_defaults(name)}};
    if (const io::QuantizeMethod* q = io::find_quantize_method(name)) {
      m["quantize"] = {{"format", kernels::weight_format_name(q->format)},
                       {"symmetric_format", kernels::weight_format_name(q->symmetric_format)},
                       {"activations", q->activations},
                       {"group", q->group_for(0)},
                       {"fallback", q->fallback},
                       {"help", q->help}};
      m["tune_trials"] = trials[name];
    }
    methods.push_back(m);
  }
  nlohmann::json formats = nlohmann::json::array();
  for (const kernels::FormatRow* row : kernels::all_format_rows()) {
    nlohmann::json tensors = nlohmann::json::array();
    for (const auto& t : kernels::stored_tensors(row->format))
      tensors.push_back({{"name", t.name}, {"dtype", t.dtype}});
    formats.push_back({{"name", row->name}, {"tensors", tensors}});
  }
  return {{"methods", methods}, {"formats", formats}};
}

void run_methods(const MethodsArgs& a) {
  apply_common_options(a.common);
  const nlohmann::json j = registry_json();
  if (a.json) {
    write_json_output("-", j);
    return;
  }
  TextTable table({"method", "options (defaults)"});
  for (const auto& m : j["methods"]) {
    std::vector<std::string> options;
    for (const auto& [key, value] : m["options"].items())
      options.push_back(fmt::format("{}={}", key, value.dump()));
    table.add_row({m["name"].get<std::string>(), fmt::format("{}", fmt::join(options, " "))});
  }
  fmt::print("{}\n", table.to_text());
  TextTable formats({"format", "tensors"});
  for (const auto& f : j["formats"]) {
    std::vector<std::string> tensors;
    for (const auto& t : f["tensors"])
      tensors.push_back(
          fmt::format("{} {}", t["name"].get<std::string>(), t["dtype"].get<std::string>()));
    formats.add_row({f["name"].get<std::string>(), fmt::format("{}", fmt::join(tensors, ", "))});
  }
  fmt::print("{}\n", formats.to_text());
}

}  // namespace

void add_methods_command(CLI::App& app) {
  auto args = std::make_shared<MethodsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "methods", "List every compression method with its options and defaults, and the formats");
  cmd->add_flag("--json", args->json, "Print JSON");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_methods(*args); });
}

}  // namespace qz::cli
