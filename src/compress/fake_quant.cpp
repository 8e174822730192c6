#include "compress/fake_quant.h"

namespace qz::compress {
namespace {

// Forward: `rounded`; backward: the identity where lo ≤ x ≤ hi, zero elsewhere.
torch::Tensor clipped_straight_through(const torch::Tensor& x, const torch::Tensor& rounded,
                                       const torch::Tensor& lo, const torch::Tensor& hi) {
  const auto inside = ((x >= lo) & (x <= hi)).to(x.scalar_type());
  return rounded.detach() + (x - x.detach()) * inside;
}

// Affine grid over [min(v, 0), max(v, 0)] along the last dimension with `levels` steps.
torch::Tensor affine_fake(const torch::Tensor& v, double levels) {
  const auto d = v.detach();
  const auto lo = std::get<0>(d.min(-1, true)).clamp_max(0);
  const auto hi = std::get<0>(d.max(-1, true)).clamp_min(0);
  auto scale = (hi - lo) / levels;
  scale = torch::where(scale > 0, scale, torch::ones_like(scale));
  const auto zero = torch::round(-lo / scale).clamp(0, levels);
  const auto q = (torch::round(d / scale) + zero).clamp(0, levels);
  const auto deq = (q - zero) * scale;
  return clipped_straight_through(v, deq, (0 - zero) * scale, (levels - zero) * scale);
}

}  // namespace

torch::Tensor fake_quantize_weight(const torch::Tensor& w, FakeGrid grid, int64_t group) {
  const int64_t out = w.size(0), k = w.size(1);
  if (grid == FakeGrid::Int8PerChannel) {
    const auto d = w.detach();
    auto scale = d.abs().amax(1, true) / 127.0;
    scale = torch::where(scale > 0, scale, torch::ones_like(scale));
    const auto deq = torch::round(d / scale).clamp(-127, 127) * scale;
    return clipped_straight_through(w, deq, -127 * scale, 127 * scale);
  }
  // Groups along K; a short last group is padded with zeros, which never widen a range that
  // already holds 0.
  const int64_t groups = (k + group - 1) / group;
  const auto padded = torch::constant_pad_nd(w, {0, groups * group - k}).view({out, groups, group});
  torch::Tensor fq;
  if (grid == FakeGrid::Int4Affine) {
    fq = affine_fake(padded, 15.0);
  } else {  // symmetric offset: scale 2·absmax/15, zero 8, codes 0…15
    const auto d = padded.detach();
    auto scale = 2.0 * d.abs().amax(-1, true) / 15.0;
    scale = torch::where(scale > 0, scale, torch::ones_like(scale));
    const auto deq = ((torch::round(d / scale) + 8).clamp(0, 15) - 8) * scale;
    fq = clipped_straight_through(padded, deq, -8 * scale, 7 * scale);
  }
  return fq.view({out, groups * group}).narrow(1, 0, k);
}

torch::Tensor fake_quantize_rows_u8(const torch::Tensor& x) {
  return affine_fake(x, 255.0);
}

}  // namespace qz::compress
