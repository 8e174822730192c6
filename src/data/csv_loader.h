// "csv:PATH": numeric feature columns with an integer class label (0..1023) in the last column;
// an optional header line (a first line with no numeric cell). Features are standardised with
// the training split's mean and standard deviation. The parsing is io/csv_table's.
#pragma once

#include <string>

#include "data/dataset.h"

namespace qz::data {

Dataset load_csv(const std::string& path, const DataOptions& options);

}  // namespace qz::data
