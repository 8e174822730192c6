#include "nn/make_model.h"

#include "io/model_config.h"
#include "nn/cnn.h"
#include "nn/mlp.h"
#include "nn/transformer.h"

namespace qz::nn {

ModelPtr make_model(const nlohmann::json& config, const std::string& where) {
  const nlohmann::json valid = io::validate_config(config, where);
  const std::string arch = valid["arch"];
  if (arch == "mlp") return std::make_shared<Mlp>(valid);
  if (arch == "cnn") return std::make_shared<Cnn>(valid);
  return std::make_shared<Transformer>(valid);
}

}  // namespace qz::nn
