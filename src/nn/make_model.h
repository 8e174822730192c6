// Builds a model from its config (io/model_config.h validates it and fills the defaults).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "nn/model.h"

namespace qz::nn {

// A freshly initialised model of `config`; InputError naming `where` if the config is invalid.
ModelPtr make_model(const nlohmann::json& config, const std::string& where);

}  // namespace qz::nn
