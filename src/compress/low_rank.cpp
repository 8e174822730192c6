#include "compress/low_rank.h"

#include <cmath>

#include "compress/layer_inputs.h"
#include "compress/layer_walk.h"
#include "core/error.h"
#include "nn/low_rank_layer.h"

namespace qz::compress {
namespace {

int64_t chosen_rank(const LowRankOptions& o, const torch::Tensor& sigma, int64_t in, int64_t out) {
  const int64_t full = std::min(in, out);
  if (o.rank > 0) return std::min(o.rank, full);
  if (o.ratio > 0)
    return std::clamp<int64_t>(
        static_cast<int64_t>(
            std::floor(o.ratio * static_cast<double>(in * out) / static_cast<double>(in + out))),
        1, full);
  const auto energy = sigma.pow(2).cumsum(0) / sigma.pow(2).sum().clamp_min(1e-30);
  const int64_t below = (energy < o.energy - 1e-12).sum().item<int64_t>();
  return std::clamp<int64_t>(below + 1, 1, full);
}

}  // namespace

std::vector<LowRankReport> factorize_model(nn::Model& model, const LowRankOptions& options,
                                           const torch::Tensor& calibration) {
  const int set = (options.rank > 0) + (options.energy > 0) + (options.ratio > 0);
  QZ_CHECK(set == 1, "[lowrank] give exactly one of --rank, --energy and --ratio");
  QZ_CHECK(options.energy <= 1, "[lowrank] energy {} must be in (0, 1]", options.energy);
  QZ_CHECK(options.ratio < 1, "[lowrank] ratio {} must be in (0, 1)", options.ratio);
  std::map<std::string, torch::Tensor> input_scale;  // ASVD: mean |x_j| per input column
  if (options.activation_aware) {
    QZ_CHECK(calibration.defined() && calibration.size(0) > 0,
             "[lowrank] the activation-aware variant needs calibration data (--data)");
    std::map<std::string, int64_t> rows;
    for_each_layer_input(model, calibration, [&](const std::string& name, const torch::Tensor& x) {
      const auto flat = x.reshape({-1, x.size(-1)}).abs().to(torch::kFloat64);
      auto [it, inserted] = input_scale.emplace(name, flat.sum(0));
      if (!inserted) it->second += flat.sum(0);
      rows[name] += flat.size(0);
    });
    for (auto& [name, s] : input_scale) s /= static_cast<double>(std::max<int64_t>(rows[name], 1));
  }
  std::vector<LowRankReport> reports;
  torch::NoGradGuard guard;
  for (const nn::LayerSlot* selected : selected_layers(model, {"lowrank", options.exclude})) {
    const nn::LayerSlot& slot = *selected;
    const auto& layer = *slot.get();
    if (layer.kind() != nn::LayerKind::Linear) continue;
    require_dense(slot, "lowrank", "factor FP32 layers (before quantizing)");
    LowRankReport r;
    r.layer = slot.name();
    r.in = layer.in_features();
    r.out = layer.out_features();
    r.params_before = r.in * r.out;
    const auto w = layer.dense_weight().detach().to(torch::kFloat64);
    torch::Tensor scale;  // ASVD column scaling s^0.5 (kept away from 0)
    if (options.activation_aware) scale = input_scale.at(slot.name()).clamp_min(1e-8).sqrt();
    const auto target = scale.defined() ? w * scale.unsqueeze(0) : w;
    auto [u, sigma, vh] = torch::linalg_svd(target, /*full_matrices=*/false, c10::nullopt);
    r.rank = chosen_rank(options, sigma, r.in, r.out);
    r.factored = r.rank * (r.in + r.out) < r.in * r.out;
    if (!r.factored) {
      r.params_after = r.params_before;
      reports.push_back(r);
      continue;
    }
    const auto root = sigma.narrow(0, 0, r.rank).sqrt();
    const auto b = u.narrow(1, 0, r.rank) * root.unsqueeze(0);
    auto a = root.unsqueeze(1) * vh.narrow(0, 0, r.rank);
    if (scale.defined()) a = a / scale.unsqueeze(0);
    r.relative_error = ((w - b.mm(a)).norm() / w.norm().clamp_min(1e-30)).item<double>();
    r.params_after = r.rank * (r.in + r.out);
    const auto bias = layer.dense_bias();
    slot.replace(std::make_shared<nn::LowRankLayer>(
        a.to(torch::kFloat32), b.to(torch::kFloat32),
        bias.defined() ? bias.detach().clone() : torch::Tensor()));
    reports.push_back(r);
  }
  return reports;
}

}  // namespace qz::compress
