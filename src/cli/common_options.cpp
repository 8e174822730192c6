#include "cli/common_options.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <thread>

#include "core/blas_runtime.h"
#include "core/progress.h"
#include "core/thread_pool.h"
#include "io/atomic_file.h"

namespace qz::cli {

void add_common_options(CLI::App* cmd, CommonOptions& options) {
  cmd->add_option("--threads", options.threads, "Threads for compute (default: all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_flag("--quiet,-q", options.quiet, "No progress output");
}

void apply_common_options(const CommonOptions& options) {
  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  torch::set_num_threads(std::max(threads, 1));
  set_blas_threads(std::max(threads, 1));
  set_compute_threads(std::max(threads, 1));
  set_progress_quiet(options.quiet);
}

void add_data_options(CLI::App* cmd, DataArgs& args, const std::string& help) {
  cmd->add_option("--data", args.spec, help);
  cmd->add_option("--data-seed", args.seed, "Seed of data generation and the train/val/test split")
      ->each([&args](const std::string&) { args.seed_given = true; })
      ->capture_default_str();
  cmd->add_option("--seq-len", args.seq_len, "Tokens per window for text:PATH data")
      ->check(CLI::Range(2, 4096))
      ->capture_default_str();
}

data::DataOptions to_data_options(const DataArgs& args) {
  data::DataOptions o;
  o.seed = args.seed;
  o.seq_len = args.seq_len;
  return o;
}

void write_json_output(const std::string& path, const nlohmann::json& value) {
  // Strings from user files (a GGUF vocabulary) need not be UTF-8: replaced, never a throw.
  const std::string text =
      value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (path == "-") {
    fmt::print("{}", text);
    return;
  }
  io::write_file_atomically(path, text);
}

}  // namespace qz::cli
