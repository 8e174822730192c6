// Model configs: validation and defaults. A config is JSON, e.g.
//   {"arch": "mlp", "input_shape": [1,16,16], "num_classes": 12, "hidden": [256, 128]}
// and is stored whole in every model file, so the file rebuilds its own architecture
// (nn::make_model). Torch-free, so the config reader is fuzzed and sanitized with the others.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace qz::io {

// The architectures quantize builds.
const std::vector<std::string>& known_archs();

// Default config of `arch` for inputs of `input_shape` (ignored by the transformer) and
// `outputs` classes or vocabulary entries; `max_seq` bounds transformer context.
nlohmann::json default_config(const std::string& arch, const std::vector<int64_t>& input_shape,
                              int64_t outputs, int64_t max_seq);

// Validates `config` (InputError naming `where` and the field) and fills defaults.
nlohmann::json validate_config(const nlohmann::json& config, const std::string& where);

// Product of input_shape.
int64_t flat_input_size(const nlohmann::json& config);

}  // namespace qz::io
