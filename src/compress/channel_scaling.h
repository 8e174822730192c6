// Moving per-channel scales between layers (nn::ScaleGroup), the common step of SmoothQuant
// and AWQ: statistics of each group's input channels over the calibration data, and the
// function-preserving rescale (source / s, consumers' input columns · s).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "nn/model.h"

namespace qz::compress {

struct ChannelStats {
  torch::Tensor absmax;   // [K] max |x_j| over every calibration row
  torch::Tensor absmean;  // [K] mean |x_j|
};

// The groups whose source and consumers are all dense FP32 linear layers (or norms) and not
// excluded: the ones a rescale can touch.
std::vector<nn::ScaleGroup> scalable_groups(const nn::Model& model,
                                            const std::vector<std::string>& exclude);

// Input-channel statistics of each group (keyed by its first consumer), one pass over
// `calibration`.
std::map<std::string, ChannelStats> scale_group_stats(nn::Model& model,
                                                      const torch::Tensor& calibration,
                                                      const std::vector<nn::ScaleGroup>& groups);

// Divides the source's output channels by s [K] and multiplies the consumers' input columns by
// s, in place; the model computes the same function.
void apply_channel_scale(nn::Model& model, const nn::ScaleGroup& group, const torch::Tensor& s);

}  // namespace qz::compress
