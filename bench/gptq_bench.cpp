// GPTQ on one linear layer, timed against round to nearest on the same grid and against HQQ
// (calibration-free, same bits and group): the Hessian from `--tokens` calibration rows, then
// the column walk, then each layer's output error on those rows. Defaults: the 4096×4096
// layer, 4096 tokens, W4 g128 asymmetric.
//   build/bench/qz_gptq_bench [--n 4096] [--k 4096] [--tokens 4096] [--bits 4] [--group 128]
//                             [--act-order] [--sym] [--threads T]
#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstring>
#include <string>

#include "compress/hqq.h"
#include "compress/second_order/gptq.h"
#include "compress/second_order/hessian.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  int64_t n = 4096, k = 4096, tokens = 4096;
  qz::compress::GptqOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> int64_t {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return std::stoll(argv[++i]);
    };
    if (a == "--n")
      n = next();
    else if (a == "--k")
      k = next();
    else if (a == "--tokens")
      tokens = next();
    else if (a == "--bits")
      o.bits = static_cast<int>(next());
    else if (a == "--group")
      o.group = next();
    else if (a == "--threads")
      torch::set_num_threads(static_cast<int>(next()));
    else if (a == "--act-order")
      o.act_order = true;
    else if (a == "--sym")
      o.symmetric = true;
    else {
      fmt::print(stderr, "qz_gptq_bench: unknown option '{}'\n", a);
      return 2;
    }
  }
  torch::NoGradGuard guard;
  torch::manual_seed(0);
  // Calibration rows with correlated channels and a few outliers; Gaussian weights.
  const auto mix = torch::randn({k, k}) / std::sqrt(static_cast<double>(k)) + torch::eye(k);
  auto x = torch::randn({tokens, k}).matmul(mix);
  x.narrow(1, 0, std::min<int64_t>(8, k)).mul_(10.0);
  const auto w = torch::randn({n, k}) * 0.02;
  fmt::print("layer {}x{}, {} tokens, W{} group {} {}{}, {} threads\n", n, k, tokens, o.bits,
             o.group, o.symmetric ? "sym" : "asym", o.act_order ? " act-order" : "",
             torch::get_num_threads());

  auto t0 = std::chrono::steady_clock::now();
  qz::compress::InputHessian h(k);
  for (int64_t lo = 0; lo < tokens; lo += 1024)
    h.add(x.narrow(0, lo, std::min<int64_t>(1024, tokens - lo)));
  const auto hessian = h.matrix();
  const double hessian_s = seconds_since(t0);

  t0 = std::chrono::steady_clock::now();
  const auto g = qz::compress::gptq_quantize(w, hessian, o);
  const double gptq_s = seconds_since(t0);

  t0 = std::chrono::steady_clock::now();
  const auto rtn = qz::compress::rtn_quantize(w, o);
  const double rtn_s = seconds_since(t0);
  auto rtn_w = torch::empty({n, k});
  qz::dequantize_groups(rtn, qz::compress::gptq_grid_kind(o),
                        {rtn_w.data_ptr<float>(), static_cast<size_t>(n * k)});

  // HQQ stores 2–4 bits only; at wider grids its row is skipped.
  const bool with_hqq = o.bits <= 4;
  double hqq_s = 0;
  auto hqq_w = torch::empty({n, k});
  if (with_hqq) {
    qz::compress::HqqOptions ho;
    ho.bits = o.bits;
    ho.group = o.group;
    t0 = std::chrono::steady_clock::now();
    const auto hqq =
        qz::compress::hqq_quantize({w.data_ptr<float>(), static_cast<size_t>(n * k)}, n, k, ho);
    hqq_s = seconds_since(t0);
    qz::dequantize_groups(hqq, qz::GridKind::Affine,
                          {hqq_w.data_ptr<float>(), static_cast<size_t>(n * k)});
  }

  const auto y = x.matmul(w.t());
  const double signal = y.pow(2).mean().item<double>();
  auto rel = [&](const torch::Tensor& q) {
    return (x.matmul(q.t()) - y).pow(2).mean().item<double>() / signal;
  };
  fmt::print("hessian   {:8.2f} s\n", hessian_s);
  fmt::print("gptq      {:8.2f} s   relative output error {:.4e}\n", gptq_s, rel(g.weight));
  fmt::print("rtn       {:8.2f} s   relative output error {:.4e}\n", rtn_s, rel(rtn_w));
  if (with_hqq)
    fmt::print("hqq       {:8.2f} s   relative output error {:.4e}\n", hqq_s, rel(hqq_w));
  fmt::print("gptq total (hessian + walk) {:.2f} s\n", hessian_s + gptq_s);
  return 0;
}
