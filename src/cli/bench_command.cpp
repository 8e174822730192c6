// quantize bench MODEL [--batch 1,32] [--seq-len T] [--seconds S]
//                     [--context 64,256,1024 | --no-decode] [--decode-tokens N] [--json FILE]
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/text_table.h"
#include "eval/latency.h"
#include "io/atomic_file.h"
#include "nn/model_file.h"
#include "nn/quantized_layer.h"
#include "workflow/generate.h"
#include "workflow/measure_fusion.h"

namespace qz::cli {
namespace {

struct BenchArgs {
  CommonOptions common;
  std::string model, json;
  std::vector<int64_t> batches = {1, 32};
  int64_t seq_len = 16;
  double seconds = 1.0;
  std::vector<int64_t> contexts = {64, 256, 1024};
  bool no_decode = false;
  int64_t decode_steps = 16;
};

// Transformers: prefill and per-token decode at each context, with and without the KV cache.
nlohmann::json bench_decoding(nn::Model& model, const BenchArgs& a, bool print) {
  auto& t = workflow::as_transformer(model, "[bench] " + a.model, "decode timing");
  TextTable table({"context", "KV cache", "prefill ms", "decode ms/token", "tokens/s",
                   "cache bytes", "speedup"});
  nlohmann::json out = nlohmann::json::array();
  const auto timings = workflow::time_decoding(t, a.contexts, a.decode_steps, 3);
  for (size_t i = 0; i < timings.size(); ++i) {
    const auto& d = timings[i];
    // Rows come in triples (F32 cache, int8 cache, no cache) per context.
    const std::string cache = !d.kv_cache                              ? "no"
                              : d.kv_format == nn::KvCacheFormat::Int8 ? "int8"
                                                                       : "f32";
    const double speedup = d.kv_cache ? timings[i / 3 * 3 + 2].per_token_ms / d.per_token_ms : 1.0;
    table.add_row({std::to_string(d.context), cache, fmt::format("{:.2f}", d.prefill_ms),
                   fmt::format("{:.3f}", d.per_token_ms),
                   fmt::format("{:.0f}", d.tokens_per_second),
                   d.kv_cache ? std::to_string(d.cache_bytes) : "-",
                   d.kv_cache ? fmt::format("{:.1f}x", speedup) : "-"});
    out.push_back({{"context", d.context},
                   {"kv_cache", d.kv_cache},
                   {"kv_format", d.kv_cache ? cache : "none"},
                   {"prefill_ms", d.prefill_ms},
                   {"decode_ms_per_token", d.per_token_ms},
                   {"tokens_per_second", d.tokens_per_second},
                   {"cache_bytes", d.cache_bytes}});
  }
  if (print)
    fmt::print(
        "decoding ({} tokens after a prompt of context − {}; contexts past the trained "
        "length are for timing only)\n{}",
        a.decode_steps, a.decode_steps, table.to_text());
  return out;
}

// Conv+BN folding, measured (workflow/measure_fusion.h).
nlohmann::json bench_fusion(nn::Model& model, const BenchArgs& a, bool print) {
  auto fusion = workflow::measure_fusion(model, a.batches, 2 * a.seconds, a.seq_len);
  if (!fusion)
    return {{"applies", false},
            {"reason", "no BatchNorm to fold (bias and activation are fused in every layer)"}};
  fusion->model = a.model;
  if (print)
    fmt::print("\nfusion (BatchNorm folded into the convs, ReLU in their epilogue)\n{}",
               tradeoff::fusion_table({*fusion}).to_text());
  return tradeoff::fusion_to_json(*fusion);
}

void run_bench(const BenchArgs& a) {
  apply_common_options(a.common);
  if (!a.json.empty() && a.json != "-") io::check_output_path(a.json);
  nn::ModelFile file = nn::load_model(a.model);
  const bool lm = file.model->task() == Task::LanguageModel;
  TextTable table({"batch", "median ms", "p90 ms", lm ? "tokens/s" : "samples/s", "runs"});
  nlohmann::json j = {{"model", a.model},
                      {"file_bytes", file.file_bytes},
                      {"threads", torch::get_num_threads()},
                      {"latency_ms", nlohmann::json::object()},
                      {"throughput", nlohmann::json::object()}};
  if (lm) j["seq_len"] = a.seq_len;
  for (int64_t b : a.batches) {
    const auto s = eval::measure_latency(
        *file.model, eval::synthetic_input(*file.model, b, a.seq_len), 3, 10, a.seconds);
    table.add_row({std::to_string(b), fmt::format("{:.3f}", s.median_ms),
                   fmt::format("{:.3f}", s.p90_ms), fmt::format("{:.0f}", s.items_per_second),
                   std::to_string(s.runs)});
    j["latency_ms"][std::to_string(b)] = {
        {"median", s.median_ms}, {"p90", s.p90_ms}, {"runs", s.runs}};
    j["throughput"][std::to_string(b)] = s.items_per_second;
  }
  if (a.json != "-")
    fmt::print("{} ({} bytes, {} threads{})\n{}", a.model, file.file_bytes,
               torch::get_num_threads(),
               lm ? fmt::format(", {} tokens per sequence", a.seq_len) : "", table.to_text());
  j["kernels"] = nlohmann::json::object();
  const auto kernels = nn::quantized_layer_kernels(*file.model);
  for (const auto& k : kernels) j["kernels"][k.layer] = k.kernel;
  if (a.json != "-" && !kernels.empty()) {
    TextTable kt({"layer", "kernel", "note"});
    for (const auto& k : kernels)
      kt.add_row({k.layer, k.kernel, k.reference_reason.empty() ? "" : "scalar reference"});
    fmt::print("\n{}", kt.to_text());
  }
  if (lm && !a.no_decode) j["decoding"] = bench_decoding(*file.model, a, a.json != "-");
  j["fusion"] = bench_fusion(*file.model, a, a.json != "-");
  if (!a.json.empty()) write_json_output(a.json, j);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Measure a model file's end-to-end latency (median, p90) and throughput");
  cmd->add_option("model", args->model, "Model file or Hugging Face checkpoint folder")->required();
  cmd->add_option("--batch", args->batches, "Batch sizes, comma-separated")
      ->delimiter(',')
      ->check(CLI::Range(1, 1 << 16))
      ->capture_default_str();
  cmd->add_option("--seq-len", args->seq_len, "Tokens per sequence (language models)")
      ->check(CLI::Range(1, 1 << 16))
      ->capture_default_str();
  cmd->add_option("--seconds", args->seconds, "Minimum timed seconds per batch size")
      ->check(CLI::Range(0.01, 600.0))
      ->capture_default_str();
  cmd->add_option("--context", args->contexts,
                  "Transformers: decode contexts to time, comma-separated")
      ->delimiter(',')
      ->check(CLI::Range(2, 1 << 16))
      ->capture_default_str();
  cmd->add_flag("--no-decode", args->no_decode,
                "Transformers: time the batched forward only, not decoding (which takes longest)");
  cmd->add_option("--decode-tokens", args->decode_steps, "Transformers: tokens decoded per run")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--json", args->json, "Also write the results as JSON to FILE ('-' for stdout)");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_bench(*args); });
}

}  // namespace qz::cli
