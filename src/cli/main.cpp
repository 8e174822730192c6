// quantize: compress trained neural networks and measure what each compression costs and buys.
// Exit codes: 0 success, 2 bad input (one line on stderr), 1 internal failure, 130 interrupted.
#include <c10/util/Exception.h>
#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

#include "cli/commands.h"
#include "core/blas_runtime.h"
#include "core/error.h"
#include "io/atomic_file.h"

namespace {

// The first non-empty line (TorchScript's compiler reports start with a newline).
std::string first_line(const std::string& text) {
  const size_t start = std::min(text.find_first_not_of('\n'), text.size());
  const size_t nl = text.find('\n', start);
  return text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
}

// SIGINT/SIGTERM: remove half-written outputs, say so, exit 130. Async-signal-safe calls only.
void on_interrupt(int) {
  qz::io::remove_pending_temporaries();
  constexpr char kMessage[] = "\nquantize: interrupted; no partial output was kept\n";
  [[maybe_unused]] auto n = write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
  _exit(qz::kExitInterrupted);
}

}  // namespace

int main(int argc, char** argv) {
  qz::ensure_runtime_environment(argv);
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);

  CLI::App app{
      "quantize: compress trained neural networks (quantization, pruning, low-rank,\n"
      "distillation) and measure what each compression costs and buys."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "quantize 0.1.0");
  qz::cli::add_demo_command(app);
  qz::cli::add_report_command(app);
  qz::cli::add_train_command(app);
  qz::cli::add_compress_command(app);
  qz::cli::add_eval_command(app);
  qz::cli::add_sensitivity_command(app);
  qz::cli::add_compare_command(app);
  qz::cli::add_export_command(app);
  qz::cli::add_tune_command(app);
  qz::cli::add_generate_command(app);
  qz::cli::add_bench_command(app);
  qz::cli::add_inspect_command(app);
  qz::cli::add_tokenize_command(app);
  qz::cli::add_doctor_command(app);
  qz::cli::add_methods_command(app);

  // CLI11 reports an unknown subcommand as "a subcommand is required"; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    std::string known;
    bool found = false;
    for (const CLI::App* sub : app.get_subcommands({})) {
      known += (known.empty() ? "" : ", ") + sub->get_name();
      found = found || sub->get_name() == argv[1];
    }
    if (!found) {
      fmt::print(stderr, "quantize: unknown command '{}' (expected one of {})\n", argv[1], known);
      return 2;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    fmt::print(stderr, "quantize: {} (see --help)\n", first_line(e.what()));
    return 2;
  } catch (const qz::InputError& e) {
    fmt::print(stderr, "quantize: {}\n", first_line(e.what()));
    return 2;
  } catch (const qz::Error& e) {
    fmt::print(stderr, "quantize: {}\n", first_line(e.what()));
    return 1;
  } catch (const c10::Error& e) {
    fmt::print(stderr, "quantize: internal error in LibTorch: {}\n",
               first_line(e.what_without_backtrace()));
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "quantize: internal error: {}\n", first_line(e.what()));
    return 1;
  }
  return 0;
}
