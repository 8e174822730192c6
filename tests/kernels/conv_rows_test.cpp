// im2col rows and their scatter back to NCHW against the definitions written as plain index
// formulas, on geometries where padding, stride and image edges meet every way.
#include <gtest/gtest.h>

#include <vector>

#include "core/rng.h"
#include "kernels/conv/conv_rows.h"

namespace qz::kernels {
namespace {

// x[n, c, ih, iw], 0 outside the image: the value im2col puts at row (n, oh, ow), column (c, kh,
// kw).
float unrolled_value(const std::vector<float>& x, const ConvShape& s, int64_t row, int64_t col) {
  const int64_t n = row / s.positions(), oh = row % s.positions() / s.out_width();
  const int64_t ow = row % s.out_width();
  const int64_t c = col / (s.kernel * s.kernel), kh = col / s.kernel % s.kernel,
                kw = col % s.kernel;
  const int64_t ih = oh * s.stride - s.padding + kh, iw = ow * s.stride - s.padding + kw;
  if (ih < 0 || ih >= s.height || iw < 0 || iw >= s.width) return 0.0f;
  return x[((n * s.channels + c) * s.height + ih) * s.width + iw];
}

std::vector<ConvShape> geometries() {
  std::vector<ConvShape> out;
  for (int64_t kernel : {1, 2, 3, 4, 5, 7})
    for (int64_t stride : {1, 2, 3})
      for (int64_t padding : {0, 1, 3}) {
        ConvShape s{2, 3, 9, 6, kernel, stride, padding};
        if (s.out_height() > 0 && s.out_width() > 0) out.push_back(s);
      }
  out.push_back({1, 1, 1, 1, 3, 1, 1});     // one pixel, all padding around it
  out.push_back({3, 32, 16, 16, 3, 1, 1});  // the shapes CNN's conv2 at batch 3
  out.push_back({1, 2, 40, 3, 5, 1, 2});    // an image narrower than it is tall
  out.push_back({40, 1, 4, 4, 3, 1, 1});    // enough rows to split across threads
  return out;
}

TEST(ConvRows, Im2colEqualsTheIndexFormulaOnEveryGeometry) {
  Rng rng(11);
  for (const ConvShape& s : geometries()) {
    std::vector<float> x(s.batch * s.channels * s.height * s.width);
    for (float& v : x) v = static_cast<float>(rng.normal());
    const int64_t rows = s.batch * s.positions(), cols = s.row_length();
    std::vector<float> got(rows * cols, -1.0f);
    im2col_rows(x.data(), s, got.data());
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c)
        ASSERT_EQ(got[r * cols + c], unrolled_value(x, s, r, c))
            << "kernel " << s.kernel << " stride " << s.stride << " padding " << s.padding
            << " row " << r << " col " << c;
  }
}

TEST(ConvRows, RowsToPlanesTransposesEachImage) {
  Rng rng(12);
  for (int64_t batch : {1, 3})
    for (int64_t positions : {1, 15, 16, 17, 64, 257})
      for (int64_t channels : {1, 7, 16, 33}) {
        std::vector<float> rows(batch * positions * channels);
        for (float& v : rows) v = static_cast<float>(rng.normal());
        std::vector<float> y(rows.size(), -1.0f);
        rows_to_planes(rows.data(), batch, positions, channels, y.data());
        for (int64_t n = 0; n < batch; ++n)
          for (int64_t c = 0; c < channels; ++c)
            for (int64_t p = 0; p < positions; ++p)
              ASSERT_EQ(y[(n * channels + c) * positions + p],
                        rows[(n * positions + p) * channels + c])
                  << batch << "x" << positions << "x" << channels;
      }
}

}  // namespace
}  // namespace qz::kernels
