#include "compress/prune/prune_masks.h"

#include <cmath>

#include "compress/layer_inputs.h"
#include "compress/layer_walk.h"
#include "core/error.h"
#include "core/nm_pattern.h"
#include "nn/matmul_layer_forward.h"

namespace qz::compress {
namespace {

bool excluded(const std::vector<std::string>& exclude, const std::string& name) {
  return std::find(exclude.begin(), exclude.end(), name) != exclude.end();
}

torch::Tensor flat_weight(const nn::CompressibleLayer& layer) {
  return layer.dense_weight().detach().reshape({layer.out_features(), -1});
}

int64_t pruned_count(double sparsity, int64_t n) {
  return std::clamp<int64_t>(std::llround(sparsity * static_cast<double>(n)), 0, n);
}

// Keeps all but the `prune` lowest scores of a flat tensor (ties broken by position).
torch::Tensor keep_all_but_lowest(const torch::Tensor& flat, int64_t prune) {
  auto keep = torch::ones(flat.sizes(), torch::kBool);
  if (prune > 0) {
    const auto order = std::get<1>(flat.sort(/*stable=*/true, /*dim=*/0, /*descending=*/false));
    keep.index_fill_(0, order.narrow(0, 0, prune), false);
  }
  return keep;
}

// The n best of every m consecutive columns of each row (the last window may be short).
torch::Tensor nm_mask(const torch::Tensor& scores, int64_t n, int64_t m) {
  const int64_t rows = scores.size(0), k = scores.size(1), windows = (k + m - 1) / m;
  auto padded = torch::full({rows, windows * m}, -std::numeric_limits<float>::infinity());
  padded.narrow(1, 0, k).copy_(scores);
  const auto top = std::get<1>(padded.view({rows, windows, m}).topk(n, -1));
  auto keep = torch::zeros({rows, windows, m}, torch::kBool);
  keep.scatter_(-1, top, true);
  return keep.view({rows, windows * m}).narrow(1, 0, k).contiguous();
}

}  // namespace

LayerScores magnitude_scores(nn::Model& model, const std::vector<std::string>& exclude) {
  LayerScores scores;
  for (const auto& slot : model.layers())
    if (!excluded(exclude, slot.name())) scores[slot.name()] = flat_weight(*slot.get()).abs();
  return scores;
}

LayerScores wanda_scores(nn::Model& model, const torch::Tensor& calibration,
                         const std::vector<std::string>& exclude) {
  QZ_CHECK(calibration.defined() && calibration.size(0) > 0,
           "[prune] wanda needs calibration data: pass --data or use a model that records it");
  std::map<std::string, torch::Tensor> squares;  // Σ x_j² per input column
  for_each_layer_input(model, calibration, [&](const std::string& name, const torch::Tensor& x) {
    const nn::LayerSlot* slot = model.find_layer(name);
    const torch::Tensor cols = slot->get()->kind() == nn::LayerKind::Conv2d
                                   ? nn::im2col_rows(*slot->get(), x)
                                   : x.reshape({-1, x.size(-1)});
    const auto sq = cols.to(torch::kFloat64).pow(2).sum(0);
    auto [it, inserted] = squares.emplace(name, sq);
    if (!inserted) it->second += sq;
  });
  LayerScores scores;
  for (const auto& slot : model.layers()) {
    if (excluded(exclude, slot.name())) continue;
    const auto norms = squares.at(slot.name()).sqrt().to(torch::kFloat32);
    scores[slot.name()] = flat_weight(*slot.get()).abs() * norms.unsqueeze(0);
  }
  return scores;
}

LayerMasks select_masks(const LayerScores& scores, const MaskOptions& options) {
  LayerMasks masks;
  if (options.pattern != "unstructured") {
    const auto [n, m] = parse_nm_pattern(options.pattern, "[prune]");
    for (const auto& [name, s] : scores) masks[name] = nm_mask(s, n, m);
    return masks;
  }
  QZ_CHECK(options.sparsity >= 0 && options.sparsity < 1, "[prune] sparsity {} must be in [0, 1)",
           options.sparsity);
  if (options.scope == MaskScope::Global) {
    std::vector<torch::Tensor> flat;
    for (const auto& [name, s] : scores) flat.push_back(s.flatten());
    const auto all = torch::cat(flat);
    const auto keep = keep_all_but_lowest(all, pruned_count(options.sparsity, all.numel()));
    int64_t at = 0;
    for (const auto& [name, s] : scores) {
      masks[name] = keep.narrow(0, at, s.numel()).view(s.sizes()).clone();
      at += s.numel();
    }
    return masks;
  }
  for (const auto& [name, s] : scores) {
    if (options.scope == MaskScope::PerLayer) {
      masks[name] = keep_all_but_lowest(s.flatten(), pruned_count(options.sparsity, s.numel()))
                        .view(s.sizes());
      continue;
    }
    auto keep = torch::ones(s.sizes(), torch::kBool);
    const int64_t prune = pruned_count(options.sparsity, s.size(1));
    if (prune > 0) {
      const auto order = std::get<1>(s.sort(/*stable=*/true, /*dim=*/1, /*descending=*/false));
      keep.scatter_(1, order.narrow(1, 0, prune), false);
    }
    masks[name] = keep;
  }
  return masks;
}

void apply_masks(nn::Model& model, const LayerMasks& masks) {
  torch::NoGradGuard guard;
  for (const auto& [name, keep] : masks) {
    const nn::LayerSlot* slot = model.find_layer(name);
    QZ_ASSERT(slot != nullptr, "[prune] no layer '{}'", name);
    const auto w = slot->get()->dense_weight();
    require_dense(*slot, "prune", "prune before quantizing");
    w.mul_(keep.view(w.sizes()).to(w.scalar_type()));
  }
}

}  // namespace qz::compress
