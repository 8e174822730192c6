#include "compress/hqq.h"

#include "compress/layer_walk.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/int_grid.h"
#include "core/progress.h"
#include "core/thread_pool.h"
#include "nn/quantized_layer.h"

namespace qz::compress {
namespace {

// The generalised soft threshold, the proximal step of |x|ᵖ/β: shrinks small errors to zero
// and large ones (outliers) by less. 1e-8 keeps |x|^(p−1) finite at x = 0.
float shrink(float x, double beta, double p) {
  const double a = std::fabs(x);
  const double kept = std::max(0.0, a - std::pow(a + 1e-8, p - 1.0) / beta);
  return static_cast<float>(std::copysign(kept, x));
}

struct GroupFit {
  float scale = 1.0f;
  float zero = 0.0f;
};

// The group's min-max scale (FP16) and its starting zero −lo/s. The range includes 0, as every
// grid here does: the zero then starts within [0, 2^b − 1], where FP16 resolves it to 1/128.
GroupFit initial_fit(std::span<const float> v, float qmax) {
  float lo = 0, hi = 0;
  for (float x : v) {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  GroupFit f;
  f.scale = round_to_fp16((hi - lo) / qmax);
  if (!(f.scale > 0) || !std::isfinite(f.scale)) f.scale = 1.0f;
  f.zero = -lo / f.scale;
  return f;
}

float code_for(float x, const GroupFit& f, float qmax) {
  return std::clamp(std::nearbyint(x / f.scale + f.zero), 0.0f, qmax);
}

// Half-quadratic iterations on the zero point; returns the zero with the least mean |error|.
float optimise_zero(std::span<const float> v, GroupFit f, float qmax, const HqqOptions& o) {
  double beta = o.beta;
  double best_error = std::numeric_limits<double>::infinity();
  float best_zero = f.zero;
  const double n = static_cast<double>(v.size());
  for (int it = 0; it < o.iterations; ++it) {
    double error = 0, zero_sum = 0;
    for (float x : v) {
      const float q = code_for(x, f, qmax);
      const float residual = x - (q - f.zero) * f.scale;
      error += std::fabs(residual);
      zero_sum += q - (x - shrink(residual, beta, o.p)) / f.scale;
    }
    error /= n;
    if (!(error < best_error)) break;
    best_error = error;
    best_zero = f.zero;
    f.zero = static_cast<float>(zero_sum / n);
    beta *= o.kappa;
  }
  return best_zero;
}

GroupCodes quantize(std::span<const float> w, int64_t rows, int64_t cols, const HqqOptions& o,
                    bool optimise) {
  check_hqq_options(o);
  QZ_ASSERT(static_cast<int64_t>(w.size()) == rows * cols, "hqq weight size");
  GroupCodes q;
  q.rows = rows;
  q.cols = cols;
  q.group = std::min(o.group, cols);
  const int64_t groups = q.groups();
  q.codes.resize(rows * cols);
  q.scales.resize(rows * groups);
  q.zeros.resize(rows * groups);
  q.fractional_zeros.resize(rows * groups);
  const float qmax = static_cast<float>((1 << o.bits) - 1);
  parallel_for(rows, 1, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r)
      for (int64_t g = 0; g < groups; ++g) {
        const int64_t begin = g * q.group, end = std::min(cols, begin + q.group);
        const auto v = w.subspan(r * cols + begin, end - begin);
        GroupFit f = initial_fit(v, qmax);
        if (optimise) f.zero = optimise_zero(v, f, qmax, o);
        f.zero = round_to_fp16(f.zero);  // what the file stores; the codes follow it
        const int64_t i = r * groups + g;
        q.scales[i] = f.scale;
        q.fractional_zeros[i] = f.zero;
        q.zeros[i] = static_cast<int32_t>(std::nearbyint(f.zero));
        for (int64_t c = begin; c < end; ++c)
          q.codes[r * cols + c] = static_cast<uint8_t>(code_for(w[r * cols + c], f, qmax));
      }
  });
  return q;
}

}  // namespace

void check_hqq_options(const HqqOptions& o) {
  QZ_CHECK(o.bits >= 2 && o.bits <= 4, "[hqq] --bits: expected 2, 3 or 4, got {}", o.bits);
  QZ_CHECK(o.group >= 1, "[hqq] --group: expected a positive group size, got {}", o.group);
  QZ_CHECK(o.p > 0 && o.p <= 1, "[hqq] p: expected a value in (0, 1], got {}", o.p);
  QZ_CHECK(o.iterations >= 0 && o.iterations <= 1000,
           "[hqq] iterations: expected 0 to 1000, got {}", o.iterations);
  QZ_CHECK(o.beta > 0 && o.kappa >= 1, "[hqq] beta must be positive and kappa at least 1");
}

GroupCodes hqq_quantize(std::span<const float> w, int64_t rows, int64_t cols,
                        const HqqOptions& options) {
  return quantize(w, rows, cols, options, true);
}

GroupCodes hqq_initial_codes(std::span<const float> w, int64_t rows, int64_t cols,
                             const HqqOptions& options) {
  return quantize(w, rows, cols, options, false);
}

double lp_error(std::span<const float> w, const GroupCodes& codes, double p) {
  std::vector<float> deq(w.size());
  dequantize_groups(codes, GridKind::Affine, deq);
  double sum = 0;
  for (size_t i = 0; i < w.size(); ++i) sum += std::pow(std::fabs(w[i] - deq[i]), p);
  return sum;
}

std::vector<LayerReport> hqq_model(nn::Model& model, const HqqOptions& options,
                                   const std::vector<std::string>& exclude,
                                   std::vector<double>* lp_gain) {
  check_hqq_options(options);
  torch::NoGradGuard guard;
  std::vector<LayerReport> reports;
  walk_dense_layers(
      model, {"hqq", exclude, "quantize an FP32 model"}, [&](const nn::LayerSlot& slot) {
        const nn::LayerPtr dense = slot.get();
        const auto w =
            dense->dense_weight().detach().reshape({dense->out_features(), -1}).contiguous();
        const std::span<const float> wv(w.data_ptr<float>(), static_cast<size_t>(w.numel()));
        const GroupCodes codes = hqq_quantize(wv, w.size(0), w.size(1), options);
        if (lp_gain != nullptr) {
          const double before =
              lp_error(wv, hqq_initial_codes(wv, w.size(0), w.size(1), options), options.p);
          lp_gain->push_back(before > 0 ? lp_error(wv, codes, options.p) / before : 1.0);
        }
        auto quantized =
            nn::QuantizedLayer::from_codes(*dense, codes, GridKind::Affine, options.bits);
        reports.push_back(weight_error_report(slot.name(), fmt::format("hqq-w{}", options.bits),
                                              *dense, *quantized));
        slot.replace(quantized);
      });
  return reports;
}

}  // namespace qz::compress
