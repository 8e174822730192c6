// Train a model end to end: data → config → seeded init → training → test evaluation → model
// file. Shared by `quantize train` and `quantize demo`.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "data/dataset.h"
#include "eval/evaluate.h"
#include "nn/model.h"
#include "train/trainer.h"

namespace qz::workflow {

struct BuildRequest {
  std::string arch;                                            // mlp | cnn | transformer
  nlohmann::json config_overrides = nlohmann::json::object();  // merged over the defaults
  std::string config_source = "--config";                      // names the overrides in errors
  train::TrainOptions train;
  std::string out_path;  // where the model file goes ("" = do not save)
  nlohmann::json provenance_extra = nlohmann::json::object();
};

struct BuiltModel {
  nn::ModelPtr model;
  train::TrainResult training;
  eval::EvalResult test;
};

// The default data for an architecture: shapes for mlp/cnn, addition for the transformer.
std::string default_data_for(const std::string& arch);

// The architecture config for `data`: defaults, overridden, validated, and checked against the
// data's input shape and class/vocabulary count.
nlohmann::json resolve_config(const std::string& arch, const nlohmann::json& overrides,
                              const std::string& source, const data::Dataset& data);

// Trains, evaluates on the test split and (when out_path is set) saves the model file with its
// provenance and test metrics.
BuiltModel build_model(const BuildRequest& request, const data::Dataset& data);

// Test metrics as stored in a model file: the evaluation JSON without wall-clock times, so the
// same command, seed and thread count write byte-identical files.
nlohmann::json stored_metrics(const eval::EvalResult& result);

// `j` with every floating-point number rounded to 6 significant digits (non-finite → null):
// metadata stays small and readable.
nlohmann::json compact_numbers(nlohmann::json j);

}  // namespace qz::workflow
