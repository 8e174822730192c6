// quantize report DIR [--max-drop P] [--max-slice-drop P]: regenerates DIR/report.md and
// DIR/report.html from DIR/report.json (a budget given here replaces the recorded one).
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/tradeoff_output.h"
#include "core/json_fields.h"
#include "tradeoff/html_report.h"

namespace qz::cli {
namespace {

struct ReportArgs {
  CommonOptions common;
  std::string dir;
  tradeoff::Budget budget;
  CLI::Option* max_drop = nullptr;
  CLI::Option* max_slice_drop = nullptr;
};

void run_report(const ReportArgs& a) {
  apply_common_options(a.common);
  const std::string path = (std::filesystem::path(a.dir) / "report.json").string();
  tradeoff::Report report = tradeoff::report_from_json(read_json_file(path), path);
  if (a.max_drop->count() > 0) report.budget.max_drop = a.budget.max_drop;
  if (a.max_slice_drop->count() > 0) report.budget.max_slice_drop = a.budget.max_slice_drop;
  tradeoff::annotate(report);
  tradeoff::write_reports(a.dir, report);
  print_tradeoff(report, a.dir);
}

}  // namespace

void add_report_command(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd =
      app.add_subcommand("report", "Regenerate DIR/report.md and report.html from DIR/report.json");
  cmd->add_option("dir", args->dir, "Folder holding report.json (e.g. demo_out)")->required();
  add_budget_options(cmd, args->budget);
  args->max_drop = cmd->get_option("--max-drop");
  args->max_slice_drop = cmd->get_option("--max-slice-drop");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_report(*args); });
}

}  // namespace qz::cli
