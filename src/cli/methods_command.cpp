// quantize methods [--json]: every compression method with its options and their defaults, the
// post-training methods' storage formats, and the trials tune runs for each — all read from the
// registries (io/method_registry, io/quantize_methods, kernels/format_table) that the parser, the
// flags and the searches use.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/text_table.h"
#include "io/method_registry.h"
#include "io/quantize_methods.h"
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
  for (const io::MethodSpec& spec : io::method_specs()) {
    const std::string& name = spec.name;
    nlohmann::json options = nlohmann::json::array();
    for (const io::OptionSpec& o : spec.options)
      options.push_back({{"key", o.key},
                         {"flag", io::option_flag(o.key)},
                         {"default", o.default_value},
                         {"range", o.range_text()},
                         {"help", o.help}});
    nlohmann::json m = {{"name", name},
                        {"help", spec.help},
                        {"options", spec.defaults()},
                        {"option_specs", options},
                        {"needs_calibration", spec.traits.needs_calibration},
                        {"folds_norms_first", spec.traits.folds_norms_first},
                        {"fine_tunes", spec.traits.fine_tunes}};
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
  TextTable table({"method", "needs", "options (defaults)"});
  for (const auto& m : j["methods"]) {
    std::vector<std::string> options, needs;
    for (const auto& [key, value] : m["options"].items())
      options.push_back(fmt::format("{}={}", key, value.dump()));
    if (m["needs_calibration"].get<bool>()) needs.emplace_back("calibration");
    if (m["fine_tunes"].get<bool>()) needs.emplace_back("training");
    table.add_row({m["name"].get<std::string>(), fmt::format("{}", fmt::join(needs, ", ")),
                   fmt::format("{}", fmt::join(options, " "))});
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
