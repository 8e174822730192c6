// Inline SVG charts for the HTML report, written by hand so the page needs no script, no
// network and no library: a scatter plot (optionally log x) with its Pareto frontier drawn as a
// line, and a heat map of values in a grid. Elements carry classes ("chart", "point",
// "frontier", "cell") so tests can find them in the rendered page.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qz::tradeoff {

enum class PointKind { Original, WithinBudget, OverBudget };

struct ScatterPoint {
  std::string label;  // drawn beside the point
  std::string tooltip;
  double x = 0, y = 0;
  PointKind kind = PointKind::OverBudget;
  bool frontier = false;
};

struct ScatterChart {
  std::string id, title, x_label, y_label;
  bool log_x = false;
  std::vector<ScatterPoint> points;
  std::optional<double> budget_y;  // a dashed line at the lowest accuracy within budget
};

struct Heatmap {
  std::string id, title;
  std::vector<std::string> rows, columns;
  std::vector<std::vector<std::optional<double>>> values;  // rows × columns; empty: no value
  std::string format = "{:.1f}";                           // cell text
};

std::string scatter_svg(const ScatterChart& chart);
std::string heatmap_svg(const Heatmap& map);

// Escapes &, <, >, " and ' for XML text and attributes.
std::string xml_escape(std::string_view text);

// Axis ticks: "nice" values (1, 2, 5 × 10^k) spanning [lo, hi]; for a log axis, the powers of
// ten with 2 and 5 between them when few decades are shown.
std::vector<double> linear_ticks(double lo, double hi, int target = 5);
std::vector<double> log_ticks(double lo, double hi);

}  // namespace qz::tradeoff
