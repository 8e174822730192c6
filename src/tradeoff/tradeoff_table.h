// The trade-off table (terminal and Markdown) and the Markdown report.
#pragma once

#include <string>
#include <vector>

#include "core/text_table.h"
#include "tradeoff/tradeoff_report.h"

namespace qz::tradeoff {

// The table's column names, and one variant's cells (shared by the text, Markdown and HTML
// tables).
const std::vector<std::string>& tradeoff_columns();
std::vector<std::string> tradeoff_row(const Variant& v);

// One row per variant: bytes, ×smaller, accuracy and its Δ, the worst slice and its Δ,
// latency at batch 1 and 32 and ×faster, the Pareto and within-budget marks.
TextTable tradeoff_table(const Report& report);

// The budget's verdict per model: "mlp: smallest within budget mlp-int4 (7.39x smaller), ...".
std::vector<std::string> best_lines(const Report& report);

// DIR/report.md: the table, the verdicts, the per-slice accuracy of every variant.
std::string markdown_report(const Report& report);

}  // namespace qz::tradeoff
