#include "workflow/model_data.h"

namespace qz::workflow {

DataChoice data_for_model(const nn::ModelFile& file, const std::string& spec,
                          data::DataOptions options, bool seed_given) {
  DataChoice choice{spec, options};
  const auto& prov = file.provenance;
  if (choice.spec.empty() && prov.contains("data") && prov["data"].is_string())
    choice.spec = prov["data"];
  if (!seed_given && prov.contains("data_seed") && prov["data_seed"].is_number_unsigned())
    choice.options.seed = prov["data_seed"];
  if (prov.contains("seq_len") && prov["seq_len"].is_number_integer() && spec.empty())
    choice.options.seq_len = prov["seq_len"];
  return choice;
}

}  // namespace qz::workflow
