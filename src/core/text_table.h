// Plain-text tables with aligned columns, for terminal output and Markdown reports.
#pragma once

#include <string>
#include <vector>

namespace qz {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Space-aligned text; numeric-looking cells are right-aligned.
  std::string to_text() const;
  // A GitHub-flavoured Markdown table.
  std::string to_markdown() const;

  const std::vector<std::string>& header() const { return header_; }
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace qz
