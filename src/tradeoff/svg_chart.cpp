#include "tradeoff/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace qz::tradeoff {
namespace {

constexpr double kWidth = 640, kHeight = 400;
constexpr double kLeft = 70, kRight = 24, kTop = 40, kBottom = 56;

const char* point_color(PointKind k) {
  switch (k) {
    case PointKind::Original:
      return "#333333";
    case PointKind::WithinBudget:
      return "#1b9e77";
    case PointKind::OverBudget:
      return "#d95f02";
  }
  return "#333333";
}

std::string tick_label(double v) {
  const double a = std::fabs(v);
  if (a >= 1e9) return fmt::format("{:g}G", v / 1e9);
  if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (a >= 1e3) return fmt::format("{:g}k", v / 1e3);
  return fmt::format("{:g}", v);
}

// Maps data to pixels on one axis.
struct Axis {
  double lo, hi, p0, p1;
  bool log;
  double operator()(double v) const {
    const double t = log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo))
                         : (v - lo) / (hi - lo);
    return p0 + t * (p1 - p0);
  }
};

// The data range padded so no point sits on the frame.
std::pair<double, double> padded_range(double lo, double hi, bool log) {
  if (log) {
    lo = std::max(lo, 1e-12);
    hi = std::max(hi, lo);
    const double l = std::log10(lo), h = std::log10(hi);
    const double pad = std::max(0.08 * (h - l), 0.1);
    return {std::pow(10.0, l - pad), std::pow(10.0, h + pad)};
  }
  const double pad = std::max(0.08 * (hi - lo), hi == lo ? std::max(1.0, std::fabs(hi) * 0.05) : 0);
  return {lo - pad, hi + pad};
}

// The <svg> element of a chart of `kind` with its title along the top.
std::string svg_open(const char* kind, const std::string& id, const std::string& title,
                     double width, double height) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-kind=\"{0}\" id=\"{1}\" "
      "viewBox=\"0 0 {2} {3}\" width=\"{2}\" height=\"{3}\" role=\"img\" aria-label=\"{4}\">\n"
      "<text class=\"title\" x=\"{5}\" y=\"21\" text-anchor=\"middle\">{4}</text>\n",
      kind, xml_escape(id), width, height, xml_escape(title), width / 2);
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<double> linear_ticks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return ticks;
  const double raw = (hi - lo) / std::max(target, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  // The 1-2-5 step whose tick count is closest to the target (the finer one on a tie).
  double step = mag;
  int64_t best = -1;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    const double candidate = m * mag;
    const auto ticks =
        static_cast<int64_t>(std::floor(hi / candidate) - std::ceil(lo / candidate)) + 1;
    const int64_t miss = std::abs(ticks - target);
    if (best < 0 || miss < best) {
      best = miss;
      step = candidate;
    }
  }
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> ticks;
  if (!(hi > lo) || !(lo > 0)) return ticks;
  const int d0 = static_cast<int>(std::floor(std::log10(lo)));
  const int d1 = static_cast<int>(std::ceil(std::log10(hi)));
  const bool fine = d1 - d0 <= 3;
  for (int d = d0; d <= d1; ++d)
    for (double m : fine ? std::vector<double>{1, 2, 5} : std::vector<double>{1}) {
      const double t = m * std::pow(10.0, d);
      if (t >= lo && t <= hi) ticks.push_back(t);
    }
  return ticks;
}

