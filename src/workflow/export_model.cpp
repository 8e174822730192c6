#include "workflow/export_model.h"

#include <filesystem>

#include "core/error.h"
#include "eval/latency.h"
#include "export/torchscript.h"
#include "io/safetensors.h"
#include "nn/fold_batch_norm.h"
#include "nn/tensor_bytes.h"
#include "nn/transformer.h"
#include "workflow/generate.h"

namespace qz::workflow {

// A transformer's sample is in-distribution: after the first token, positions compare confident
// predictions, as a user's prompts give, rather than the near-ties of random tokens (where any
// rounding flips the top-1).
torch::Tensor sample_input(nn::Model& model, int64_t batch) {
  auto* transformer = dynamic_cast<nn::Transformer*>(&model);
  if (!transformer) return eval::synthetic_input(model, batch);
  const int64_t length = std::min<int64_t>(16, transformer->max_seq());
  const torch::Tensor first = eval::synthetic_input(model, batch / 2, 1);
  GenerateOptions greedy;
  greedy.max_tokens = length - 1;
  std::vector<torch::Tensor> rows;
  for (int64_t r = 0; r < first.size(0); ++r) {
    std::vector<int64_t> tokens = {first[r][0].item<int64_t>()};
    const GenerateResult continued = generate(*transformer, tokens, greedy);
    tokens.insert(tokens.end(), continued.tokens.begin(), continued.tokens.end());
    rows.push_back(torch::tensor(tokens, torch::kInt64));
  }
  return torch::stack(rows);
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
