// libFuzzer target: any text as a CSV data file. Must give a consistent table (every row's
// features, labels in range) or an InputError.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "io/csv_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto t = qz::io::parse_csv_table(text, "fuzz.csv");
    if (t.columns < 1 || t.labels.empty()) std::abort();
    if (t.features.size() != t.labels.size() * static_cast<size_t>(t.columns)) std::abort();
    for (int64_t l : t.labels)
      if (l < 0 || l >= t.num_classes) std::abort();
  } catch (const qz::InputError&) {
  }
  return 0;
}
