#include "cli/tradeoff_output.h"

#include <fmt/format.h>

#include "tradeoff/tradeoff_table.h"

namespace qz::cli {

void add_budget_options(CLI::App* cmd, tradeoff::Budget& budget) {
  cmd->add_option("--max-drop", budget.max_drop,
                  "Accuracy budget: points below the original, overall")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--max-slice-drop", budget.max_slice_drop,
                  "Accuracy budget: points below the original in any slice")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 100.0));
}

void print_tradeoff(const tradeoff::Report& report, const std::string& dir) {
  fmt::print("\n{}\n", tradeoff::tradeoff_table(report).to_text());
  for (const std::string& line : tradeoff::best_lines(report)) fmt::print("{}\n", line);
  if (!report.fusion.empty())
    fmt::print("\noperator fusion (BatchNorm folded, ReLU in the conv's epilogue)\n{}",
               tradeoff::fusion_table(report.fusion).to_text());
  fmt::print("reports: {0}/report.json, {0}/report.md, {0}/report.html\n", dir);
}

}  // namespace qz::cli
