// The unit every compression pass works on: a linear or 2-D convolution layer behind one
// abstract module. Dense FP32 layers and every compressed form derive from it, so a pass can
// swap one for another through a LayerSlot without knowing the model around it.
#pragma once

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "io/dtype.h"
#include "kernels/epilogue.h"

namespace qz::nn {

enum class LayerKind { Linear, Conv2d };

// Geometry of a conv layer (square kernels, symmetric padding, groups = 1).
struct ConvGeometry {
  int64_t kernel = 3;
  int64_t stride = 1;
  int64_t padding = 1;
};

class CompressibleLayer : public torch::nn::Module {
 public:
  // y = x·Wᵀ + b for Linear ([.., in] → [.., out]); conv2d for Conv2d ([N,C,H,W]).
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
  virtual LayerKind kind() const = 0;
  virtual int64_t in_features() const = 0;   // input channels for conv
  virtual int64_t out_features() const = 0;  // output channels for conv
  virtual ConvGeometry geometry() const { return {}; }
  // The weight as dense FP32: [out, in] or [out, in, k, k] (dequantized when compressed).
  virtual torch::Tensor dense_weight() const = 0;
  // The FP32 bias [out], or an undefined tensor.
  virtual torch::Tensor dense_bias() const = 0;
  // Whether this is a dense FP32 layer: what quantizing, pruning and factoring start from.
  virtual bool is_dense() const { return false; }
  // Storage scheme, recorded per layer in the model file ({"format": "fp32"} for dense).
  virtual nlohmann::json scheme() const = 0;
  // Bytes of weight storage (packed weights, scales, zero points; bias excluded).
  virtual int64_t weight_bytes() const = 0;
  // Tensors stored under another file dtype than their LibTorch dtype (FP8 codes live in
  // uint8 tensors but are F8_E4M3 / F8_E5M2 on disk): (local name, file dtype).
  virtual std::vector<std::pair<std::string, io::Dtype>> file_dtypes() const { return {}; }
  // Called once a model file's tensors are in place: checks what shapes alone cannot (InputError
  // naming `where`, the file and layer) and derives run-time data.
  virtual void after_load(const std::string& where) {}

  // The activation that follows this layer in its model (ReLU after an MLP's hidden layers,
  // SiLU on a transformer's gate), applied by the layer itself: our kernels apply it with the
  // bias in their epilogue, so no separate pass over the output remains. The model sets it
  // when it builds the layer; LayerSlot::replace hands it on to a replacement.
  kernels::Activation fused_activation() const { return activation_; }
  void set_fused_activation(kernels::Activation a) { activation_ = a; }

 protected:
  // Applies the fused activation to a layer output computed by LibTorch (in place when no
  // gradient is being recorded).
  torch::Tensor activate(torch::Tensor y) const;
  // The epilogue our kernels apply: `bias` (may be undefined) and the fused activation.
  kernels::Epilogue epilogue(const torch::Tensor& bias) const;

 private:
  kernels::Activation activation_ = kernels::Activation::None;
};

using LayerPtr = std::shared_ptr<CompressibleLayer>;

// A named, replaceable child of some module: the handle passes hold.
class LayerSlot {
 public:
  LayerSlot(torch::nn::Module* parent, std::string local_name, std::string full_name,
            LayerPtr* holder)
      : parent_(parent),
        local_(std::move(local_name)),
        full_(std::move(full_name)),
        holder_(holder) {}

  const std::string& name() const { return full_; }
  const LayerPtr& get() const { return *holder_; }
  // Replaces the layer in its parent (registered submodule and member pointer alike); the
  // replacement takes over the fused activation.
  void replace(LayerPtr layer) const {
    layer->set_fused_activation((*holder_)->fused_activation());
    parent_->replace_module(local_, layer);
    *holder_ = std::move(layer);
  }

 private:
  torch::nn::Module* parent_;
  std::string local_;
  std::string full_;
  LayerPtr* holder_;
};

}  // namespace qz::nn
