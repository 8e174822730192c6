// Decoder-only transformer language model (LLaMA-style): token embedding, n blocks of
// RMSNorm → causal multi-head attention with rotary positions → residual, RMSNorm → SwiGLU MLP
// → residual, then a final RMSNorm and a linear head over the vocabulary.
// Config: {"arch":"transformer","vocab":V,"d_model":128,"n_layers":3,"n_heads":4,"d_ff":352,
//          "max_seq":64,"rope_base":10000}; head size = d_model / n_heads. Structured pruning
// writes per-block widths, "block_heads": [..] and "block_d_ff": [..] (heads and FFN units
// left in each block), which override n_heads and d_ff block by block.
// The Llama family's options (what a Hugging Face checkpoint maps to, io/hf_config.h):
// "head_dim" (heads of their own size), "n_kv_heads" (grouped-query attention: query heads
// share key/value heads in groups of n_heads / n_kv_heads), "norm_eps" (1e-5), "qkv_bias"
// (Qwen2), "qk_norm" (Qwen3: RMSNorm over each query and key head before RoPE) and
// "rope_scaling" (io/rope_scaling.h).
#pragma once

#include "nn/model.h"

namespace qz::nn {

// Root-mean-square layer norm: x · rsqrt(mean(x²) + eps) · weight.
class RmsNormImpl : public torch::nn::Module {
 public:
  explicit RmsNormImpl(int64_t dim, double eps = 1e-5);
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor weight;

 private:
  double eps_;
};
TORCH_MODULE(RmsNorm);

// How cached keys and values are stored. Int8: symmetric per (sequence, head, position) —
// each head_dim vector gets scale absmax/127 — so a key written once is never requantized;
// 1 byte + 4/head_dim per value instead of 4.
enum class KvCacheFormat { F32, Int8 };

// The stored form of keys or values t [..., head_dim]: each vector rounded to int8 on its own
// absmax scale and back (what an Int8 cache returns for what it was given).
torch::Tensor int8_kv_round_trip(const torch::Tensor& t);

// One block's keys and values for incremental decoding, preallocated for the whole context:
// keys/values [B, kv_heads, capacity, head_dim] (F32, or int8 codes with key_scales/value_scales
// [B, heads, capacity, 1]); positions [0, length) are filled.
struct LayerKvCache {
  torch::Tensor keys, values;
  torch::Tensor key_scales, value_scales;  // Int8 only

  // Stores positions [start, start + T) from kh/vh [B, heads, T, head_dim].
  void write(int64_t start, const torch::Tensor& kh, const torch::Tensor& vh);
  // Keys and values of positions [0, length) as F32.
  std::pair<torch::Tensor, torch::Tensor> read(int64_t length) const;
  bool int8() const { return key_scales.defined(); }
  // Int8 only: one query position per head, qh [B, heads, 1, head_dim] with heads a multiple
  // of the cached kv_heads (query head h reads kv head h / (heads / kv_heads)), attending over
  // positions [0, length) by the fused kernel (kernels/attention/int8_kv_attention.h), which
  // reads the codes in place instead of dequantizing the whole cache every step.
  torch::Tensor attend(const torch::Tensor& qh, int64_t length, float scale) const;
};

// The cache of every block, with the number of positions already decoded.
struct KvCache {
  std::vector<LayerKvCache> layers;
  int64_t length = 0;
  int64_t capacity = 0;
  KvCacheFormat format = KvCacheFormat::F32;
  int64_t bytes() const;
};

// One transformer block; its compressible layers are registered by the owning Transformer.
class BlockImpl : public torch::nn::Module {
 public:
  BlockImpl(int64_t d_model, int64_t head_dim, double norm_eps, bool qk_norm);
  // x: [B, T, D]; cos/sin: [T, head_dim/2] rotary tables for positions of x. With a cache, x
  // holds positions [start, start + T): its keys and values are written there and the queries
  // attend to every cached position up to their own.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        LayerKvCache* cache = nullptr, int64_t start = 0);

  RmsNorm attn_norm{nullptr}, mlp_norm{nullptr};
  RmsNorm q_norm{nullptr}, k_norm{nullptr};  // qk_norm only: over head_dim, shared by heads
  LayerPtr q, k, v, o, gate, up, down;
  int64_t head_dim;  // fixed; the head count follows q's (possibly pruned) width
  int64_t heads() const { return q->out_features() / head_dim; }
  // Key/value heads: fewer than heads() with grouped-query attention.
  int64_t kv_heads() const { return k->out_features() / head_dim; }
  bool grouped() const { return kv_heads() != heads(); }
  // Without a cache, round keys and values as an Int8 cache would (evaluation of its cost).
  bool simulate_int8_kv = false;
};
TORCH_MODULE(Block);

class Transformer : public Model {
 public:
  explicit Transformer(nlohmann::json config);
  // tokens: [B, T] int64 → logits [B, T, vocab].
  torch::Tensor forward(const torch::Tensor& tokens) override;
  Task task() const override { return Task::LanguageModel; }
  std::vector<DimGroup> dependency_groups() const override;
  void sync_config_to_layers() override;
  std::vector<ScaleGroup> scale_groups() const override;
  int64_t max_seq() const { return max_seq_; }
  int64_t head_dim() const { return head_dim_; }
  const std::vector<Block>& blocks() const { return blocks_; }
  // Rotary tables [max_seq, head_dim/2] (cos, sin) for positions 0..max_seq-1.
  std::pair<torch::Tensor, torch::Tensor> rope_tables() const { return {rope_cos_, rope_sin_}; }

  // An empty cache for `batch` sequences of up to `capacity` ≤ max_seq positions.
  KvCache make_cache(int64_t batch, int64_t capacity,
                     KvCacheFormat format = KvCacheFormat::F32) const;
  // forward() computes as if keys and values passed through a cache of `format`: with Int8
  // its logits equal forward_cached's through an Int8 cache, so evaluate() measures the
  // int8 cache's accuracy cost. Not saved; F32 by default.
  void set_kv_simulation(KvCacheFormat format);
  // Logits [B, T, vocab] of tokens [B, T] that continue the cached positions; the cache grows
  // by T. Equal (to float rounding) to forward() over the whole sequence.
  torch::Tensor forward_cached(const torch::Tensor& tokens, KvCache& cache);
  // Rebuilds the rotary tables for `positions`, so decoding can be timed at contexts longer
  // than the model was built for (no quality is claimed past the trained length).
  void extend_context(int64_t positions);

 private:
  torch::nn::Embedding embed_{nullptr};
  std::vector<Block> blocks_;
  RmsNorm final_norm_{nullptr};
  LayerPtr head_;
  int64_t max_seq_;
  int64_t head_dim_;
  torch::Tensor rope_cos_, rope_sin_;  // [max_seq, head_dim/2], not saved: rebuilt from config
};

}  // namespace qz::nn
