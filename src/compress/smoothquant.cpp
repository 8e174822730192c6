#include "compress/smoothquant.h"

#include "compress/channel_scaling.h"
#include "core/error.h"

namespace qz::compress {

std::vector<SmoothingReport> smooth_model(nn::Model& model, double alpha,
                                          const torch::Tensor& calibration,
                                          const std::vector<std::string>& exclude) {
  QZ_CHECK(alpha >= 0 && alpha <= 1, "[smoothquant] alpha must be in [0, 1], got {}", alpha);
  QZ_CHECK(calibration.defined() && calibration.size(0) > 0,
           "[smoothquant] needs calibration data: pass --data");
  torch::NoGradGuard guard;
  const auto groups = scalable_groups(model, exclude);
  const auto stats = scale_group_stats(model, calibration, groups);
  std::vector<SmoothingReport> reports;
  for (const auto& g : groups) {
    const torch::Tensor act = stats.at(g.consumers.front()).absmax.clamp_min(1e-5);
    torch::Tensor wmax;
    for (const auto& c : g.consumers) {
      const auto m = std::get<0>(model.find_layer(c)->get()->dense_weight().abs().max(0));
      wmax = wmax.defined() ? torch::maximum(wmax, m) : m;
    }
    const auto s = (act.pow(alpha) / wmax.clamp_min(1e-5).pow(1.0 - alpha)).clamp_min(1e-5);
    apply_channel_scale(model, g, s);
    reports.push_back({g.source, s.max().item<double>(), s.min().item<double>(),
                       act.max().item<double>(), (act / s).max().item<double>()});
  }
  return reports;
}

}  // namespace qz::compress
