// quantize bench MODEL [--batch 1,32] [--seq-len T] [--seconds S] [--json FILE]
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/text_table.h"
#include "eval/latency.h"
#include "io/atomic_file.h"
#include "nn/model_file.h"

namespace qz::cli {
namespace {

struct BenchArgs {
  CommonOptions common;
  std::string model, json;
  std::vector<int64_t> batches = {1, 32};
  int64_t seq_len = 16;
  double seconds = 1.0;
};

void run_bench(const BenchArgs& a) {
  apply_common_options(a.common);
  if (!a.json.empty() && a.json != "-") io::check_output_path(a.json);
  nn::ModelFile file = nn::load_model(a.model);
  const bool lm = file.model->task() == nn::Task::LanguageModel;
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
  if (!a.json.empty()) write_json_output(a.json, j);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Measure a model file's end-to-end latency (median, p90) and throughput");
  cmd->add_option("model", args->model, "Model file")->required();
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
  cmd->add_option("--json", args->json, "Also write the results as JSON to FILE ('-' for stdout)");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_bench(*args); });
}

}  // namespace qz::cli
