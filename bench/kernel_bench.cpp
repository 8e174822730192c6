// Each ISA level's kernels side by side, in one run: every (activation, weight layout) pair of
// kernels/kernel_config.h at every level this CPU supports, ref included, on raw buffers (no
// LibTorch, no layer): the FP32-activation matmul for every format row that has a reference
// quantizer, the u8×s8 GEMM (activation quantization included, VNNI-packed weights where the
// level packs them), the W4A8 GEMM (symmetric and asymmetric, group 128) and the bitmask-sparse
// matmul at half density. A new format row or ISA level shows up here without an edit.
//
// Case names follow the kernel grammar: kernel/<activations>_<weights>_f32_<op>__<isa>/N:/K:/M:.
// N×K = 4096×4096 (--n, --k), M = 1 and 32, one compute thread by default (the kernels, not the
// thread pool; --threads=T sets another).
// Usage (bench/README.md): build/bench/qz_kernel_bench --benchmark_repetitions=3
//   --benchmark_out=kernels.json --benchmark_out_format=json, then python3 bench/ratios.py
//   kernels.json prints the levels side by side.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/thread_pool.h"
#include "kernels/format_table.h"
#include "kernels/gemm_q4_u8/gemm_q4_u8.h"
#include "kernels/gemm_u8s8/gemm_u8s8.h"
#include "kernels/isa.h"
#include "kernels/matmul/matmul.h"
#include "kernels/sparse/sparse_matmul.h"

