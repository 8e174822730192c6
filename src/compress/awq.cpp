#include "compress/awq.h"

#include <fmt/format.h>

#include "compress/channel_scaling.h"
#include "compress/layer_inputs.h"
#include "compress/layer_walk.h"
#include "compress/second_order/gptq.h"
#include "compress/second_order/hessian.h"
#include "core/error.h"
#include "core/progress.h"
#include "nn/quantized_layer.h"

namespace qz::compress {
namespace {

// [N, K] → [N, G, group], zero-padded (a zero never widens a grid: 0 is always in range).
torch::Tensor grouped(const torch::Tensor& w, int64_t group) {
  const int64_t n = w.size(0), k = w.size(1), g = (k + group - 1) / group;
  if (g * group == k) return w.reshape({n, g, group});
  return torch::nn::functional::pad(w, torch::nn::functional::PadFuncOptions({0, g * group - k}))
      .reshape({n, g, group});
}

torch::Tensor ungrouped(const torch::Tensor& w, int64_t k) {
  return w.reshape({w.size(0), -1}).narrow(1, 0, k);
}

bool clip_skipped(const std::string& layer) {
  const auto dot = layer.rfind('.');
  const std::string local = dot == std::string::npos ? layer : layer.substr(dot + 1);
  return local == "q" || local == "k";
}

double output_mse(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& wq) {
  return x.matmul((wq - w).t()).pow(2).mean().item<double>();
}

// Per (row, group) clip of w [N, K] minimising the partial output error on x [n, K].
torch::Tensor search_clip(const torch::Tensor& w, const torch::Tensor& x, const AwqOptions& o) {
  const auto wg = grouped(w, o.group);                     // [N, G, g]
  const auto xg = grouped(x, o.group).permute({1, 0, 2});  // [G, n, g]
  const auto full = wg.abs().amax(-1);                     // [N, G]
  torch::Tensor best_err, best_clip;
  for (int i = 0; i < 10; ++i) {
    const auto clip = full * (1.0 - i / 20.0);
    const auto q = grouped(affine_round_trip(w, o.bits, o.group, clip), o.group);
    // Partial products per group: [G, n, N] = x_g · (q_g − w_g)ᵀ.
    const auto err = torch::bmm(xg, (q - wg).permute({1, 2, 0})).pow(2).sum(1).t();  // [N, G]
    if (!best_err.defined()) {
      best_err = err;
      best_clip = clip.clone();
    } else {
      const auto better = err < best_err;
      best_err = torch::where(better, err, best_err);
      best_clip = torch::where(better, clip, best_clip);
    }
  }
  return best_clip;
}

}  // namespace

torch::Tensor affine_round_trip(const torch::Tensor& w, int bits, int64_t group,
                                const torch::Tensor& clip) {
  const int64_t k = w.size(1);
  auto wg = grouped(w.to(torch::kFloat32), group);
  if (clip.defined()) {
    const auto c = clip.unsqueeze(-1);
    wg = torch::maximum(torch::minimum(wg, c), -c);
  }
  const double qmax = (1 << bits) - 1;
  const auto lo = wg.amin(-1, true).clamp_max(0), hi = wg.amax(-1, true).clamp_min(0);
  auto scale = (hi - lo) / qmax;
  scale = torch::where(scale > 0, scale, torch::ones_like(scale));
  const auto zero = (-lo / scale).round().clamp(0, qmax);
  const auto q = (wg / scale).round().add(zero).clamp(0, qmax);
  return ungrouped((q - zero) * scale, k);
}

AwqReport awq_model(nn::Model& model, const AwqOptions& o, const torch::Tensor& calibration,
                    const std::vector<std::string>& exclude) {
  QZ_CHECK(o.bits >= 2 && o.bits <= 4, "[awq] bits must be 2 to 4, got {}", o.bits);
  QZ_CHECK(o.group >= 1, "[awq] group must be positive, got {}", o.group);
  QZ_CHECK(calibration.defined() && calibration.size(0) > 0,
           "[awq] needs calibration data: pass --data");
  check_exclude(model, exclude, "awq");
  torch::NoGradGuard guard;
  AwqReport report;
  // Enough leading samples for about sample_rows rows per layer.
  auto sample_inputs = [&] {
    const int64_t per_sample =
        calibration.dim() == 2 && model.task() == Task::LanguageModel ? calibration.size(1) : 1;
    const int64_t samples = std::max<int64_t>(1, o.sample_rows / std::max<int64_t>(1, per_sample));
    std::map<std::string, torch::Tensor> rows;
    for (auto& [name, x] : sample_layer_inputs(model, calibration, samples))
      rows[name] = layer_input_rows(*model.find_layer(name)->get(), x).to(torch::kFloat32);
    return rows;
  };

  // 1. Scales, group by group in forward order.
  const auto groups = scalable_groups(model, exclude);
  const auto stats = scale_group_stats(model, calibration, groups);
  auto inputs = sample_inputs();
  Progress bar("awq", static_cast<int64_t>(groups.size() + model.layers().size()));
  int64_t done = 0;
  for (const auto& g : groups) {
    const auto& x = inputs.at(g.consumers.front());
    const auto sx = stats.at(g.consumers.front()).absmean.clamp_min(1e-8);
    std::vector<torch::Tensor> weights;
    for (const auto& c : g.consumers)
      weights.push_back(model.find_layer(c)->get()->dense_weight().detach());
    double best = std::numeric_limits<double>::infinity(), best_alpha = 0;
    torch::Tensor best_s;
    for (int i = 0; i < o.grid; ++i) {
      const double alpha = static_cast<double>(i) / o.grid;
      auto s = sx.pow(alpha);
      s = s / (s.max() * s.min()).sqrt();
      double loss = 0;
      for (const auto& w : weights)
        loss += output_mse(x, w, affine_round_trip(w * s, o.bits, o.group, {}) / s);
      if (loss < best) {
        best = loss;
        best_alpha = alpha;
        best_s = s;
      }
    }
    apply_channel_scale(model, g, best_s);
    report.alphas.emplace_back(g.source, best_alpha);
    bar.update(++done, g.source);
  }

  // 2. Clip and quantize every layer on its (now scaled) inputs.
  if (!groups.empty()) inputs = sample_inputs();
  const GptqOptions grid{o.bits, o.group, false, false, 128, 0.01};
  for (const auto& slot : model.layers()) {
    bar.update(++done, slot.name());
    if (std::find(exclude.begin(), exclude.end(), slot.name()) != exclude.end()) continue;
    require_dense(slot, "awq", "quantize an FP32 model");
    const nn::LayerPtr dense = slot.get();
    const auto w = dense->dense_weight().detach().reshape({dense->out_features(), -1});
    const auto& x = inputs.at(slot.name());
    torch::Tensor clipped = w;
    if (o.clip && !clip_skipped(slot.name())) {
      const auto c = search_clip(w, x, o).unsqueeze(-1);
      clipped = ungrouped(torch::maximum(torch::minimum(grouped(w, o.group), c), -c), w.size(1));
    }
    auto quantized = nn::QuantizedLayer::from_codes(*dense, rtn_quantize(clipped, grid),
                                                    GridKind::Affine, o.bits);
    LayerReport r =
        weight_error_report(slot.name(), fmt::format("awq-w{}", o.bits), *dense, *quantized);
    r.output_mse = output_mse(x, w, quantized->dense_weight().reshape_as(w));
    report.layers.push_back(r);
    slot.replace(quantized);
  }
  bar.finish();
  return report;
}

}  // namespace qz::compress
