// The quantize subcommands. Each file adds one subcommand to the app; the callbacks only parse
// arguments and call the library (DESIGN.md: the CLI has no logic of its own).
#pragma once

#include <CLI/CLI.hpp>

namespace qz::cli {

void add_train_command(CLI::App& app);
void add_compress_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_sensitivity_command(CLI::App& app);
void add_inspect_command(CLI::App& app);
void add_doctor_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_tune_command(CLI::App& app);
void add_generate_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_methods_command(CLI::App& app);
void add_tokenize_command(CLI::App& app);

}  // namespace qz::cli