std::string scatter_svg(const ScatterChart& c) {
  double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
  for (const ScatterPoint& p : c.points) {
    xlo = std::min(xlo, p.x);
    xhi = std::max(xhi, p.x);
    ylo = std::min(ylo, p.y);
    yhi = std::max(yhi, p.y);
  }
  if (c.budget_y) {
    ylo = std::min(ylo, *c.budget_y);
    yhi = std::max(yhi, *c.budget_y);
  }
  if (c.points.empty()) xlo = ylo = 0, xhi = yhi = 1;
  const auto [x0, x1] = padded_range(xlo, xhi, c.log_x);
  const auto [y0, y1] = padded_range(ylo, yhi, false);
  const Axis ax{x0, x1, kLeft, kWidth - kRight, c.log_x};
  const Axis ay{y0, y1, kHeight - kBottom, kTop, false};

  std::string s = svg_open("scatter", c.id, c.title, kWidth, kHeight);
  s += fmt::format(
      "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
      "stroke=\"#999\"/>\n",
      kLeft, kTop, kWidth - kLeft - kRight, kHeight - kTop - kBottom);
  for (double t : c.log_x ? log_ticks(x0, x1) : linear_ticks(x0, x1)) {
    const double px = ax(t);
    s += fmt::format(
        "<line class=\"grid\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#eee\"/>"
        "<text class=\"tick\" x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        px, kTop, kHeight - kBottom, kHeight - kBottom + 16, tick_label(t));
  }
  for (double t : linear_ticks(y0, y1)) {
    const double py = ay(t);
    s += fmt::format(
        "<line class=\"grid\" x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#eee\"/>"
        "<text class=\"tick\" x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
        kLeft, kWidth - kRight, py, kLeft - 6, py + 4, tick_label(t));
  }
  s +=
      fmt::format("<text class=\"axis-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                  (kLeft + kWidth - kRight) / 2, kHeight - 14, xml_escape(c.x_label));
  s += fmt::format(
      "<text class=\"axis-label\" transform=\"translate(16 {}) rotate(-90)\" "
      "text-anchor=\"middle\">{}</text>\n",
      (kTop + kHeight - kBottom) / 2, xml_escape(c.y_label));
  if (c.budget_y)
    s += fmt::format(
        "<line class=\"budget\" x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" "
        "stroke=\"#1b9e77\" stroke-dasharray=\"6 4\"><title>accuracy budget</title></line>\n",
        kLeft, kWidth - kRight, ay(*c.budget_y));

  // The frontier as a staircase through its points, in cost order.
  std::vector<const ScatterPoint*> front;
  for (const ScatterPoint& p : c.points)
    if (p.frontier) front.push_back(&p);
  std::sort(front.begin(), front.end(), [](auto* a, auto* b) { return a->x < b->x; });
  if (!front.empty()) {
    std::string pts;
    for (size_t i = 0; i < front.size(); ++i) {
      if (i > 0) pts += fmt::format("{:.1f},{:.1f} ", ax(front[i]->x), ay(front[i - 1]->y));
      pts += fmt::format("{:.1f},{:.1f} ", ax(front[i]->x), ay(front[i]->y));
    }
    s += fmt::format(
        "<polyline class=\"frontier\" points=\"{}\" fill=\"none\" stroke=\"#7570b3\" "
        "stroke-width=\"2\"/>\n",
        pts);
  }
  for (const ScatterPoint& p : c.points) {
    const double px = ax(p.x), py = ay(p.y);
    s += fmt::format(
        "<g class=\"point{}\"><circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\" "
        "stroke=\"{}\" stroke-width=\"2\"><title>{}</title></circle>"
        "<text class=\"point-label\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text></g>\n",
        p.frontier ? " on-frontier" : "", px, py, p.frontier ? 6 : 5, point_color(p.kind),
        p.frontier ? "#7570b3" : "#fff", xml_escape(p.tooltip), px + 8, py - 6,
        xml_escape(p.label));
  }
  s += "</svg>\n";
  return s;
}

std::string heatmap_svg(const Heatmap& m) {
  constexpr double kLabelW = 190, kCellW = 64, kCellH = 24, kHeaderH = 70, kTitleH = 28;
  const double width = kLabelW + kCellW * static_cast<double>(m.columns.size()) + 10;
  const double height = kTitleH + kHeaderH + kCellH * static_cast<double>(m.rows.size()) + 10;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& row : m.values)
    for (const auto& v : row)
      if (v) lo = std::min(lo, *v), hi = std::max(hi, *v);
  std::string s = svg_open("heatmap", m.id, m.title, width, height);
  for (size_t c = 0; c < m.columns.size(); ++c) {
    const double x = kLabelW + kCellW * (static_cast<double>(c) + 0.5);
    s += fmt::format(
        "<text class=\"column-label\" transform=\"translate({:.1f} {}) rotate(-30)\">{}</text>\n",
        x - 10, kTitleH + kHeaderH - 8, xml_escape(m.columns[c]));
  }
  for (size_t r = 0; r < m.rows.size(); ++r) {
    const double y = kTitleH + kHeaderH + kCellH * static_cast<double>(r);
    s += fmt::format(
        "<text class=\"row-label\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
        kLabelW - 8, y + kCellH * 0.7, xml_escape(m.rows[r]));
    for (size_t c = 0; c < m.columns.size(); ++c) {
      const auto& v = r < m.values.size() && c < m.values[r].size() ? m.values[r][c] : std::nullopt;
      const double x = kLabelW + kCellW * static_cast<double>(c);
      // Red (lowest) through yellow to green (highest) over the map's own range.
      const double t = v && hi > lo ? (*v - lo) / (hi - lo) : 1.0;
      const std::string fill =
          v ? fmt::format("hsl({:.0f},70%,{:.0f}%)", 120.0 * t, 75.0) : "#f4f4f4";
      const std::string text = v ? fmt::format(fmt::runtime(m.format), *v) : "-";
      s += fmt::format(
          "<g class=\"cell\"><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" "
          "fill=\"{}\" stroke=\"#fff\"><title>{} / {}: {}</title></rect>"
          "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text></g>\n",
          x, y, kCellW, kCellH, fill, xml_escape(m.rows[r]), xml_escape(m.columns[c]), text,
          x + kCellW / 2, y + kCellH * 0.7, text);
    }
  }
  s += "</svg>\n";
  return s;
}

}  // namespace qz::tradeoff
