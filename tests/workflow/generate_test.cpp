// KV-cache decoding: incremental logits equal the full forward's, greedy generation is the same
// with and without the cache, the int8 cache equals its simulation in forward() (so evaluation
// measures its cost), sampling is seeded, the cache's bounds are checked, and the decode timer
// reports every path.
#include <gtest/gtest.h>

#include "core/error.h"
#include "io/model_config.h"
#include "kernels/attention/int8_kv_attention.h"
#include "nn/make_model.h"
#include "workflow/generate.h"

namespace qz::workflow {
namespace {

std::shared_ptr<nn::Transformer> small_transformer() {
  torch::manual_seed(0);
  auto m = std::dynamic_pointer_cast<nn::Transformer>(
      nn::make_model(io::default_config("transformer", {1, 16, 16}, 256, 32), "test"));
  m->eval();
  return m;
}

TEST(KvCache, IncrementalLogitsEqualTheFullForward) {
  auto model = small_transformer();
  torch::NoGradGuard guard;
  const auto tokens = torch::randint(0, 256, {2, 20}, torch::kInt64);
  const auto full = model->forward(tokens);
  nn::KvCache cache = model->make_cache(2, 20);
  std::vector<torch::Tensor> parts;
  parts.push_back(model->forward_cached(tokens.narrow(1, 0, 7), cache));  // prefill
  parts.push_back(model->forward_cached(tokens.narrow(1, 7, 3), cache));  // a chunk
  for (int64_t i = 10; i < 20; ++i)
    parts.push_back(model->forward_cached(tokens.narrow(1, i, 1), cache));
  EXPECT_EQ(cache.length, 20);
  EXPECT_LE((torch::cat(parts, 1) - full).abs().max().item<float>(), 1e-4f);
  const int64_t layers = model->config()["n_layers"], d = model->config()["d_model"];
  EXPECT_EQ(cache.bytes(), 2 * layers * 2 * 20 * d * 4);  // K and V, batch 2, FP32
  EXPECT_THROW(model->forward_cached(tokens.narrow(1, 0, 1), cache), InputError);
  EXPECT_THROW(model->make_cache(1, model->max_seq() + 1), InputError);
}

TEST(KvCache, Int8CacheEqualsItsSimulationAndCostsLittle) {
  auto model = small_transformer();
  torch::NoGradGuard guard;
  const auto tokens = torch::randint(0, 256, {2, 20}, torch::kInt64);
  const auto exact = model->forward(tokens);
  model->set_kv_simulation(nn::KvCacheFormat::Int8);
  const auto simulated = model->forward(tokens);
  model->set_kv_simulation(nn::KvCacheFormat::F32);
  EXPECT_TRUE(model->forward(tokens).equal(exact));  // switched back off
  nn::KvCache cache = model->make_cache(2, 20, nn::KvCacheFormat::Int8);
  std::vector<torch::Tensor> parts;
  parts.push_back(model->forward_cached(tokens.narrow(1, 0, 9), cache));
  for (int64_t i = 9; i < 20; ++i)
    parts.push_back(model->forward_cached(tokens.narrow(1, i, 1), cache));
  const auto cached = torch::cat(parts, 1);
  EXPECT_LE((cached - simulated).abs().max().item<float>(), 1e-4f);
  // Rounding keys and values to int8 moves the logits, a little.
  const float moved = (cached - exact).abs().max().item<float>();
  EXPECT_GT(moved, 0.0f);
  EXPECT_LT(moved, 0.05f * exact.abs().max().item<float>());
  // 1 byte per value plus a 4-byte scale per head_dim values, for K and V.
  const int64_t layers = model->config()["n_layers"], d = model->config()["d_model"];
  const int64_t heads = model->config()["n_heads"];
  EXPECT_EQ(cache.bytes(), 2 * layers * 2 * 20 * (d + 4 * heads));
}

// The Llama family's options: grouped-query attention (kv heads shared by query groups), heads
// of their own size, q/k/v biases, q/k norms and llama3 RoPE scaling. The cache holds only the
// kv heads; decoding through it (F32 and int8) equals the full forward.
class LlamaFamilyCache : public ::testing::TestWithParam<nlohmann::json> {};

TEST_P(LlamaFamilyCache, DecodingEqualsTheFullForward) {
  torch::manual_seed(1);
  nlohmann::json config = io::default_config("transformer", {}, 256, 24);
  config.update(GetParam());
  auto model = std::dynamic_pointer_cast<nn::Transformer>(nn::make_model(config, "test"));
  model->eval();
  torch::NoGradGuard guard;
  const auto tokens = torch::randint(0, 256, {2, 20}, torch::kInt64);
  const auto full = model->forward(tokens);
  model->set_kv_simulation(nn::KvCacheFormat::Int8);
  const auto simulated = model->forward(tokens);
  model->set_kv_simulation(nn::KvCacheFormat::F32);
  const int64_t kv_heads = config["n_kv_heads"], hd = config.value("head_dim", 32);
  for (const auto format : {nn::KvCacheFormat::F32, nn::KvCacheFormat::Int8}) {
    nn::KvCache cache = model->make_cache(2, 20, format);
    std::vector<torch::Tensor> parts{model->forward_cached(tokens.narrow(1, 0, 8), cache)};
    for (int64_t i = 8; i < 20; ++i)
      parts.push_back(model->forward_cached(tokens.narrow(1, i, 1), cache));
    const auto& want = format == nn::KvCacheFormat::F32 ? full : simulated;
    SCOPED_TRACE(format == nn::KvCacheFormat::F32 ? "f32 cache" : "int8 cache");
    // Int8: keys computed a step at a time (another GEMM shape, and on AVX2 another summation
    // order) than in the whole-sequence simulation can round to the neighbouring code: measured
    // 3e-4 on AVX2 with one kv head for four query heads, where one code reaches four heads.
    const float limit =
        format == nn::KvCacheFormat::F32 ? 1e-4f : 1e-3f * full.abs().max().item<float>();
    EXPECT_LE((torch::cat(parts, 1) - want).abs().max().item<float>(), limit);
    const int64_t per_value = format == nn::KvCacheFormat::F32 ? 4 * hd : hd + 4;
    EXPECT_EQ(cache.bytes(), 3 * 2 * 2 * 20 * kv_heads * per_value);  // 3 blocks, K and V
  }
  EXPECT_GT((simulated - full).abs().max().item<float>(), 0.0f);
}

INSTANTIATE_TEST_SUITE_P(Options, LlamaFamilyCache,
                         ::testing::Values(nlohmann::json{{"n_kv_heads", 2}},
                                           nlohmann::json{{"n_kv_heads", 1}, {"norm_eps", 1e-6}},
                                           nlohmann::json{
                                               {"n_kv_heads", 2},
                                               {"head_dim", 24},
                                               {"qkv_bias", true},
                                               {"qk_norm", true},
                                               {"rope_base", 500000.0},
                                               {"rope_scaling",
                                                {{"type", "llama3"},
                                                 {"factor", 8.0},
                                                 {"low_freq_factor", 1.0},
                                                 {"high_freq_factor", 4.0},
                                                 {"original_max_position_embeddings", 16}}}}));

// The cache's quantizer (kernels/attention) and the no-cache simulation's LibTorch formula
// store the same codes and scales.
TEST(KvCache, CacheQuantizerEqualsTheSimulationBitForBit) {
  torch::manual_seed(4);
  auto t = torch::randn({2, 3, 5, 32}) * 3;
  t.index_put_({1, 2, 4}, torch::zeros({32}));
  auto codes = torch::empty(t.sizes(), torch::kInt8);
  auto scales = torch::empty({2, 3, 5, 1});
  kernels::int8_kv_quantize(t.data_ptr<float>(), 30, 32, codes.data_ptr<int8_t>(),
                            scales.data_ptr<float>());
  EXPECT_TRUE((codes.to(torch::kFloat32) * scales).equal(nn::int8_kv_round_trip(t)));
}

TEST(KvCache, Int8RoundTripKeepsEachVectorWithinHalfAStep) {
  torch::manual_seed(3);
  auto t = torch::randn({2, 3, 5, 32});
  t.index_put_({0, 0, 0}, torch::zeros({32}));  // an all-zero vector stays zero
  const auto r = nn::int8_kv_round_trip(t);
  const auto step = t.abs().amax(-1, true) / 127;
  EXPECT_TRUE(((r - t).abs() <= step * 0.5 + 1e-7).all().item<bool>());
  EXPECT_TRUE(r[0][0][0].eq(0).all().item<bool>());
}

TEST(Generate, CacheAndNoCacheAgree) {
  auto model = small_transformer();
  GenerateOptions o;
  o.max_tokens = 20;
  o.keep_logits = true;
  const std::vector<int64_t> prompt = {'1', '2', '+', '3', '='};
  const GenerateResult cached = generate(*model, prompt, o);
  o.kv_cache = false;
  const GenerateResult plain = generate(*model, prompt, o);
  ASSERT_EQ(cached.tokens, plain.tokens);
  ASSERT_EQ(cached.tokens.size(), 20u);
  for (size_t i = 0; i < cached.logits.size(); ++i)
    EXPECT_LE((cached.logits[i] - plain.logits[i]).abs().max().item<float>(), 1e-4f) << i;
  EXPECT_GT(cached.cache_bytes, 0);
  EXPECT_EQ(plain.cache_bytes, 0);
}

TEST(Generate, SamplingIsSeededAndTopOneIsGreedy) {
  auto model = small_transformer();
  const std::vector<int64_t> prompt = {'a', 'b'};
  GenerateOptions o;
  o.max_tokens = 12;
  const auto greedy = generate(*model, prompt, o).tokens;
  o.temperature = 1.5;
  o.seed = 7;
  const auto a = generate(*model, prompt, o).tokens, b = generate(*model, prompt, o).tokens;
  EXPECT_EQ(a, b);
  o.seed = 8;
  EXPECT_NE(generate(*model, prompt, o).tokens, a);
  o.top_k = 1;
  EXPECT_EQ(generate(*model, prompt, o).tokens, greedy);
  o.stop_tokens = {-7, greedy[2]};  // generation ends right after the token's first appearance
  const auto first = std::find(greedy.begin(), greedy.end(), greedy[2]) - greedy.begin();
  EXPECT_EQ(static_cast<int64_t>(generate(*model, prompt, o).tokens.size()), first + 1);
  EXPECT_THROW(generate(*model, {}, o), InputError);
  EXPECT_THROW(generate(*model, {300}, o), InputError);
}

TEST(Generate, DecodeTimerReportsEveryPath) {
  auto model = small_transformer();
  const auto t = time_decoding(*model, {16, 48}, 4, 1);
  ASSERT_EQ(t.size(), 6u);
  EXPECT_TRUE(t[0].kv_cache);
  EXPECT_EQ(t[0].kv_format, nn::KvCacheFormat::F32);
  EXPECT_TRUE(t[1].kv_cache);
  EXPECT_EQ(t[1].kv_format, nn::KvCacheFormat::Int8);
  EXPECT_FALSE(t[2].kv_cache);
  EXPECT_EQ(t[3].context, 48);
  EXPECT_GT(model->max_seq(), 32);  // extended for the longer context
  for (const auto& d : t) EXPECT_GT(d.tokens_per_second, 0);
  EXPECT_GT(t[3].cache_bytes, t[0].cache_bytes);
  EXPECT_LT(3 * t[1].cache_bytes, t[0].cache_bytes);  // int8: over 3x smaller
}

}  // namespace
}  // namespace qz::workflow
