#include "workflow/export_model.h"

#include <filesystem>

#include "core/error.h"
#include "export/torchscript.h"
#include "io/safetensors.h"
#include "nn/fold_batch_norm.h"
#include "nn/tensor_bytes.h"
#include "nn/transformer.h"

namespace qz::workflow {

torch::Tensor sample_input(const nn::Model& model, int64_t batch) {
  torch::manual_seed(7);
  if (const auto* t = dynamic_cast<const nn::Transformer*>(&model)) {
    const int64_t vocab = model.config().at("vocab");
    return torch::randint(0, vocab, {batch / 2, std::min<int64_t>(16, t->max_seq())},
                          torch::kInt64);
  }
  std::vector<int64_t> shape = {batch};
  for (const auto& d : model.config().at("input_shape")) shape.push_back(d.get<int64_t>());
  return torch::rand(shape);
}

ExportResult export_torchscript(nn::Model& model, const ExportRequest& request) {
  torch::NoGradGuard guard;
  model.eval();
  ExportResult result;
  const exporting::TorchScriptModule plain = exporting::to_torchscript(model);
  result.graph_ops_unfused = exporting::graph_op_count(plain.module);
  exporting::TorchScriptModule exported = plain;
  nn::Model* source = &model;
  nn::ModelPtr folded;
  if (request.fuse) {
    folded = nn::fold_batch_norms(model);
    result.folded_batch_norm = folded != nullptr;
    if (folded) {
      source = folded.get();
      exported = exporting::to_torchscript(*folded);
    }
    exported.module = exporting::freeze_for_inference(exported.module);
  }
  result.layers = exported.layers;
  result.warnings = exported.warnings;
  result.graph_ops = exporting::graph_op_count(exported.module);

  // The export must compute what our runtime computes: checked here, before anything is written.
  const torch::Tensor input = sample_input(*source);
  const torch::Tensor ours = model.forward(input);
  const torch::Tensor theirs = exported.module.forward({input}).toTensor();
  QZ_ASSERT(theirs.sizes() == ours.sizes(), "[export] the exported module returns shape {}",
            fmt::format("{}", fmt::join(theirs.sizes(), ", ")));
  result.max_abs_diff = (theirs - ours).abs().max().item<double>();
  result.max_abs_output = ours.abs().max().item<double>();

  exporting::save_torchscript(exported.module, request.out);
  result.bytes = static_cast<int64_t>(std::filesystem::file_size(request.out));
  if (!request.sample.empty())
    io::write_safetensors(request.sample,
                          {nn::to_tensor_data("input", input), nn::to_tensor_data("output", ours)},
                          {{"model_output", "quantize runtime"}});
  return result;
}

}  // namespace qz::workflow
