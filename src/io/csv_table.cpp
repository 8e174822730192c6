#include "io/csv_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include "core/error.h"

namespace qz::io {
namespace {

constexpr int64_t kMaxLabel = 1023;
constexpr size_t kMaxColumns = 1 << 16;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool parse_double(std::string_view s, double& out) {
  s = trim(s);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::vector<std::string_view> split_cells(std::string_view line) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    cells.push_back(
        line.substr(start, comma == std::string_view::npos ? line.npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return cells;
}

}  // namespace

CsvTable parse_csv_table(const std::string& text, const std::string& path) {
  std::vector<float> features;
  std::vector<int64_t> labels;
  size_t columns = 0;
  size_t line_no = 0, pos = 0;
  bool first = true;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = trim(std::string_view(text).substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (line.empty()) continue;
    const auto cells = split_cells(line);
    QZ_CHECK(cells.size() <= kMaxColumns, "[csv] {} line {}: {} columns exceed the limit {}", path,
             line_no, cells.size(), kMaxColumns);
    if (first) {
      first = false;
      double dummy;
      bool any_numeric = false;
      for (auto c : cells) any_numeric = any_numeric || parse_double(c, dummy);
      columns = cells.size();
      QZ_CHECK(columns >= 2, "[csv] {} line {}: expected at least one feature column and a label",
               path, line_no);
      if (!any_numeric) continue;  // header
    }
    QZ_CHECK(cells.size() == columns,
             "[csv] {} line {}: {} columns, expected {} like the first line", path, line_no,
             cells.size(), columns);
    for (size_t c = 0; c + 1 < columns; ++c) {
      double v;
      QZ_CHECK(parse_double(cells[c], v) && std::isfinite(v),
               "[csv] {} line {} column {}: '{}' is not a finite number", path, line_no, c + 1,
               std::string(trim(cells[c])));
      features.push_back(static_cast<float>(v));
    }
    double label;
    QZ_CHECK(parse_double(cells.back(), label) && label == std::floor(label),
             "[csv] {} line {} column {}: label '{}' is not an integer", path, line_no, columns,
             std::string(trim(cells.back())));
    QZ_CHECK(label >= 0 && label <= kMaxLabel,
             "[csv] {} line {} column {}: label {} out of range (expected 0..{})", path, line_no,
             columns, label, kMaxLabel);
    labels.push_back(static_cast<int64_t>(label));
  }
  QZ_CHECK(!labels.empty(), "[csv] {}: no data rows", path);
  int64_t num_classes = 0;
  for (int64_t l : labels) num_classes = std::max(num_classes, l + 1);
  QZ_CHECK(num_classes >= 2, "[csv] {}: labels must name at least two classes (found only 0)",
           path);
  return {std::move(features), std::move(labels), static_cast<int64_t>(columns - 1), num_classes};
}

}  // namespace qz::io
