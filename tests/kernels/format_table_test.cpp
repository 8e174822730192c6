// The format table: every row is reachable by its name, stores exactly the bytes its layout
// says, and its reference quantizer round-trips through the reference decoder. Loops over
// all_format_rows(), so a new row is covered here without a new test.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/rng.h"
#include "kernels/dequant/dequantize.h"
#include "kernels/format_table.h"

namespace qz::kernels {
namespace {

TEST(FormatTable, RowsAreInListOrderWithUniqueNames) {
  std::set<std::string> names;
  for (size_t i = 0; i < all_format_rows().size(); ++i) {
    const FormatRow* row = all_format_rows()[i];
    EXPECT_EQ(static_cast<size_t>(row->format), i);
    EXPECT_TRUE(names.insert(row->name).second) << row->name;
    EXPECT_EQ(find_format_row(row->name), row);
    EXPECT_EQ(weight_format_name(row->format), row->name);
  }
  EXPECT_EQ(find_format_row("int3"), nullptr);
}

TEST(FormatTable, TensorsFollowTheLayout) {
  for (const FormatRow* row : all_format_rows()) {
    const auto tensors = stored_tensors(row->format);
    ASSERT_FALSE(tensors.empty());
    EXPECT_EQ(tensors[0].name, is_nibble_format(row->format) ? "weight_packed" : "weight");
    const bool scaled = layout(row->format).scales != ScaleKind::None;
    const bool zeros = layout(row->format).zeros == ZeroKind::GroupU8 ||
                       layout(row->format).zeros == ZeroKind::GroupF16;
    EXPECT_EQ(tensors.size(), 1u + scaled + zeros) << row->name;
    if (row->codebook != std::array<float, 16>{}) {
      EXPECT_EQ(layout(row->format).codes, CodeKind::CodebookNibble) << row->name;
    }
  }
}

// Reconstruction SQNR of the reference quantizer on Gaussian weights, in dB.
double sqnr_db(const std::vector<float>& w, const PackedWeightView& v) {
  std::vector<float> back(w.size());
  dequantize_rows_ref(v, 0, v.n, back.data());
  double signal = 0, noise = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    signal += static_cast<double>(w[i]) * w[i];
    noise += static_cast<double>(w[i] - back[i]) * (w[i] - back[i]);
  }
  return 10 * std::log10(signal / std::max(noise, 1e-30));
}

TEST(FormatTable, ReferenceQuantizersStoreTheLayoutsBytesAndRoundTrip) {
  Rng rng(5);
  for (const FormatRow* row : all_format_rows()) {
    if (row->quantize == nullptr) continue;  // codes only an algorithm makes
    for (auto [n, k, group] : {std::tuple<int64_t, int64_t, int64_t>{1, 1, 32},
                               {3, 31, 32},
                               {17, 100, 64},
                               {8, 256, 128}}) {
      const int64_t g = layout(row->format).fixed_group > 0 ? layout(row->format).fixed_group
                        : is_grouped_format(row->format)    ? group
                                                            : 0;
      std::vector<float> w(static_cast<size_t>(n * k));
      for (auto& x : w) x = static_cast<float>(rng.normal());
      QuantizeSettings settings;
      settings.group = g;
      const StoredWeights s = row->quantize(w, n, k, settings);
      const int64_t bytes = static_cast<int64_t>(s.codes.size() + s.scales.size() + s.zeros.size());
      EXPECT_EQ(bytes, stored_bytes(row->format, n, k, g)) << row->name << " k=" << k;
      PackedWeightView v;
      v.format = row->format;
      v.n = n;
      v.k = k;
      v.group = is_grouped_format(row->format) ? g : k;
      v.data = s.codes.data();
      v.scales = s.scales.empty() ? nullptr : s.scales.data();
      v.zeros = s.zeros.empty() ? nullptr : s.zeros.data();
      EXPECT_EQ(static_cast<int64_t>(s.codes.size()), n * v.row_bytes()) << row->name;
      // Bits of each code: 4 for nibbles, 8·bytes otherwise; a working quantizer keeps well
      // over 2.5 dB of signal per code bit on Gaussian weights (4-bit formats ~18-20 dB).
      const double bits = is_nibble_format(row->format) ? 4.0 : 8.0 * code_bytes(row->format);
      if (k >= 31) {
        EXPECT_GT(sqnr_db(w, v), 2.5 * bits) << row->name << " k=" << k;
      }
    }
  }
}

}  // namespace
}  // namespace qz::kernels
