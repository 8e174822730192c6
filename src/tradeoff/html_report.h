// DIR/report.html: one self-contained page (inline CSS and SVG, no script, no network) with the
// trade-off table and, per model, accuracy vs size (log x), accuracy vs batch-1 latency (log x),
// each with its Pareto frontier and budget line, and the per-slice accuracy of every variant.
#pragma once

#include <string>

#include "tradeoff/tradeoff_report.h"

namespace qz::tradeoff {

std::string html_report(const Report& report);

// Writes DIR/report.json, DIR/report.md and DIR/report.html, each atomically.
void write_reports(const std::string& dir, const Report& report);

}  // namespace qz::tradeoff
