#include "nn/model.h"

namespace qz::nn {

const LayerSlot* Model::find_layer(const std::string& name) const {
  for (const auto& s : slots_)
    if (s.name() == name) return &s;
  return nullptr;
}

int64_t Model::parameter_count() {
  // Compressed layers hold buffers, not parameters: count every layer by its dense shape.
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  for (const auto& slot : slots_) {
    const LayerPtr& layer = slot.get();
    for (const auto& p : layer->parameters()) n -= p.numel();
    const int64_t k = layer->geometry().kernel;
    n += layer->out_features() * layer->in_features() *
         (layer->kind() == LayerKind::Conv2d ? k * k : 1);
    if (layer->dense_bias().defined()) n += layer->dense_bias().numel();
  }
  return n;
}

void Model::add_layer(torch::nn::Module& parent, const std::string& local, const std::string& full,
                      LayerPtr& holder, LayerPtr layer) {
  holder = parent.register_module(local, std::move(layer));
  slots_.emplace_back(&parent, local, full, &holder);
}

}  // namespace qz::nn
