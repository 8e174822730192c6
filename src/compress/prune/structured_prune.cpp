#include "compress/prune/structured_prune.h"

#include <algorithm>
#include <cmath>

#include "compress/layer_walk.h"
#include "core/error.h"
#include "nn/dense_layers.h"

namespace qz::compress {
namespace {

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

const nn::CompressibleLayer& dense_layer(nn::Model& model, const std::string& name) {
  const nn::LayerSlot* slot = model.find_layer(name);
  QZ_ASSERT(slot != nullptr, "[prune] dependency group names unknown layer '{}'", name);
  require_dense(*slot, "prune-structured", "prune before other compression");
  return *slot->get();
}

// Input column indices of channel set `keep` for a consumer reading each channel `repeat` times.
torch::Tensor consumer_columns(const torch::Tensor& keep, int64_t repeat) {
  if (repeat == 1) return keep;
  return (keep.unsqueeze(1) * repeat + torch::arange(repeat, torch::kInt64).unsqueeze(0)).flatten();
}

// Per-channel importance of a group: mean over its layers of each channel's Ln norm.
torch::Tensor channel_importance(nn::Model& model, const nn::DimGroup& g, int norm) {
  torch::NoGradGuard guard;
  std::vector<torch::Tensor> parts;
  for (const auto& name : g.producers) {
    const auto w = dense_layer(model, name).dense_weight();
    parts.push_back(w.reshape({w.size(0), -1}).norm(norm, {1}));
  }
  for (const auto& name : g.consumers) {
    const auto w = dense_layer(model, name).dense_weight();
    // [out, channels·repeat(, k, k)] → per channel: the norm over everything it feeds.
    const auto cols = w.transpose(0, 1).reshape({w.size(1) / g.consumer_repeat, -1});
    parts.push_back(cols.norm(norm, {1}));
  }
  return torch::stack(parts).mean(0);
}

nn::LayerPtr rebuilt(const nn::CompressibleLayer& layer, torch::Tensor w, torch::Tensor b) {
  if (layer.kind() == nn::LayerKind::Conv2d)
    return std::make_shared<nn::DenseConv2d>(w.contiguous(), b, layer.geometry());
  return std::make_shared<nn::DenseLinear>(w.contiguous(), b);
}

// Keeps `keep` (sorted channel indices) in every member of the group.
void shrink_group(nn::Model& model, const nn::DimGroup& g, const torch::Tensor& keep) {
  torch::NoGradGuard guard;
  const int64_t width = dense_layer(model, g.producers.front()).out_features();
  for (const auto& name : g.producers) {
    const auto& layer = dense_layer(model, name);
    const auto b = layer.dense_bias();
    model.find_layer(name)->replace(
        rebuilt(layer, layer.dense_weight().index_select(0, keep),
                b.defined() ? b.index_select(0, keep).clone() : torch::Tensor()));
  }
  const auto cols = consumer_columns(keep, g.consumer_repeat);
  for (const auto& name : g.consumers) {
    const auto& layer = dense_layer(model, name);
    const auto b = layer.dense_bias();
    model.find_layer(name)->replace(rebuilt(layer, layer.dense_weight().index_select(1, cols),
                                            b.defined() ? b.clone() : torch::Tensor()));
  }
  // Norms carry one entry per channel in each 1-D parameter and buffer (weight, bias, running
  // statistics); set_ resizes them in place, so the module's own members see the change.
  for (const auto& name : g.passthrough) {
    const auto modules = model.named_modules();
    QZ_ASSERT(modules.contains(name), "[prune] dependency group names unknown module '{}'", name);
    const auto& module = modules[name];
    auto tensors = module->parameters(false);
    for (const auto& buffer : module->buffers(false)) tensors.push_back(buffer);
    for (auto tensor : tensors)
      if (tensor.dim() == 1 && tensor.size(0) == width)
        tensor.set_(tensor.index_select(0, keep).clone());
    // A BatchNorm's options keep their width too (folding checks it against the conv).
    if (auto* bn = module->as<torch::nn::BatchNorm2dImpl>()) bn->options.num_features(keep.size(0));
    if (auto* bn = module->as<torch::nn::BatchNorm1dImpl>()) bn->options.num_features(keep.size(0));
  }
}

}  // namespace

std::vector<GroupPruning> prune_structured(nn::Model& model, const StructuredOptions& options) {
  QZ_CHECK(options.ratio >= 0 && options.ratio < 1, "[prune] ratio {} must be in [0, 1)",
           options.ratio);
  QZ_CHECK(options.norm == 1 || options.norm == 2, "[prune] norm must be 1 or 2, got {}",
           options.norm);
  std::vector<nn::DimGroup> groups;
  for (const auto& g : model.dependency_groups()) {
    if (g.name == "residual") continue;
    bool skip = false;
    for (const auto& list : {g.producers, g.consumers})
      for (const auto& name : list) skip = skip || listed(options.exclude, name);
    if (!skip) groups.push_back(g);
  }
  // Unit importance (a head is its channels' sum), normalised by the group mean for a global
  // ranking so groups of different scales compare.
  std::vector<torch::Tensor> importance;
  for (const auto& g : groups) {
    auto unit = channel_importance(model, g, options.norm).view({-1, g.unit}).sum(1);
    if (options.global) unit = unit / unit.mean().clamp_min(1e-12);
    importance.push_back(unit);
  }
  std::vector<int64_t> keep_count(groups.size());
  if (options.global && !groups.empty()) {
    const auto all = torch::cat(importance);
    const int64_t prune = std::llround(options.ratio * static_cast<double>(all.numel()));
    const double threshold =
        prune > 0 ? std::get<0>(all.sort()).index({prune - 1}).item<double>() : -1.0;
    for (size_t i = 0; i < groups.size(); ++i)
      keep_count[i] = std::max<int64_t>(1, (importance[i] > threshold).sum().item<int64_t>());
  } else {
    for (size_t i = 0; i < groups.size(); ++i) {
      const int64_t units = importance[i].numel();
      keep_count[i] =
          std::max<int64_t>(1, units - std::llround(options.ratio * static_cast<double>(units)));
    }
  }
  std::vector<GroupPruning> report;
  for (size_t i = 0; i < groups.size(); ++i) {
    const auto& g = groups[i];
    const int64_t units = importance[i].numel();
    const auto best = std::get<0>(std::get<1>(importance[i].topk(keep_count[i])).sort());
    const auto channels =
        (best.unsqueeze(1) * g.unit + torch::arange(g.unit, torch::kInt64).unsqueeze(0)).flatten();
    if (keep_count[i] < units) shrink_group(model, g, channels);
    report.push_back({g.name, units, keep_count[i], g.unit});
  }
  model.sync_config_to_layers();
  return report;
}

}  // namespace qz::compress