namespace {

using namespace qz::kernels;

struct Shape {
  int64_t n, k, m;
};
constexpr int64_t kBatches[] = {1, 32};
constexpr int64_t kGroup = 128;

std::vector<float> random_floats(int64_t count, double sd, uint64_t seed) {
  qz::Rng rng(seed);
  std::vector<float> v(static_cast<size_t>(count));
  for (auto& x : v) x = static_cast<float>(sd * rng.normal());
  return v;
}

std::string level_name(Isa isa, bool integer) {
  // The integer kernels are named after the instruction they are built on (DESIGN.md).
  if (integer && isa == Isa::Avx512) return "avx512vnni";
  return isa_name(isa);
}

std::string case_name(const std::string& kernel, Isa isa, bool integer, const Shape& s) {
  return fmt::format("kernel/{}__{}/N:{}/K:{}/M:{}", kernel, level_name(isa, integer), s.n, s.k,
                     s.m);
}

void set_counters(benchmark::State& state, const Shape& s, int64_t weight_bytes) {
  state.counters["FLOPS"] =
      benchmark::Counter(2.0 * s.m * s.n * s.k, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["weight_Bps"] = benchmark::Counter(static_cast<double>(weight_bytes),
                                                    benchmark::Counter::kIsIterationInvariantRate);
}

// A stored matrix of `row`'s format, from its reference quantizer.
struct Stored {
  StoredWeights bytes;
  PackedWeightView view;
};

Stored stored(const FormatRow& row, const Shape& s) {
  const std::vector<float> w = random_floats(s.n * s.k, 0.02, 7);
  const int64_t fixed = layout(row.format).fixed_group;
  const int64_t group = is_grouped_format(row.format) ? (fixed > 0 ? fixed : kGroup) : s.k;
  QuantizeSettings settings;
  settings.group = group;
  Stored out{row.quantize(w, s.n, s.k, settings), {}};
  out.view = {row.format,
              s.n,
              s.k,
              group,
              out.bytes.codes.data(),
              out.bytes.scales.empty() ? nullptr : out.bytes.scales.data(),
              out.bytes.zeros.empty() ? nullptr : out.bytes.zeros.data()};
  return out;
}

void bench_matmul(benchmark::State& state, const FormatRow* row, Isa isa, Shape s) {
  const Stored w = stored(*row, s);
  const std::vector<float> x = random_floats(s.m * s.k, 1.0, 11);
  std::vector<float> y(static_cast<size_t>(s.m * s.n));
  for (auto _ : state) {
    matmul_f32_on(isa, x.data(), s.m, w.view, {}, y.data());
    benchmark::DoNotOptimize(y.data());
  }
  set_counters(state, s, stored_bytes(row->format, s.n, s.k, w.view.group));
}

// Times an integer kernel as a layer runs it: x quantized to uint8 per row on every call, then
// gemm(isa, activations, y).
template <class Gemm>
void time_integer_gemm(benchmark::State& state, Isa isa, Shape s, Gemm gemm) {
  const std::vector<float> x = random_floats(s.m * s.k, 1.0, 11);
  std::vector<uint8_t> xq(static_cast<size_t>(s.m * s.k));
  std::vector<float> scale(static_cast<size_t>(s.m));
  std::vector<int32_t> zero(scale.size());
  const U8Activations activations{xq.data(), scale.data(), zero.data(), true, s.m};
  std::vector<float> y(static_cast<size_t>(s.m * s.n));
  for (auto _ : state) {
    quantize_rows_u8_on(isa, x.data(), s.m, s.k, xq.data(), scale.data(), zero.data());
    gemm(activations, y.data());
    benchmark::DoNotOptimize(y.data());
  }
}

void bench_u8s8(benchmark::State& state, Isa isa, Shape s) {
  qz::Rng rng(5);
  std::vector<int8_t> wq(static_cast<size_t>(s.n * s.k));
  for (auto& v : wq) v = static_cast<int8_t>(rng.range(-127, 127));
  const std::vector<float> sw(static_cast<size_t>(s.n), 0.01f);
  std::vector<int32_t> sums(static_cast<size_t>(s.n));
  weight_row_sums_ref(wq.data(), s.n, s.k, sums.data());
  const VnniPackedWeights packed =
      wants_packed_s8(isa) ? VnniPackedWeights(wq.data(), s.n, s.k) : VnniPackedWeights();
  const S8Weights w{wq.data(), sw.data(), sums.data(),
                    s.n,       s.k,       wants_packed_s8(isa) ? &packed : nullptr};
  time_integer_gemm(state, isa, s,
                    [&](const U8Activations& x, float* y) { gemm_u8s8_f32_on(isa, x, w, {}, y); });
  set_counters(state, s, s.n * s.k + 2 * s.n);
}

void bench_q4u8(benchmark::State& state, WeightFormat format, Isa isa, Shape s) {
  const Stored stored_w = stored(format_row(format), s);
  Q4Weights w{stored_w.bytes.codes.data(),
              reinterpret_cast<const uint16_t*>(stored_w.bytes.scales.data()),
              stored_w.bytes.zeros.empty() ? nullptr : stored_w.bytes.zeros.data(),
              nullptr,
              s.n,
              s.k,
              kGroup};
  std::vector<float> offsets(static_cast<size_t>(s.n));
  q4_row_offsets(w, offsets.data());
  w.row_offsets = offsets.data();
  time_integer_gemm(state, isa, s,
                    [&](const U8Activations& x, float* y) { gemm_q4u8_f32_on(isa, x, w, {}, y); });
  set_counters(state, s, stored_bytes(format, s.n, s.k, kGroup));
}

void bench_sparse(benchmark::State& state, Isa isa, Shape s) {
  qz::Rng rng(3);
  const int64_t row_bytes = (s.k + 7) / 8;
  std::vector<uint8_t> mask(static_cast<size_t>(s.n * row_bytes));
  for (auto& b : mask) b = static_cast<uint8_t>(rng.next() & 0xFF);  // half the bits, at random
  const std::vector<int64_t> offsets = sparse_row_offsets(mask.data(), s.n, s.k);
  const std::vector<float> values = random_floats(offsets.back() + 1, 0.02, 9);
  const SparseWeightView w{s.n, s.k, mask.data(), values.data(), offsets.data()};
  const std::vector<float> x = random_floats(s.m * s.k, 1.0, 11);
  std::vector<float> y(static_cast<size_t>(s.m * s.n));
  for (auto _ : state) {
    sparse_matmul_f32_on(isa, x.data(), s.m, w, {}, y.data());
    benchmark::DoNotOptimize(y.data());
  }
  set_counters(state, s, offsets.back() * 4 + static_cast<int64_t>(mask.size()));
}

void register_all(int64_t n, int64_t k) {
  auto add = [](const std::string& name, auto fn) {
    benchmark::RegisterBenchmark(name.c_str(), fn)->UseRealTime()->Unit(benchmark::kMillisecond);
  };
  for (int64_t m : kBatches)
    for (Isa isa : supported_isas()) {
      const Shape s{n, k, m};
      for (const FormatRow* row : all_format_rows()) {
        if (row->quantize == nullptr) continue;  // codes only an algorithm makes (HQQ)
        std::string weights = row->name;
        std::erase(weights, '-');
        if (is_grouped_format(row->format) && layout(row->format).fixed_group == 0)
          weights += fmt::format("g{}", kGroup);
        add(case_name("f32_" + weights + "_f32_matmul", isa, false, s),
            [=](benchmark::State& st) { bench_matmul(st, row, isa, s); });
      }
      add(case_name("u8_s8_f32_gemm", isa, true, s),
          [=](benchmark::State& st) { bench_u8s8(st, isa, s); });
      for (WeightFormat f : {WeightFormat::Q4Sym, WeightFormat::Q4Asym}) {
        std::string weights = weight_format_name(f);
        std::erase(weights, '-');
        add(case_name(fmt::format("u8_{}g{}_f32_gemm", weights, kGroup), isa, true, s),
            [=](benchmark::State& st) { bench_q4u8(st, f, isa, s); });
      }
      add(case_name("f32_bitmask50_f32_matmul", isa, false, s),
          [=](benchmark::State& st) { bench_sparse(st, isa, s); });
    }
}

// Our flags (--threads=T, --n=N, --k=K), taken out of argv before Google Benchmark reads it;
// a value that is not a positive integer is refused.
struct Flags {
  int64_t threads = 1, n = 4096, k = 4096;
};

bool take_flags(int& argc, char** argv, Flags& flags) {
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    int64_t* target = arg.starts_with("--threads=") ? &flags.threads
                      : arg.starts_with("--n=")     ? &flags.n
                      : arg.starts_with("--k=")     ? &flags.k
                                                    : nullptr;
    if (target == nullptr) {
      argv[out++] = argv[i];
      continue;
    }
    const std::string value = arg.substr(arg.find('=') + 1);
    char* end = nullptr;
    const long long v = std::strtoll(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || v <= 0 || v > (1 << 20)) {
      fmt::print(stderr, "qz_kernel_bench: {}: expected a positive integer up to 1048576\n", arg);
      return false;
    }
    *target = v;
  }
  argc = out;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!take_flags(argc, argv, flags)) return 2;
  qz::set_compute_threads(static_cast<int>(flags.threads));
  register_all(flags.n, flags.k);
  benchmark::AddCustomContext("isa", isa_name(active_isa()));
  benchmark::AddCustomContext("compute_threads", std::to_string(flags.threads));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
