// Text generation with a decoder transformer: the prompt is prefilled in one pass, then tokens
// are decoded one at a time, either incrementally through a preallocated key-value cache or
// (--no-kv-cache) by re-running the whole sequence each step. Greedy at temperature 0;
// otherwise softmax(logits/T), optionally over the top-k only, sampled from a seeded stream.
// And the decode benchmark: prefill and per-token decode timed at several contexts, with and
// without the cache.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/transformer.h"

namespace qz::workflow {

struct GenerateOptions {
  int64_t max_tokens = 32;
  double temperature = 0;  // 0: greedy
  int64_t top_k = 0;       // 0: the whole vocabulary
  uint64_t seed = 0;
  bool kv_cache = true;
  nn::KvCacheFormat kv_format = nn::KvCacheFormat::F32;
  std::vector<int64_t> stop_tokens;  // stop after emitting any of these ('\n', a model's eos)
  bool keep_logits = false;          // return each step's logits (tests compare cache and no cache)
};

struct GenerateResult {
  std::vector<int64_t> tokens;        // generated, without the prompt
  std::vector<torch::Tensor> logits;  // [vocab] per generated token, when kept
  double prefill_seconds = 0, decode_seconds = 0;
  int64_t cache_bytes = 0;
};

// The transformer behind `model`, or InputError "WHERE: a 'mlp' model; NEED needs a
// transformer" for another architecture.
nn::Transformer& as_transformer(nn::Model& model, const std::string& where,
                                const std::string& need);

GenerateResult generate(nn::Transformer& model, const std::vector<int64_t>& prompt,
                        const GenerateOptions& options);

struct DecodeTiming {
  int64_t context = 0;
  bool kv_cache = true;
  nn::KvCacheFormat kv_format = nn::KvCacheFormat::F32;  // with the cache
  double prefill_ms = 0;                                 // the context's prompt in one pass
  double per_token_ms = 0;                               // median decode step
  double tokens_per_second = 0;                          // 1000 / per_token_ms
  int64_t cache_bytes = 0;
};

// Prefill `context − steps` tokens, then decode `steps` tokens; per context three rows: an F32
// cache, an int8 cache, no cache. The model's context is extended if shorter. Medians over
// `repeats` runs.
std::vector<DecodeTiming> time_decoding(nn::Transformer& model,
                                        const std::vector<int64_t>& contexts, int64_t steps,
                                        int repeats);

}  // namespace qz::workflow
