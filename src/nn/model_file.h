// Model files: one .safetensors per model. Tensors are the model's parameters and buffers under
// their module paths ("blocks.0.q.weight"; compressed layers use the compressed-tensors names
// such as "fc1.weight_packed" and "fc1.weight_scale"). __metadata__ holds JSON strings:
//   format = "quantize", format_version = "1",
//   config              the architecture config that rebuilds the model,
//   quantization_config {"layers": {name: scheme}} for every compressible layer,
//   provenance          how the file was made (command, data, seed, recipe),
//   metrics             what was measured on it.
// Loading rebuilds the architecture, swaps in each layer's stored scheme through the layer
// registry, then requires every tensor to be present with the expected dtype and shape.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "nn/model.h"

namespace qz::nn {

struct ModelFile {
  ModelPtr model;
  nlohmann::json provenance = nlohmann::json::object();
  nlohmann::json metrics = nlohmann::json::object();
  std::string path;
  uint64_t file_bytes = 0;
};

// Writes the model atomically to `path`.
void save_model(Model& model, const std::string& path, const nlohmann::json& provenance,
                const nlohmann::json& metrics);

// Reads and validates a model file, or a Hugging Face checkpoint folder (nn/hf_checkpoint.h);
// InputError naming the file and tensor on any mismatch.
ModelFile load_model(const std::string& path);

// Builds an empty compressed layer for a stored scheme, shaped like `dense` (its FP32 original).
using LayerFactory =
    std::function<LayerPtr(const nlohmann::json& scheme, const CompressibleLayer& dense)>;
// Registers the factory for scheme format `format` (called by compression modules at start-up).
void register_layer_format(const std::string& format, LayerFactory factory);

}  // namespace qz::nn
