#include "eval/latency.h"

#include <algorithm>
#include <chrono>

namespace qz::eval {

torch::Tensor synthetic_input(const nn::Model& model, int64_t batch, int64_t seq_len) {
  torch::manual_seed(42);
  if (model.task() == Task::LanguageModel) {
    const int64_t vocab = model.config().at("vocab").get<int64_t>();
    const int64_t t = std::min(seq_len, model.config().at("max_seq").get<int64_t>());
    return torch::randint(0, vocab, {batch, t}, torch::kInt64);
  }
  std::vector<int64_t> shape = {batch};
  for (const auto& d : model.config().at("input_shape")) shape.push_back(d.get<int64_t>());
  return torch::rand(shape);
}

namespace {

using Clock = std::chrono::steady_clock;

double elapsed_ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

LatencyStats summarize(const nn::Model& model, const torch::Tensor& input,
                       std::vector<double> times) {
  std::sort(times.begin(), times.end());
  LatencyStats s;
  s.batch = input.size(0);
  s.runs = static_cast<int64_t>(times.size());
  s.median_ms = times[times.size() / 2];
  s.p90_ms = times[std::min(times.size() - 1, times.size() * 9 / 10)];
  const int64_t items = model.task() == Task::LanguageModel ? input.numel() : input.size(0);
  s.items_per_second = static_cast<double>(items) / (s.median_ms / 1000.0);
  return s;
}

}  // namespace

LatencyStats measure_latency(nn::Model& model, const torch::Tensor& input, int warmup, int min_runs,
                             double min_seconds) {
  return measure_latency_interleaved({&model}, input, warmup, min_runs, min_seconds).front();
}

std::vector<LatencyStats> measure_latency_interleaved(const std::vector<nn::Model*>& models,
                                                      const torch::Tensor& input, int warmup,
                                                      int min_runs, double min_seconds) {
  torch::NoGradGuard guard;
  for (nn::Model* m : models) {
    m->eval();
    for (int i = 0; i < warmup; ++i) m->forward(input);
  }
  std::vector<std::vector<double>> times(models.size());
  const auto start = Clock::now();
  // Every model gets at most 10000 runs; the time budget is shared.
  while (static_cast<int>(times[0].size()) < min_runs || elapsed_ms(start) < min_seconds * 1000) {
    for (size_t i = 0; i < models.size(); ++i) {
      const auto t0 = Clock::now();
      models[i]->forward(input);
      times[i].push_back(elapsed_ms(t0));
    }
    if (times[0].size() >= 10000) break;
  }
  std::vector<LatencyStats> stats;
  for (size_t i = 0; i < models.size(); ++i)
    stats.push_back(summarize(*models[i], input, std::move(times[i])));
  return stats;
}

}  // namespace qz::eval
