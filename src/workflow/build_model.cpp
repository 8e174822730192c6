#include "workflow/build_model.h"

#include <fmt/format.h>

#include <cmath>

#include "core/error.h"
#include "io/model_config.h"
#include "nn/make_model.h"
#include "nn/model_file.h"

namespace qz::workflow {

std::string default_data_for(const std::string& arch) {
  return arch == "transformer" ? "addition" : "shapes";
}

nlohmann::json resolve_config(const std::string& arch, const nlohmann::json& overrides,
                              const std::string& source, const data::Dataset& data) {
  const bool lm = data.task == Task::LanguageModel;
  QZ_CHECK(lm == (arch == "transformer"), "[train] --arch {} does not fit data '{}' ({}); use {}",
           arch, data.spec, lm ? "a language-modelling task" : "a classification task",
           lm ? "--arch transformer" : "--arch mlp or --arch cnn");
  nlohmann::json config = io::default_config(arch, data.input_shape, data.num_classes,
                                             std::max<int64_t>(data.seq_len, 16));
  QZ_CHECK(overrides.is_object(), "[config] {}: expected a JSON object", source);
  for (const auto& [key, value] : overrides.items()) config[key] = value;
  config = io::validate_config(config, source);
  QZ_CHECK(config["arch"] == arch, "[config] {}: field 'arch' is '{}' but --arch is {}", source,
           config["arch"].get<std::string>(), arch);
  if (lm) {
    QZ_CHECK(config["vocab"].get<int64_t>() >= data.num_classes,
             "[config] {}: field 'vocab' {} is smaller than the data's {} symbols", source,
             config["vocab"].get<int64_t>(), data.num_classes);
    QZ_CHECK(config["max_seq"].get<int64_t>() >= data.seq_len,
             "[config] {}: field 'max_seq' {} is shorter than the data's {} tokens", source,
             config["max_seq"].get<int64_t>(), data.seq_len);
  } else {
    QZ_CHECK(config["input_shape"].get<std::vector<int64_t>>() == data.input_shape,
             "[config] {}: field 'input_shape' does not match the data's [{}]", source,
             fmt::join(data.input_shape, ","));
    QZ_CHECK(config["num_classes"].get<int64_t>() == data.num_classes,
             "[config] {}: field 'num_classes' {} does not match the data's {} classes", source,
             config["num_classes"].get<int64_t>(), data.num_classes);
  }
  return config;
}

nlohmann::json compact_numbers(nlohmann::json j) {
  if (j.is_number_float()) {
    const double x = j.get<double>();
    return std::isfinite(x) ? nlohmann::json(std::stod(fmt::format("{:.6g}", x)))
                            : nlohmann::json(nullptr);
  }
  if (j.is_structured())
    for (auto& v : j) v = compact_numbers(v);
  return j;
}

nlohmann::json stored_metrics(const eval::EvalResult& result) {
  nlohmann::json j = result.to_json();
  j.erase("seconds");
  return compact_numbers(j);
}

BuiltModel build_model(const BuildRequest& request, const data::Dataset& data) {
  const nlohmann::json config =
      resolve_config(request.arch, request.config_overrides, request.config_source, data);
  torch::manual_seed(request.train.seed);
  BuiltModel built;
  built.model = nn::make_model(config, request.config_source);
  built.training = train::train_model(*built.model, data, request.train);
  built.test = eval::evaluate(*built.model, data, "test");
  if (!request.out_path.empty()) {
    nlohmann::json provenance = request.provenance_extra;
    provenance["tool"] = "quantize";
    provenance["step"] = "train";
    provenance["data"] = data.spec;
    provenance["train"] = {{"epochs", request.train.epochs},
                           {"lr", request.train.lr},
                           {"batch", request.train.batch},
                           {"seed", request.train.seed},
                           {"weight_decay", request.train.weight_decay}};
    nn::save_model(*built.model, request.out_path, provenance,
                   {{"test", stored_metrics(built.test)}});
  }
  return built;
}

}  // namespace qz::workflow
