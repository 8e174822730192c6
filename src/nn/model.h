// The model interface every architecture implements, and the uniform compressible-layer view
// of DESIGN.md: an ordered list of LayerSlots plus the dimension groups that couple them.
#pragma once

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/task.h"
#include "nn/compressible_layer.h"

namespace qz::nn {

// A set of coupled channels (DepGraph): pruning a channel of the group removes the matching
// output of every producer, input of every consumer and channel of every passthrough module.
struct DimGroup {
  std::string name;
  std::vector<std::string> producers;    // layers whose output channels form the dimension
  std::vector<std::string> consumers;    // layers whose input channels are the dimension
  std::vector<std::string> passthrough;  // norms and embeddings carrying the same channels
  int64_t consumer_repeat = 1;           // a flatten: each channel feeds this many inputs in a row
  int64_t unit = 1;                      // channels go in blocks of this size (attention heads)
};

// Where a per-channel scale can move between layers without changing the model's function
// (SmoothQuant, AWQ): dividing the source's output channel j by s_j and multiplying every
// consumer's input column j by s_j. The source is a norm (its weight, and bias if any, are
// divided) or a layer (its output rows and bias); only elementwise, positively homogeneous or
// per-channel-linear operations may sit in between (ReLU; attention's mixing of v over time;
// SwiGLU's product with up).
struct ScaleGroup {
  std::string source;
  bool source_is_norm = true;
  std::vector<std::string> consumers;
};

class Model : public torch::nn::Module {
 public:
  explicit Model(nlohmann::json config) : config_(std::move(config)) {}

  // Logits: [batch, classes] for classifiers, [batch, time, vocab] for language models.
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
  virtual Task task() const = 0;
  // Coupled dimensions between layers (for structured pruning).
  virtual std::vector<DimGroup> dependency_groups() const = 0;
  // Rewrites the config's widths from the layers as they are now (after structured pruning
  // shrank them), so the config rebuilds this exact shape when the file loads.
  virtual void sync_config_to_layers() = 0;
  // Scale-migration pairs, in forward order (none by default: AWQ and SmoothQuant then only
  // quantize).
  virtual std::vector<ScaleGroup> scale_groups() const { return {}; }

  // The full config (defaults filled in) that rebuilds this architecture.
  const nlohmann::json& config() const { return config_; }
  std::string arch() const { return config_.at("arch").get<std::string>(); }

  // Every compressible layer in forward order.
  const std::vector<LayerSlot>& layers() const { return slots_; }
  // The slot named `name`, or nullptr.
  const LayerSlot* find_layer(const std::string& name) const;
  // Parameter count over all parameters (dense equivalent for compressed layers).
  int64_t parameter_count();

 protected:
  // Registers `layer` as child `local` of `parent` and records its slot under `full`.
  void add_layer(torch::nn::Module& parent, const std::string& local, const std::string& full,
                 LayerPtr& holder, LayerPtr layer);

  nlohmann::json config_;

 private:
  std::vector<LayerSlot> slots_;
};

using ModelPtr = std::shared_ptr<Model>;

}  // namespace qz::nn
