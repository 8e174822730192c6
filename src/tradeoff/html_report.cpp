#include "tradeoff/html_report.h"

#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "io/atomic_file.h"
#include "tradeoff/svg_chart.h"
#include "tradeoff/tradeoff_table.h"

namespace qz::tradeoff {
namespace {

constexpr const char* kStyle = R"(
body { font-family: system-ui, sans-serif; margin: 24px; color: #222; max-width: 1400px; }
h1 { font-size: 1.5em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: right; white-space: nowrap; }
th { background: #f0f0f0; } td:first-child, td:nth-child(2) { text-align: left; }
tr.over td { color: #a0522d; } tr.original td { font-weight: bold; }
.slices { overflow-x: auto; margin-top: 16px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg.chart { background: #fff; border: 1px solid #ddd; font-size: 11px; }
svg .title { font-size: 14px; font-weight: bold; }
svg .point-label { font-size: 10px; fill: #444; }
.legend span { display: inline-block; margin-right: 16px; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 4px; }
)";

PointKind kind_of(const Variant& v) {
  if (v.base.empty()) return PointKind::Original;
  return v.within_budget ? PointKind::WithinBudget : PointKind::OverBudget;
}

std::string short_label(const Variant& v) {
  return v.base.empty() ? "fp32" : v.method;
}

ScatterChart accuracy_chart(const Report& r, const Variant& original, bool by_latency) {
  ScatterChart c;
  c.id = fmt::format("{}-accuracy-vs-{}", original.name, by_latency ? "latency" : "size");
  c.title = fmt::format("{}: accuracy vs {}", original.name,
                        by_latency ? "latency at batch 1" : "file size");
  c.x_label = by_latency ? "median latency at batch 1, ms (log scale)" : "file bytes (log scale)";
  c.y_label = "accuracy, %";
  c.log_x = true;
  c.budget_y = 100.0 * original.accuracy - r.budget.max_drop;
  for (const Variant* v : family(r, original.name)) {
    auto lat = v->latency_ms.find(1);
    if (by_latency && lat == v->latency_ms.end()) continue;
    ScatterPoint p;
    p.label = short_label(*v);
    p.x = by_latency ? lat->second.median_ms : static_cast<double>(v->bytes);
    p.y = 100.0 * v->accuracy;
    p.kind = kind_of(*v);
    p.frontier = by_latency ? v->pareto_latency : v->pareto_size;
    p.tooltip = fmt::format("{}: {:.2f}%, {} bytes, {}", v->name, p.y, v->bytes,
                            lat == v->latency_ms.end()
                                ? std::string("no latency")
                                : fmt::format("{:.3f} ms at batch 1", lat->second.median_ms));
    c.points.push_back(p);
  }
  return c;
}

Heatmap slice_map(const Report& r, const Variant& original) {
  Heatmap m;
  m.id = original.name + "-slices";
  m.title = original.name + ": accuracy per slice, %";
  const auto members = family(r, original.name);
  std::set<std::string> names;
  for (const Variant* v : members)
    for (const auto& [name, s] : v->slices) names.insert(name);
  m.columns.assign(names.begin(), names.end());
  for (const Variant* v : members) {
    m.rows.push_back(v->name);
    std::vector<std::optional<double>> row;
    for (const std::string& n : m.columns) {
      auto it = v->slices.find(n);
      row.push_back(it == v->slices.end() ? std::nullopt
                                          : std::optional<double>(100.0 * it->second.accuracy));
    }
    m.values.push_back(row);
  }
  return m;
}

std::string html_text_table(const TextTable& t) {
  std::string s = "<table>\n<tr>";
  for (const std::string& h : t.header()) s += "<th>" + xml_escape(h) + "</th>";
  s += "</tr>\n";
  for (const auto& row : t.rows()) {
    s += "<tr>";
    for (const std::string& cell : row) s += "<td>" + xml_escape(cell) + "</td>";
    s += "</tr>\n";
  }
  return s + "</table>\n";
}

std::string html_table(const Report& r) {
  std::string s = "<table class=\"tradeoff\">\n<tr>";
  for (const std::string& h : tradeoff_columns()) s += "<th>" + xml_escape(h) + "</th>";
  s += "</tr>\n";
  for (const Variant& v : r.variants) {
    s += fmt::format("<tr class=\"{}\">", v.base.empty()    ? "original"
                                          : v.within_budget ? "within"
                                                            : "over");
    for (const std::string& cell : tradeoff_row(v)) s += "<td>" + xml_escape(cell) + "</td>";
    s += "</tr>\n";
  }
  return s + "</table>\n";
}

}  // namespace

std::string html_report(const Report& r) {
  std::string s =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>quantize trade-off report</title><style>";
  s += kStyle;
  s += "</style></head><body>\n<h1>quantize trade-off report</h1>\n";
  s += fmt::format(
      "<p>Accuracy budget: at most {:.1f} points below the original overall and {:.1f} points "
      "in any slice. Accuracy is top-1 (exact match for language models) on the test split; "
      "latency is the median at batch 1 and 32.</p>\n",
      r.budget.max_drop, r.budget.max_slice_drop);
  s += "<ul class=\"best\">\n";
  for (const std::string& line : best_lines(r)) s += "<li>" + xml_escape(line) + "</li>\n";
  s += "</ul>\n<p class=\"legend\"><span><i class=\"dot\" style=\"background:#333\"></i>original"
       "</span><span><i class=\"dot\" style=\"background:#1b9e77\"></i>within budget</span>"
       "<span><i class=\"dot\" style=\"background:#d95f02\"></i>over budget</span><span>"
       "<i class=\"dot\" style=\"background:#7570b3\"></i>Pareto frontier</span><span>dashed: "
       "budget line</span></p>\n";
  s += html_table(r);
  for (const Variant* o : originals(r)) {
    s += fmt::format("<section class=\"model\" id=\"{0}\">\n<h2>{0}</h2>\n<div class=\"charts\">\n",
                     xml_escape(o->name));
    s += scatter_svg(accuracy_chart(r, *o, false));
    s += scatter_svg(accuracy_chart(r, *o, true));
    s += "</div>\n";
    s += "<div class=\"slices\">" + heatmap_svg(slice_map(r, *o)) + "</div>\n";
    s += "</section>\n";
  }
  if (!r.fusion.empty())
    s += "<section id=\"fusion\">\n<h2>Operator fusion</h2>\n<p>" + xml_escape(kFusionExplanation) +
         "</p>\n" + html_text_table(fusion_table(r.fusion)) + "</section>\n";
  s += "</body></html>\n";
  return s;
}

void write_reports(const std::string& dir, const Report& report) {
  namespace fs = std::filesystem;
  io::write_file_atomically((fs::path(dir) / "report.json").string(),
                            to_json(report).dump(2) + "\n");
  io::write_file_atomically((fs::path(dir) / "report.md").string(), markdown_report(report));
  io::write_file_atomically((fs::path(dir) / "report.html").string(), html_report(report));
}

}  // namespace qz::tradeoff
