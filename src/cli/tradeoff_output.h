// What `demo`, `report` and `tune` share: the accuracy-budget options and the printed
// trade-off table.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "tradeoff/tradeoff_report.h"

namespace qz::cli {

// --max-drop and --max-slice-drop, in points.
void add_budget_options(CLI::App* cmd, tradeoff::Budget& budget);

// The table, the best-within-budget lines and where the reports are.
void print_tradeoff(const tradeoff::Report& report, const std::string& dir);

}  // namespace qz::cli
