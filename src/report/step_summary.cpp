#include "report/step_summary.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/text_table.h"
#include "report/eval_summary.h"

namespace qz::report {
namespace {

std::string sci(double x) {
  return fmt::format("{:.3g}", x);
}

std::string finetune_line(const compress::FinetuneSummary& f, const std::string& label) {
  if (f.epochs <= 0) return "";
  return fmt::format(
      "{}: fine-tuned {} epochs at lr {} (distilling from the input model): val "
      "{}\n",
      label, f.epochs, f.lr, percent(f.val_accuracy));
}

std::string summary(const compress::QuantizeStep& s) {
  return quantized_layers_table(s.layers, s.output_measured);
}

std::string summary(const compress::GptqStep& s) {
  TextTable table({"layer", "method", "output MSE gptq", "output MSE rtn", "gptq/rtn", "ms"});
  for (const auto& l : s.layers) {
    const double g = l.report.output_mse, r = l.rtn_output_mse;
    table.add_row({l.report.layer, l.report.method, sci(g), sci(r),
                   r > 0 ? fmt::format("{:.3f}", g / r) : "-",
                   fmt::format("{:.1f}", 1e3 * l.seconds)});
  }
  return table.to_text() + "\n";
}

std::string summary(const compress::HqqStep& s) {
  std::string out = quantized_layers_table(s.layers, false);
  if (!s.lp_gain.empty()) {
    double sum = 0;
    for (double g : s.lp_gain) sum += g;
    out += fmt::format(
        "hqq: Lp error {:.3f}x that of the unoptimised zero points (mean over {} layers)\n",
        sum / static_cast<double>(s.lp_gain.size()), s.lp_gain.size());
  }
  return out;
}

std::string summary(const compress::AwqStep& s) {
  std::vector<std::string> alphas;
  for (const auto& [source, alpha] : s.awq.alphas)
    alphas.push_back(fmt::format("{} {:.2f}", source, alpha));
  std::string out = quantized_layers_table(s.awq.layers, true);
  if (!alphas.empty())
    out += fmt::format("awq: scale exponent α per group: {}\n", fmt::join(alphas, ", "));
  return out;
}

std::string summary(const compress::SmoothQuantStep& s) {
  std::string out;
  for (const auto& r : s.smoothing)
    out += fmt::format("smoothquant: {} activation range {} -> {} (channel scales {} to {})\n",
                       r.source, sci(r.act_range_before), sci(r.act_range_after), sci(r.min_scale),
                       sci(r.max_scale));
  return out + quantized_layers_table(s.layers, true);
}

std::string summary(const compress::PruneStep& s) {
  std::string out;
  for (const auto& l : s.layers)
    out += fmt::format(
        "pruned: {} sparsity {:.3f} ({}){}\n", l.layer, l.sparsity, s.pattern,
        l.sparsegpt ? fmt::format(": output MSE {} (magnitude, no update: {}) in {:.2f}s",
                                  sci(l.sparsegpt->output_mse),
                                  sci(l.sparsegpt->magnitude_output_mse), l.sparsegpt->seconds)
                    : "");
  return out + finetune_line(s.finetune, "pruned");
}

std::string summary(const compress::StructuredPruneStep& s) {
  std::string out;
  for (const auto& g : s.groups)
    out += fmt::format("structured: {} {} -> {} units of {}\n", g.group, g.units_before,
                       g.units_after, g.unit);
  return out + finetune_line(s.finetune, "structured");
}

std::string summary(const compress::LowRankStep& s) {
  std::string out;
  for (const auto& l : s.layers)
    out += fmt::format("lowrank: {} [{}x{}] rank {} {} (relative error {:.4f})\n", l.layer, l.out,
                       l.in, l.rank, l.factored ? "factored" : "left dense", l.relative_error);
  return out + finetune_line(s.finetune, "lowrank");
}

std::string summary(const compress::DistillStep& s) {
  std::string out = fmt::format(
      "distill: student {} parameters (teacher {}{}): test {:.2f}% with the teacher{}\n",
      s.student_parameters, s.teacher_parameters,
      s.transfer_samples > 0 ? fmt::format(", {} transfer samples", s.transfer_samples) : "",
      100 * s.distilled.accuracy,
      s.alone ? fmt::format(", {:.2f}% trained alone", 100 * s.alone->accuracy) : "");
  if (s.distilled.perplexity)
    out += fmt::format(
        "distill: student test perplexity {:.4f} with the teacher{}\n", *s.distilled.perplexity,
        s.alone && s.alone->perplexity ? fmt::format(", {:.4f} trained alone", *s.alone->perplexity)
                                       : "");
  return out;
}

std::string summary(const compress::QatStep& s) {
  return finetune_line(s.finetune, "qat " + s.converted_to.method) +
         fmt::format("qat: converted to {}\n", s.converted_to.method);
}

std::string summary(const compress::FuseStep& s) {
  if (s.folded.empty()) return "fuse: nothing to fold\n";
  return fmt::format("fuse: folded {}\n", fmt::join(s.folded, ", "));
}

std::string summary(const compress::FinetuneStep& s) {
  return finetune_line(s.finetune, "finetune");
}

}  // namespace

std::string quantized_layers_table(const std::vector<compress::LayerReport>& layers,
                                   bool output_measured) {
  TextTable table({"layer", "method", "fp32 bytes", "bytes", "SQNR dB", "max |err|", "mean |err|",
                   "output MSE"});
  for (const auto& l : layers)
    table.add_row({l.layer, l.method, std::to_string(l.dense_bytes), std::to_string(l.weight_bytes),
                   fmt::format("{:.1f}", l.sqnr_db), sci(l.max_abs_error), sci(l.mean_abs_error),
                   output_measured ? sci(l.output_mse) : "-"});
  return table.to_text() + "\n";
}

std::string step_summary(const compress::StepReport& step) {
  std::string out;
  if (step.fused_first && !step.fused_first->folded.empty())
    out += fmt::format("fused first: {}\n", fmt::join(step.fused_first->folded, ", "));
  return out + std::visit([](const auto& body) { return summary(body); }, step.body);
}

}  // namespace qz::report
