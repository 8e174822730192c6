// quantize doctor [--json]: CPU features, BLAS and its kernel, our kernels' ISA level, threads,
// measured FP32 GEMM GFLOP/s, memory read GB/s and the core's int8 and FP32 arithmetic peaks.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "eval/system_probe.h"

namespace qz::cli {
namespace {

struct DoctorArgs {
  CommonOptions common;
  bool json = false;
};

void run_doctor(const DoctorArgs& a) {
  apply_common_options(a.common);
  const eval::SystemReport report = eval::probe_system(/*measure=*/true);
  const auto& j = report.json;
  if (a.json) {
    write_json_output("-", j);
    return;
  }
  fmt::print("cpu        {}\n", j["cpu"]["brand"].get<std::string>());
  fmt::print("features   {}\n",
             fmt::join(j["cpu"]["features"].get<std::vector<std::string>>(), " "));
  fmt::print("blas       {} core {} ({})\n", j["blas"]["library"].get<std::string>(),
             j["blas"]["core"].get<std::string>(),
             report.blas_full_speed ? "full speed" : "GENERIC KERNEL: FP32 runs ~10x slow");
  fmt::print("kernels    {} (supported: {})\n", j["kernels"]["isa"].get<std::string>(),
             fmt::join(j["kernels"]["supported"].get<std::vector<std::string>>(), " "));
  fmt::print("threads    {}\n", j["threads"]["torch_intra_op"].get<int>());
  fmt::print("fp32 gemm  {:.1f} GFLOP/s (1024x1024x1024, median)\n",
             j["measured"]["fp32_gemm_gflops_1024"].get<double>());
  fmt::print("memory     {:.1f} GB/s read, one thread (512 MiB, median)\n",
             j["measured"]["memory_read_gbs_1thread"].get<double>());
  fmt::print(
      "peak       {:.0f} GOP/s int8 ({}), {:.0f} GFLOP/s fp32 (FMA), one thread; 0: "
      "no such instruction\n",
      j["measured"]["int8_peak_gops_1thread"].get<double>(),
      j["kernels"]["isa"] == "avx512" ? "vpdpbusd" : "vpmaddubsw + vpmaddwd",
      j["measured"]["fp32_peak_gflops_1thread"].get<double>());
}

}  // namespace

void add_doctor_command(CLI::App& app) {
  auto args = std::make_shared<DoctorArgs>();
  CLI::App* cmd =
      app.add_subcommand("doctor", "Show what this machine gives quantize: CPU, BLAS, speed");
  cmd->add_flag("--json", args->json, "Print JSON");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_doctor(*args); });
}

}  // namespace qz::cli
