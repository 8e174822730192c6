// CSV tables of numeric features with an integer class label (0..1023) in the last column and
// an optional header line (a first line with no numeric cell), parsed from untrusted text.
// Torch-free, so the fuzzer reaches it (tests/sanitize). Errors name the file, line and column.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qz::io {

struct CsvTable {
  std::vector<float> features;  // rows × columns, row-major
  std::vector<int64_t> labels;  // rows
  int64_t columns = 0;          // feature columns (the label column excluded)
  int64_t num_classes = 0;      // max label + 1, at least 2
};

// Parses CSV text; `path` names it in errors.
CsvTable parse_csv_table(const std::string& text, const std::string& path);

}  // namespace qz::io
