// Options every subcommand shares (--threads, --quiet) and the data options (--data ...).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "data/dataset.h"

namespace qz::cli {

struct CommonOptions {
  int threads = 0;  // 0: all cores
  bool quiet = false;
};

// Adds --threads and --quiet to `cmd`.
void add_common_options(CLI::App* cmd, CommonOptions& options);
// Applies thread count (LibTorch and OpenBLAS) and quietness; call first in every command.
void apply_common_options(const CommonOptions& options);

struct DataArgs {
  std::string spec;
  uint64_t seed = 1234;
  bool seed_given = false;  // --data-seed was on the command line
  int64_t seq_len = 64;
};

// Adds --data, --data-seed and --seq-len to `cmd`.
void add_data_options(CLI::App* cmd, DataArgs& args, const std::string& help);
data::DataOptions to_data_options(const DataArgs& args);

// Writes JSON to `path` atomically ("-" prints it to stdout).
void write_json_output(const std::string& path, const nlohmann::json& value);

}  // namespace qz::cli
