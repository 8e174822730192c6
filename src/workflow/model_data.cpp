#include "workflow/model_data.h"

namespace qz::workflow {

DataChoice data_for_model(const nn::ModelFile& file, const std::string& spec,
                          data::DataOptions options, bool seed_given) {
  DataChoice choice{spec, options};
  const auto& prov = file.provenance;
  const bool recorded = prov.contains("data") && prov["data"].is_string();
  if (choice.spec.empty() && recorded) choice.spec = prov["data"];
  // The recorded seed and window length describe the recorded data only.
  if (!recorded || choice.spec != prov["data"].get<std::string>()) return choice;
  if (!seed_given && prov.contains("data_seed") && prov["data_seed"].is_number_unsigned())
    choice.options.seed = prov["data_seed"];
  if (prov.contains("seq_len") && prov["seq_len"].is_number_integer())
    choice.options.seq_len = prov["seq_len"];
  return choice;
}

}  // namespace qz::workflow
