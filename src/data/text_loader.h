// "text:PATH": byte-level language modelling on a UTF-8 text file. The file is cut into windows
// of seq_len+1 bytes (stride seq_len) that are split randomly into train/val/test. Every byte is
// scored. Slices: part (which quarter of the file a window comes from). Binary files (a NUL byte
// or invalid UTF-8) are rejected with the offending byte offset.
#pragma once

#include <string>

#include "data/dataset.h"

namespace qz::data {

Dataset load_text(const std::string& path, const DataOptions& options);

}  // namespace qz::data
