#include "eval/latency.h"

#include <algorithm>
#include <chrono>

namespace qz::eval {

torch::Tensor synthetic_input(const nn::Model& model, int64_t batch, int64_t seq_len) {
  torch::manual_seed(42);
  if (model.task() == nn::Task::LanguageModel) {
    const int64_t vocab = model.config().at("vocab").get<int64_t>();
    const int64_t t = std::min(seq_len, model.config().at("max_seq").get<int64_t>());
    return torch::randint(0, vocab, {batch, t}, torch::kInt64);
  }
  std::vector<int64_t> shape = {batch};
  for (const auto& d : model.config().at("input_shape")) shape.push_back(d.get<int64_t>());
  return torch::rand(shape);
}

LatencyStats measure_latency(nn::Model& model, const torch::Tensor& input, int warmup, int min_runs,
                             double min_seconds) {
  torch::NoGradGuard guard;
  model.eval();
  for (int i = 0; i < warmup; ++i) model.forward(input);
  std::vector<double> times;
  const auto start = std::chrono::steady_clock::now();
  while (static_cast<int>(times.size()) < min_runs ||
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() <
             min_seconds) {
    const auto t0 = std::chrono::steady_clock::now();
    model.forward(input);
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (times.size() >= 10000) break;
  }
  std::sort(times.begin(), times.end());
  LatencyStats s;
  s.batch = input.size(0);
  s.runs = static_cast<int64_t>(times.size());
  s.median_ms = times[times.size() / 2];
  s.p90_ms = times[std::min(times.size() - 1, times.size() * 9 / 10)];
  const int64_t items = model.task() == nn::Task::LanguageModel ? input.numel() : input.size(0);
  s.items_per_second = static_cast<double>(items) / (s.median_ms / 1000.0);
  return s;
}

}  // namespace qz::eval
