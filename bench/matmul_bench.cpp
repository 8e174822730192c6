// One run, one machine, one thread count at a time: y = x·Wᵀ + b through
//   ours:<method>     quantize's compressed linear layer (kernels/ at the active ISA)
//   torch:fp32        LibTorch torch::linear, OpenBLAS at its proper kernel
//   blas:fp32         OpenBLAS called directly: cblas_sgemv for M = 1, cblas_sgemm otherwise
//                     (torch::linear runs sgemm even for one row); the faster of the two FP32
//                     paths is the baseline in bench/ratios.py
//   torch:int8-onednn / torch:int8-qnnpack   LibTorch quantized::linear_dynamic (per-channel)
// for the shapes and batch sizes of the kernels issue. Every case is a whole layer call on
// torch tensors, so each side pays the same framework overhead.
//
// Counters (per second, raw units): FLOPS = 2·M·N·K, weight_Bps = stored weight bytes. M = 1
// cases come twice: cache:hot calls one weight copy (it may sit in the 32 MiB L3), cache:cold
// rotates over copies totalling ≥ 192 MiB so every call streams its weights from memory.
// The context records the BLAS core, the ISA and the measured memory read bandwidth.
//
// Usage (bench/README.md): build/bench/qz_matmul_bench --benchmark_repetitions=3
//   --benchmark_out=bench.json --benchmark_out_format=json, then python3 bench/ratios.py bench.json
#include <ATen/native/quantized/PackedParams.h>
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <dlfcn.h>

#include <map>
#include <thread>

#include "core/blas_runtime.h"
#include "core/memory_bandwidth.h"
#include "core/thread_pool.h"
#include "io/quantize_methods.h"
#include "kernels/isa.h"
#include "kernels/peak/peak.h"
#include "nn/dense_layers.h"
#include "nn/quantized_layer.h"

