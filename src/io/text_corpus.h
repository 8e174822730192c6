// A UTF-8 text file as a corpus of byte windows for language modelling (data/text_loader makes
// tensors of them). Torch-free, so the text reader is fuzzed and sanitized with the others.
#pragma once

#include <cstdint>
#include <string>

namespace qz::io {

// Offset of the first byte that makes `text` not UTF-8 text (NUL or invalid sequence), or -1.
int64_t first_non_text_byte(const std::string& text);

// Validates `text` read from `path` (not empty, UTF-8, at least 10 windows) and returns how
// many windows of seq_len + 1 bytes, stride seq_len, it makes. InputError naming the file and
// the offending byte otherwise.
int64_t text_windows(const std::string& text, const std::string& path, int64_t seq_len);

}  // namespace qz::io
