// "csv:PATH": numeric feature columns with an integer class label (0..1023) in the last column;
// an optional header line (a first line with no numeric cell). Features are standardised with
// the training split's mean and standard deviation. Errors name the file, line and column.
#pragma once

#include <string>

#include "data/dataset.h"

namespace qz::data {

Dataset load_csv(const std::string& path, const DataOptions& options);

// Parses CSV text (exposed for tests and the fuzzer); `path` names it in errors.
Split parse_csv(const std::string& text, const std::string& path, int64_t& num_classes);

}  // namespace qz::data
