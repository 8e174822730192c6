// How a compression pass walks a model's layers, written once for every pass: the exclude
// list checked against the model (each name a layer), each selected layer checked to be
// dense FP32 (what quantizing, pruning and factoring start from), a progress bar, model order.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "nn/model.h"

namespace qz::compress {

struct LayerWalk {
  std::string pass;                  // names the pass in errors and on the progress bar
  std::vector<std::string> exclude;  // layers the pass leaves as they are
  std::string advice = "compress an FP32 model";  // what to do instead, for a non-dense layer
  bool show_progress = true;
};

// InputError naming the pass unless every excluded name is a layer of `model`.
void check_exclude(const nn::Model& model, const std::vector<std::string>& exclude,
                   const std::string& pass);

// InputError unless `slot` holds a dense FP32 layer: "[pass] layer 'fc1' is {scheme}: advice".
void require_dense(const nn::LayerSlot& slot, const std::string& pass, const std::string& advice);

// The layers not excluded, in model order (the exclude list checked first).
std::vector<const nn::LayerSlot*> selected_layers(const nn::Model& model, const LayerWalk& walk);

// Calls `fn` on each selected layer, each checked dense first, under one progress bar.
void walk_dense_layers(const nn::Model& model, const LayerWalk& walk,
                       const std::function<void(const nn::LayerSlot&)>& fn);

}  // namespace qz::compress
