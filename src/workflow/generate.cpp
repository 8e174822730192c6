#include "workflow/generate.h"

#include <algorithm>
#include <chrono>

#include "core/error.h"
#include "core/rng.h"

namespace qz::workflow {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int64_t pick_token(const torch::Tensor& logits, const GenerateOptions& o, Rng& rng) {
  if (o.temperature <= 0) return logits.argmax().item<int64_t>();
  auto scaled = logits.to(torch::kFloat64) / o.temperature;
  if (o.top_k > 0 && o.top_k < scaled.size(0)) {
    const double kth = std::get<0>(scaled.topk(o.top_k)).min().item<double>();
    scaled = scaled.masked_fill(scaled < kth, -std::numeric_limits<double>::infinity());
  }
  const auto p = torch::softmax(scaled, 0).contiguous();
  const double* pp = p.data_ptr<double>();
  double u = rng.uniform(), acc = 0;
  for (int64_t i = 0; i < p.size(0); ++i) {
    acc += pp[i];
    if (u < acc && pp[i] > 0) return i;
  }
  return p.argmax().item<int64_t>();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

nn::Transformer& as_transformer(nn::Model& model, const std::string& where,
                                const std::string& need) {
  auto* t = dynamic_cast<nn::Transformer*>(&model);
  QZ_CHECK(t != nullptr, "{}: a '{}' model; {} needs a transformer", where, model.arch(), need);
  return *t;
}

GenerateResult generate(nn::Transformer& model, const std::vector<int64_t>& prompt,
                        const GenerateOptions& o) {
  QZ_CHECK(!prompt.empty(), "[generate] the prompt is empty");
  const int64_t vocab = model.config().at("vocab").get<int64_t>();
  for (int64_t t : prompt)
    QZ_CHECK(t >= 0 && t < vocab, "[generate] prompt token {} outside the vocabulary of {}", t,
             vocab);
  const auto total = static_cast<int64_t>(prompt.size()) + o.max_tokens;
  QZ_CHECK(static_cast<int64_t>(prompt.size()) <= model.max_seq(),
           "[generate] prompt of {} tokens exceeds the model's max_seq {}", prompt.size(),
           model.max_seq());
  torch::NoGradGuard guard;
  model.eval();
  Rng rng(o.seed);
  GenerateResult r;
  std::vector<int64_t> seq = prompt;
  const int64_t capacity = std::min(total, model.max_seq());
  nn::KvCache cache;
  auto as_tensor = [](const std::vector<int64_t>& v, size_t from) {
    return torch::tensor(
               std::vector<int64_t>(v.begin() + static_cast<std::ptrdiff_t>(from), v.end()),
               torch::kInt64)
        .unsqueeze(0);
  };
  auto start = Clock::now();
  torch::Tensor logits;
  if (o.kv_cache) {
    cache = model.make_cache(1, capacity, o.kv_format);
    r.cache_bytes = cache.bytes();
    logits = model.forward_cached(as_tensor(seq, 0), cache)[0][-1];
  } else {
    logits = model.forward(as_tensor(seq, 0))[0][-1];
  }
  r.prefill_seconds = seconds_since(start);
  start = Clock::now();
  for (int64_t step = 0; step < o.max_tokens; ++step) {
    const int64_t token = pick_token(logits, o, rng);
    if (o.keep_logits) r.logits.push_back(logits.clone());
    r.tokens.push_back(token);
    seq.push_back(token);
    const bool stop =
        std::find(o.stop_tokens.begin(), o.stop_tokens.end(), token) != o.stop_tokens.end();
    if (stop || static_cast<int64_t>(seq.size()) >= capacity) break;
    logits = o.kv_cache ? model.forward_cached(as_tensor(seq, seq.size() - 1), cache)[0][-1]
                        : model.forward(as_tensor(seq, 0))[0][-1];
  }
  r.decode_seconds = seconds_since(start);
  return r;
}

std::vector<DecodeTiming> time_decoding(nn::Transformer& model,
                                        const std::vector<int64_t>& contexts, int64_t steps,
                                        int repeats) {
  torch::NoGradGuard guard;
  model.eval();
  const int64_t vocab = model.config().at("vocab").get<int64_t>();
  std::vector<DecodeTiming> out;
  for (int64_t context : contexts) {
    QZ_CHECK(context > steps, "[bench] context {} must exceed the {} decoded tokens", context,
             steps);
    if (model.max_seq() < context) model.extend_context(context);
    torch::manual_seed(0);
    const auto prompt = torch::randint(0, vocab, {1, context - steps}, torch::kInt64);
    const auto next = torch::randint(0, vocab, {1, steps}, torch::kInt64);
    for (auto [cached, format] :
         {std::pair{true, nn::KvCacheFormat::F32}, std::pair{true, nn::KvCacheFormat::Int8},
          std::pair{false, nn::KvCacheFormat::F32}}) {
      std::vector<double> prefill, per_token;
      DecodeTiming t{context, cached, format};
      for (int rep = 0; rep < repeats; ++rep) {
        nn::KvCache cache;
        auto start = Clock::now();
        if (cached) {
          cache = model.make_cache(1, context, format);
          model.forward_cached(prompt, cache);
          t.cache_bytes = cache.bytes();
        } else {
          model.forward(prompt);
        }
        prefill.push_back(seconds_since(start) * 1e3);
        for (int64_t i = 0; i < steps; ++i) {
          start = Clock::now();
          if (cached)
            model.forward_cached(next.narrow(1, i, 1), cache);
          else
            model.forward(torch::cat({prompt, next.narrow(1, 0, i + 1)}, 1));
          per_token.push_back(seconds_since(start) * 1e3);
        }
      }
      t.prefill_ms = median(prefill);
      t.per_token_ms = median(per_token);
      t.tokens_per_second = 1e3 / t.per_token_ms;
      out.push_back(t);
    }
  }
  return out;
}

}  // namespace qz::workflow