namespace {

using qz::nn::CompressibleLayer;

struct Shape {
  int64_t n, k;
};
const Shape kShapes[] = {{4096, 4096}, {11008, 4096}, {4096, 11008}, {3072, 768}};
const int64_t kBatches[] = {1, 8, 32, 128};

// Our methods as (label, quantize method, group, symmetric): every row of
// io/quantize_methods.h at its default group, both grids where it has a choice ("int4-g128" is
// the symmetric one, as bench/ratios.py expects).
struct OurMethod {
  std::string label;
  std::string method;
  int64_t group;
  bool symmetric;
};

std::vector<OurMethod> our_methods() {
  std::vector<OurMethod> out;
  for (const qz::io::QuantizeMethod& m : qz::io::quantize_method_rows()) {
    const int64_t g = m.group_for(0);
    const std::string suffix = g > 0 ? fmt::format("-g{}", g) : "";
    out.push_back({m.name + suffix, m.name, g, true});
    if (m.has_grid_choice()) out.push_back({m.name + "-asym" + suffix, m.name, g, false});
  }
  return out;
}

constexpr int64_t kColdBytes = int64_t{192} << 20;

using Forward = std::function<torch::Tensor(const torch::Tensor&)>;

struct Weights {
  torch::Tensor w, b;
};

Weights& weights(Shape s) {
  static std::map<std::pair<int64_t, int64_t>, Weights> cache;
  auto [it, added] = cache.try_emplace({s.n, s.k});
  if (added) {
    torch::manual_seed(7);
    it->second = {torch::randn({s.n, s.k}) * 0.02, torch::randn({s.n}) * 0.02};
  }
  return it->second;
}

void set_threads(int t) {
  qz::set_compute_threads(t);
  qz::set_blas_threads(t);
  torch::set_num_threads(t);
}

int64_t copies_for(int64_t bytes, bool cold) {
  return cold ? std::max<int64_t>(1, (kColdBytes + bytes - 1) / bytes) : 1;
}

using Layers = std::vector<std::shared_ptr<qz::nn::QuantizedLayer>>;

// Our layer(s) for a method, several copies when cold; kept while the shape stays the same (the
// cases run shape by shape), so repetitions do not quantize again.
const Layers& our_layers(Shape s, const OurMethod& m, bool cold) {
  static std::pair<int64_t, int64_t> cached_shape{0, 0};
  static std::map<std::pair<std::string, bool>, Layers> cache;
  if (cached_shape != std::make_pair(s.n, s.k)) {
    cache.clear();
    cached_shape = {s.n, s.k};
  }
  Layers& layers = cache[{m.label, cold}];
  if (!layers.empty()) return layers;
  const Weights& wb = weights(s);
  const qz::nn::DenseLinear dense(wb.w, wb.b);
  const auto options = qz::nn::options_for_method(m.method, m.group, m.symmetric);
  layers.push_back(qz::nn::QuantizedLayer::quantize(dense, options));
  const int64_t copies = copies_for(layers[0]->weight_bytes(), cold);
  while (static_cast<int64_t>(layers.size()) < copies)
    layers.push_back(qz::nn::QuantizedLayer::quantize(dense, options));
  return layers;
}

// Runs `forward` over the rotating copies and sets the counters.
void measure(benchmark::State& state, int64_t m, Shape s, int64_t weight_bytes,
             const std::vector<Forward>& copies) {
  torch::manual_seed(11);
  const torch::Tensor x = torch::randn({m, s.k});
  // Every copy runs once untimed: a layer's first forward does its one-time work (int8 row
  // sums, the VNNI-packed copy of the codes), which is load cost, not per-call cost.
  for (const Forward& f : copies) benchmark::DoNotOptimize(f(x).data_ptr());
  size_t next = 0;
  for (auto _ : state) {
    torch::Tensor y = copies[next](x);
    benchmark::DoNotOptimize(y.data_ptr());
    next = (next + 1) % copies.size();
  }
  state.counters["FLOPS"] =
      benchmark::Counter(2.0 * m * s.n * s.k, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["weight_Bps"] = benchmark::Counter(static_cast<double>(weight_bytes),
                                                    benchmark::Counter::kIsIterationInvariantRate);
  state.counters["weight_bytes"] = static_cast<double>(weight_bytes);
}

void bench_ours(benchmark::State& state, Shape s, int64_t m, int threads, OurMethod method,
                bool cold) {
  set_threads(threads);
  const Layers& layers = our_layers(s, method, cold);
  std::vector<Forward> copies;
  for (const auto& l : layers)
    copies.push_back([l](const torch::Tensor& x) { return l->forward(x); });
  measure(state, m, s, layers[0]->weight_bytes(), copies);
}

void bench_torch_fp32(benchmark::State& state, Shape s, int64_t m, int threads, bool cold) {
  set_threads(threads);
  const Weights& wb = weights(s);
  const int64_t bytes = wb.w.numel() * 4;
  std::vector<Forward> copies;
  for (int64_t c = 0; c < copies_for(bytes, cold); ++c) {
    const torch::Tensor w = c == 0 ? wb.w : wb.w.clone();
    copies.push_back(
        [w, b = wb.b](const torch::Tensor& x) { return torch::nn::functional::linear(x, w, b); });
  }
  measure(state, m, s, bytes, copies);
}

// cblas from the OpenBLAS that LibTorch loaded.
enum { kRowMajor = 101, kNoTrans = 111, kTrans = 112 };
using Sgemv = void (*)(int, int, int, int, float, const float*, int, const float*, int, float,
                       float*, int);
using Sgemm = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int,
                       float, float*, int);

void bench_blas_fp32(benchmark::State& state, Shape s, int64_t m, int threads, bool cold) {
  set_threads(threads);
  static const auto sgemv = reinterpret_cast<Sgemv>(dlsym(RTLD_DEFAULT, "cblas_sgemv"));
  static const auto sgemm = reinterpret_cast<Sgemm>(dlsym(RTLD_DEFAULT, "cblas_sgemm"));
  if (sgemv == nullptr || sgemm == nullptr) {
    state.SkipWithError("cblas_sgemv/cblas_sgemm not found in the loaded BLAS");
    return;
  }
  const Weights& wb = weights(s);
  const int64_t bytes = wb.w.numel() * 4;
  std::vector<Forward> copies;
  for (int64_t c = 0; c < copies_for(bytes, cold); ++c) {
    const torch::Tensor w = c == 0 ? wb.w : wb.w.clone();
    copies.push_back([w, b = wb.b, s](const torch::Tensor& x) {
      const int m_rows = static_cast<int>(x.size(0));
      torch::Tensor y = b.expand({m_rows, s.n}).clone();
      const int n = static_cast<int>(s.n), k = static_cast<int>(s.k);
      if (m_rows == 1)
        sgemv(kRowMajor, kNoTrans, n, k, 1.0f, w.data_ptr<float>(), k, x.data_ptr<float>(), 1, 1.0f,
              y.data_ptr<float>(), 1);
      else
        sgemm(kRowMajor, kNoTrans, kTrans, m_rows, n, k, 1.0f, x.data_ptr<float>(), k,
              w.data_ptr<float>(), k, 1.0f, y.data_ptr<float>(), n);
      return y;
    });
  }
  measure(state, m, s, bytes, copies);
}

using PackedLinear = c10::intrusive_ptr<LinearPackedParamsBase>;

void bench_torch_dynamic(benchmark::State& state, Shape s, int64_t m, int threads,
                         at::QEngine engine, bool cold) {
  set_threads(threads);
  at::globalContext().setQEngine(engine);
  const Weights& wb = weights(s);
  static auto prepack = c10::Dispatcher::singleton()
                            .findSchemaOrThrow("quantized::linear_prepack", "")
                            .typed<PackedLinear(at::Tensor, c10::optional<at::Tensor>)>();
  static auto linear_dynamic = c10::Dispatcher::singleton()
                                   .findSchemaOrThrow("quantized::linear_dynamic", "")
                                   .typed<at::Tensor(at::Tensor, const PackedLinear&, bool)>();
  const torch::Tensor scales = (wb.w.abs().amax(1) / 127.0).clamp_min(1e-8).to(torch::kDouble);
  const torch::Tensor qw = torch::quantize_per_channel(
      wb.w, scales, torch::zeros({s.n}, torch::kLong), 0, torch::kQInt8);
  const int64_t bytes = s.n * s.k;
  std::vector<Forward> copies;
  for (int64_t c = 0; c < copies_for(bytes, cold); ++c) {
    PackedLinear packed = prepack.call(c == 0 ? qw : qw.clone(), wb.b);
    copies.push_back(
        [packed](const torch::Tensor& x) { return linear_dynamic.call(x, packed, false); });
  }
  measure(state, m, s, bytes, copies);
}

std::string case_name(const std::string& provider, Shape s, int64_t m, int threads, bool cold) {
  return fmt::format("matmul/{}/N:{}/K:{}/M:{}/threads:{}/cache:{}", provider, s.n, s.k, m, threads,
                     cold ? "cold" : "hot");
}

void register_all() {
  const int all = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<int> thread_counts = {1};
  if (all > 1) thread_counts.push_back(all);
  const auto engines = at::globalContext().supportedQEngines();
  for (int t : thread_counts)
    for (Shape s : kShapes)
      for (int64_t m : kBatches)
        for (bool cold : {false, true}) {
          if (cold && m != 1) continue;
          auto add = [&](const std::string& provider, auto fn) {
            benchmark::RegisterBenchmark(case_name(provider, s, m, t, cold).c_str(), fn)
                ->UseRealTime()
                ->Unit(benchmark::kMillisecond);
          };
          add("torch:fp32", [=](benchmark::State& st) { bench_torch_fp32(st, s, m, t, cold); });
          add("blas:fp32", [=](benchmark::State& st) { bench_blas_fp32(st, s, m, t, cold); });
          for (at::QEngine e : engines) {
            if (e != at::QEngine::ONEDNN && e != at::QEngine::QNNPACK) continue;
            const std::string label =
                e == at::QEngine::ONEDNN ? "torch:int8-onednn" : "torch:int8-qnnpack";
            add(label, [=](benchmark::State& st) { bench_torch_dynamic(st, s, m, t, e, cold); });
          }
          for (const OurMethod& method : our_methods())
            add(std::string("ours:") + method.label,
                [=](benchmark::State& st) { bench_ours(st, s, m, t, method, cold); });
        }
}

}  // namespace

int main(int argc, char** argv) {
  qz::ensure_runtime_environment(argv);
  register_all();
  benchmark::AddCustomContext("blas_core", qz::blas_core_name());
  benchmark::AddCustomContext("isa", qz::kernels::isa_name(qz::kernels::active_isa()));
  benchmark::AddCustomContext("memory_read_gbs",
                              fmt::format("{:.1f}", qz::measure_read_bandwidth_gbs()));
  const qz::kernels::ComputePeak peak = qz::kernels::measure_compute_peak();
  benchmark::AddCustomContext("int8_peak_gops", fmt::format("{:.0f}", peak.int8_gops));
  benchmark::AddCustomContext("fp32_peak_gflops", fmt::format("{:.0f}", peak.fp32_gflops));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
