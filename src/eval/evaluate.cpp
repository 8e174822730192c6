#include "eval/evaluate.h"

#include <chrono>
#include <cmath>

#include "core/error.h"
#include "train/objective.h"

namespace qz::eval {

nlohmann::json EvalResult::to_json() const {
  nlohmann::json j;
  j["split"] = split;
  j["samples"] = samples;
  j["accuracy"] = accuracy;
  j["loss"] = loss;
  if (language_model) {
    j["perplexity"] = perplexity;
    j["exact_match"] = exact_match;
    j["token_accuracy"] = token_accuracy;
  }
  j["slices"] = nlohmann::json::object();
  for (const auto& [name, s] : slices)
    j["slices"][name] = {{"accuracy", s.accuracy}, {"count", s.count}};
  j["worst_slice"] = worst_slice.empty() ? nlohmann::json(nullptr) : nlohmann::json(worst_slice);
  j["seconds"] = seconds;
  return j;
}

EvalResult evaluate(nn::Model& model, const data::Dataset& data, const std::string& split_name,
                    int64_t batch) {
  const data::Split& split = data.split(split_name);
  QZ_CHECK(split.size() > 0, "[eval] split '{}' of {} is empty", split_name, data.spec);
  QZ_CHECK(model.task() == data.task, "[eval] model '{}' is a {} but data '{}' is for {}",
           model.arch(), model.task() == Task::LanguageModel ? "language model" : "classifier",
           data.spec, data.task == Task::LanguageModel ? "language models" : "classifiers");
  const auto start = std::chrono::steady_clock::now();
  torch::NoGradGuard guard;
  model.eval();
  const bool lm = data.task == Task::LanguageModel;
  std::vector<float> scores, exact, tokens;
  double loss_sum = 0, loss_count = 0;
  for (int64_t lo = 0; lo < split.size(); lo += batch) {
    const auto idx = torch::arange(lo, std::min(split.size(), lo + batch), torch::kInt64);
    const data::Split b = split.select(idx);
    const torch::Tensor logits = model.forward(b.inputs);
    const auto [sum, count] = train::summed_loss(logits, b);
    loss_sum += sum;
    loss_count += count;
    auto append = [](std::vector<float>& v, const torch::Tensor& t) {
      const auto c = t.contiguous();
      v.insert(v.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    };
    append(scores, train::sample_scores(logits, b, data.has_answers));
    if (lm) {
      append(exact, train::sample_scores(logits, b, /*has_answers=*/true));
      append(tokens, train::sample_scores(logits, b, /*has_answers=*/false));
    }
  }
  auto mean = [](const std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += x;
    return v.empty() ? 0.0 : s / static_cast<double>(v.size());
  };

  EvalResult r;
  r.split = split_name;
  r.samples = split.size();
  r.language_model = lm;
  r.accuracy = mean(scores);
  r.loss = loss_sum / std::max(loss_count, 1.0);
  if (lm) {
    r.perplexity = std::exp(r.loss);
    r.exact_match = mean(exact);
    r.token_accuracy = mean(tokens);
  }
  // Per slice: every (dimension, value) pair present in the split.
  const auto ids = split.slices.contiguous();
  const int64_t dims = ids.size(1);
  const int64_t* id = ids.data_ptr<int64_t>();
  std::vector<std::vector<std::pair<double, int64_t>>> acc(dims);
  for (int64_t d = 0; d < dims; ++d) acc[d].assign(data.slices.values[d].size(), {0.0, 0});
  for (int64_t i = 0; i < split.size(); ++i)
    for (int64_t d = 0; d < dims; ++d) {
      auto& cell = acc[d][id[i * dims + d]];
      cell.first += scores[i];
      cell.second += 1;
    }
  double worst = 2.0;
  for (int64_t d = 0; d < dims; ++d)
    for (size_t v = 0; v < acc[d].size(); ++v) {
      const auto [sum, count] = acc[d][v];
      if (count == 0) continue;
      const std::string name = data.slices.label(d, static_cast<int64_t>(v));
      const double a = sum / static_cast<double>(count);
      r.slices[name] = {a, count};
      if (count >= kMinWorstSliceCount && a < worst) {
        worst = a;
        r.worst_slice = name;
      }
    }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace qz::eval
