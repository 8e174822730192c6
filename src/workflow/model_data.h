// Which data a model file is evaluated or calibrated on: the --data given, or else the data
// (and split seed) its provenance records.
#pragma once

#include <optional>
#include <string>

#include "data/dataset.h"
#include "nn/model_file.h"

namespace qz::workflow {

struct DataChoice {
  std::string spec;  // "" when neither --data nor the provenance names data
  data::DataOptions options;
};

// `spec` and `options` are the command line's. Without a spec, the recorded data is used; when
// the data is the recorded one, its recorded split seed (unless `seed_given`) and window length
// apply too.
DataChoice data_for_model(const nn::ModelFile& file, const std::string& spec,
                          data::DataOptions options, bool seed_given);

}  // namespace qz::workflow
