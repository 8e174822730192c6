#include "workflow/compress_model.h"

#include <filesystem>

#include "core/error.h"
#include "nn/fold_batch_norm.h"
#include "nn/model_file.h"
#include "workflow/build_model.h"
#include "workflow/sensitivity.h"

namespace qz::workflow {

CompressResult compress_loaded(nn::ModelFile& file, const CompressRequest& request,
                               const data::Dataset* data) {
  CompressResult result;
  result.base_bytes = file.file_bytes;
  torch::Tensor calibration;
  if (data != nullptr) {
    result.data_spec = data->spec;
    QZ_CHECK(request.calib_samples >= 1, "[compress] --calib must be at least 1");
    calibration = data->train.head(request.calib_samples).inputs;
    if (calibration.size(0) < request.calib_samples)
      fmt::print(stderr, "warning: only {} calibration samples available (asked for {})\n",
                 calibration.size(0), request.calib_samples);
    result.base = eval::evaluate(*file.model, *data, "test");
  }
  // BatchNorm folds into the convs first, so the folded weights are what gets quantized.
  const nn::ModelPtr folded = nn::fold_batch_norms(*file.model);
  if (folded) file.model = folded;
  compress::QuantizePlan plan = request.plan;
  if (request.max_drop) {
    QZ_CHECK(data != nullptr,
             "[compress] --max-drop needs data to measure accuracy on: pass --data");
    const MixedPrecisionResult mixed =
        plan_mixed_precision(*file.model, plan, *data, calibration, *request.max_drop);
    result.kept_layers = mixed.kept;
    result.fallback_method = fallback_method(plan.method);
    result.val_drop_points = mixed.val_drop_points;
    result.within_budget = mixed.within_budget;
  }
  result.layers = compress::quantize_model(*file.model, plan, calibration);
  if (data != nullptr) {
    result.compressed = eval::evaluate(*file.model, *data, "test");
    result.evaluated = true;
  }

  nlohmann::json provenance = file.provenance;
  provenance["step"] = "compress";
  provenance["source"] = std::filesystem::path(request.in_path).filename().string();
  provenance["compress"] = plan.to_json();
  provenance["compress"]["calib_samples"] = request.calib_samples;
  if (folded) provenance["compress"]["folded_batch_norm"] = true;
  if (request.max_drop) {
    provenance["compress"]["max_drop"] = *request.max_drop;
    provenance["compress"]["kept_layers"] = result.kept_layers;
  }
  if (data != nullptr) {
    provenance["data"] = data->spec;
    provenance["data_seed"] = request.data.options.seed;
  }
  nlohmann::json metrics = nlohmann::json::object();
  metrics["layers"] = nlohmann::json::array();
  for (const auto& l : result.layers) metrics["layers"].push_back(compact_numbers(l.to_json()));
  if (result.evaluated) {
    metrics["test"] = stored_metrics(result.compressed);
    metrics["base_accuracy"] = compact_numbers(result.base.accuracy);
  }
  nn::save_model(*file.model, request.out_path, provenance, metrics);
  result.out_bytes = std::filesystem::file_size(request.out_path);
  return result;
}

}  // namespace qz::workflow
