#include "compress/channel_scaling.h"

#include <algorithm>

#include "compress/layer_inputs.h"
#include "compress/second_order/hessian.h"
#include "core/error.h"

namespace qz::compress {
namespace {

bool dense_linear(const nn::Model& model, const std::string& name) {
  const nn::LayerSlot* slot = model.find_layer(name);
  return slot != nullptr && slot->get()->kind() == nn::LayerKind::Linear && slot->get()->is_dense();
}

}  // namespace

std::vector<nn::ScaleGroup> scalable_groups(const nn::Model& model,
                                            const std::vector<std::string>& exclude) {
  auto usable = [&](const std::string& name) {
    return std::find(exclude.begin(), exclude.end(), name) == exclude.end() &&
           dense_linear(model, name);
  };
  std::vector<nn::ScaleGroup> out;
  for (const auto& g : model.scale_groups()) {
    bool ok = g.source_is_norm || usable(g.source);
    for (const auto& c : g.consumers) ok = ok && usable(c);
    if (ok) out.push_back(g);
  }
  return out;
}

std::map<std::string, ChannelStats> scale_group_stats(nn::Model& model,
                                                      const torch::Tensor& calibration,
                                                      const std::vector<nn::ScaleGroup>& groups) {
  std::map<std::string, ChannelStats> stats;
  std::map<std::string, int64_t> rows;
  for (const auto& g : groups) stats[g.consumers.front()] = {};
  for_each_layer_input(model, calibration, [&](const std::string& name, const torch::Tensor& x) {
    auto it = stats.find(name);
    if (it == stats.end()) return;
    const auto a = layer_input_rows(*model.find_layer(name)->get(), x).abs().to(torch::kFloat32);
    ChannelStats& s = it->second;
    const auto mx = std::get<0>(a.max(0)), sum = a.sum(0);
    s.absmax = s.absmax.defined() ? torch::maximum(s.absmax, mx) : mx;
    s.absmean = s.absmean.defined() ? s.absmean + sum : sum;
    rows[name] += a.size(0);
  });
  for (auto& [name, s] : stats) {
    QZ_CHECK(rows[name] > 0, "[calibrate] layer '{}' saw no calibration inputs", name);
    s.absmean /= static_cast<double>(rows[name]);
  }
  return stats;
}

void apply_channel_scale(nn::Model& model, const nn::ScaleGroup& group, const torch::Tensor& s) {
  torch::NoGradGuard guard;
  const auto scale = s.to(torch::kFloat32);
  if (group.source_is_norm) {
    const auto modules = model.named_modules();
    QZ_ASSERT(modules.contains(group.source), "unknown norm '{}'", group.source);
    for (auto& p : modules[group.source]->parameters(false))
      if (p.dim() == 1 && p.size(0) == scale.size(0)) p.div_(scale);
  } else {
    const nn::LayerPtr src = model.find_layer(group.source)->get();
    src->dense_weight().div_(scale.unsqueeze(1));
    if (src->dense_bias().defined()) src->dense_bias().div_(scale);
  }
  for (const auto& c : group.consumers)
    model.find_layer(c)->get()->dense_weight().mul_(scale.unsqueeze(0));
}

}  // namespace qz::compress
