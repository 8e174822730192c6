#include "tradeoff/tradeoff_table.h"

#include <fmt/format.h>

#include <set>

namespace qz::tradeoff {
namespace {

std::string pct(double fraction) {
  return fmt::format("{:.2f}%", 100.0 * fraction);
}

std::string latency(const Variant& v, int64_t batch) {
  auto it = v.latency_ms.find(batch);
  return it == v.latency_ms.end() ? "-" : fmt::format("{:.3f}", it->second.median_ms);
}

std::string faster(const Variant& v, int64_t batch) {
  auto it = v.x_faster.find(batch);
  return it == v.x_faster.end() ? "-" : fmt::format("{:.2f}", it->second);
}

std::string pareto_mark(const Variant& v) {
  if (v.pareto_size && v.pareto_latency) return "size+lat";
  if (v.pareto_size) return "size";
  if (v.pareto_latency) return "lat";
  return "-";
}

const Variant* find(const Report& r, const std::string& name) {
  for (const Variant& v : r.variants)
    if (v.name == name) return &v;
  return nullptr;
}

}  // namespace

const std::vector<std::string>& tradeoff_columns() {
  static const std::vector<std::string> columns = {
      "variant", "method",      "bytes",        "x smaller",   "params", "accuracy",
      "delta",   "worst slice", "slice acc",    "slice delta", "ppl",    "ms b1",
      "ms b32",  "x faster b1", "x faster b32", "pareto",      "budget"};
  return columns;
}

std::vector<std::string> tradeoff_row(const Variant& v) {
  const bool derived = !v.base.empty();
  return {
      v.name,
      v.method,
      std::to_string(v.bytes),
      fmt::format("{:.2f}", v.x_smaller),
      std::to_string(v.parameters),
      pct(v.accuracy),
      derived ? fmt::format("{:+.2f}", 0.0 - v.accuracy_drop) : "-",
      v.worst_slice.empty() ? "-" : v.worst_slice,
      v.worst_slice.empty() ? "-" : pct(v.worst_slice_accuracy),
      derived && !v.worst_slice.empty() ? fmt::format("{:+.2f}", 0.0 - v.worst_slice_drop) : "-",
      v.perplexity ? fmt::format("{:.4f}", *v.perplexity) : "-",
      latency(v, 1),
      latency(v, 32),
      faster(v, 1),
      faster(v, 32),
      pareto_mark(v),
      v.within_budget ? "yes" : "no"};
}

TextTable tradeoff_table(const Report& report) {
  TextTable table(tradeoff_columns());
  for (const Variant& v : report.variants) table.add_row(tradeoff_row(v));
  return table;
}

std::vector<std::string> best_lines(const Report& report) {
  std::vector<std::string> out;
  for (const Variant* o : originals(report)) {
    auto it = report.best.find(o->name);
    const Best best = it == report.best.end() ? Best{} : it->second;
    const Variant* small = find(report, best.smallest);
    const Variant* fast = find(report, best.fastest);
    out.push_back(fmt::format(
        "{}: within {:.1f} points (worst slice {:.1f}): smallest {}, fastest at batch 1 {}",
        o->name, report.budget.max_drop, report.budget.max_slice_drop,
        small ? fmt::format("{} ({:.2f}x smaller)", small->name, small->x_smaller) : "none",
        fast && fast->x_faster.count(1)
            ? fmt::format("{} ({:.2f}x faster)", fast->name, fast->x_faster.at(1))
            : "none"));
  }
  return out;
}

std::string markdown_report(const Report& report) {
  std::string md = "# quantize trade-off report\n\n";
  md += fmt::format(
      "Accuracy budget: at most {:.1f} points below the original overall and {:.1f} points in "
      "any slice. Accuracy is top-1 (exact match for language models) on the test split; "
      "latency is the median of repeated runs at batch 1 and 32. *pareto*: on the "
      "accuracy-vs-size and/or accuracy-vs-latency frontier of its model.\n\n",
      report.budget.max_drop, report.budget.max_slice_drop);
  md += tradeoff_table(report).to_markdown() + "\n";
  md += "## Best within the budget\n\n";
  for (const std::string& line : best_lines(report)) md += "- " + line + "\n";
  if (!report.fusion.empty())
    md += fmt::format("\n## Operator fusion\n\n{}\n\n{}", kFusionExplanation,
                      fusion_table(report.fusion).to_markdown());
  md += "\n## Accuracy per slice\n";
  for (const Variant* o : originals(report)) {
    std::set<std::string> names;
    const auto members = family(report, o->name);
    for (const Variant* v : members)
      for (const auto& [name, s] : v->slices) names.insert(name);
    if (names.empty()) continue;
    std::vector<std::string> header = {"variant"};
    header.insert(header.end(), names.begin(), names.end());
    TextTable t(header);
    for (const Variant* v : members) {
      std::vector<std::string> row = {v->name};
      for (const std::string& n : names) {
        auto it = v->slices.find(n);
        row.push_back(it == v->slices.end() ? "-" : pct(it->second.accuracy));
      }
      t.add_row(row);
    }
    md += fmt::format("\n### {}\n\n{}", o->name, t.to_markdown());
  }
  return md;
}

}  // namespace qz::tradeoff
