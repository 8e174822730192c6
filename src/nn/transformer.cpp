#include "nn/transformer.h"

#include <fmt/format.h>

#include <cmath>
#include <tuple>

#include "core/error.h"
#include "io/rope_scaling.h"
#include "kernels/attention/int8_kv_attention.h"
#include "nn/dense_layers.h"

namespace qz::nn {
namespace {

// Rotary embedding, "half split" convention: the first and second halves of each head's
// channels form the rotated pairs.
torch::Tensor apply_rope(const torch::Tensor& x, const torch::Tensor& cos,
                         const torch::Tensor& sin) {
  const int64_t half = x.size(-1) / 2;
  const auto x1 = x.narrow(-1, 0, half);
  const auto x2 = x.narrow(-1, half, half);
  return torch::cat({x1 * cos - x2 * sin, x1 * sin + x2 * cos}, -1);
}

// Grouped-query attention: each of the kv heads of t [B, kv_heads, T, hd] serves `group`
// consecutive query heads.
torch::Tensor repeat_kv(const torch::Tensor& t, int64_t group) {
  return group == 1 ? t : t.repeat_interleave(group, 1);
}

}  // namespace

RmsNormImpl::RmsNormImpl(int64_t dim, double eps) : eps_(eps) {
  weight = register_parameter("weight", torch::ones({dim}));
}

torch::Tensor RmsNormImpl::forward(const torch::Tensor& x) {
  return x * torch::rsqrt(x.pow(2).mean(-1, true) + eps_) * weight;
}

BlockImpl::BlockImpl(int64_t d_model, int64_t head_size, double norm_eps, bool qk_norm)
    : head_dim(head_size) {
  attn_norm = register_module("attn_norm", RmsNorm(d_model, norm_eps));
  mlp_norm = register_module("mlp_norm", RmsNorm(d_model, norm_eps));
  if (qk_norm) {
    q_norm = register_module("q_norm", RmsNorm(head_size, norm_eps));
    k_norm = register_module("k_norm", RmsNorm(head_size, norm_eps));
  }
}

torch::Tensor BlockImpl::forward(const torch::Tensor& x, const torch::Tensor& cos,
                                 const torch::Tensor& sin, LayerKvCache* cache, int64_t start) {
  const int64_t batch = x.size(0), time = x.size(1);
  const torch::Tensor h = attn_norm->forward(x);
  // [B, T, D] → [B, H, T, hd]; the head count follows the (possibly pruned) q width.
  const int64_t width = q->out_features();
  const int64_t n_heads = width / head_dim, kv_heads = this->kv_heads();
  auto split = [&](const torch::Tensor& t, int64_t heads) {
    return t.view({batch, time, heads, head_dim}).transpose(1, 2);
  };
  // Qwen3 normalizes each head's query and key before rotating them.
  auto normed = [](RmsNorm& norm, const torch::Tensor& t) { return norm ? norm->forward(t) : t; };
  const auto qh = apply_rope(normed(q_norm, split(q->forward(h), n_heads)), cos, sin);
  torch::Tensor kh = apply_rope(normed(k_norm, split(k->forward(h), kv_heads)), cos, sin);
  torch::Tensor vh = split(v->forward(h), kv_heads);
  if (cache != nullptr) cache->write(start, kh, vh);  // append, then attend over all so far
  torch::Tensor attn;
  if (cache != nullptr && cache->int8() && time == 1) {
    attn = cache->attend(qh, start + 1, 1.0f / std::sqrt(static_cast<float>(head_dim)));
  } else {
    if (cache != nullptr) {
      std::tie(kh, vh) = cache->read(start + time);
    } else if (simulate_int8_kv) {
      kh = int8_kv_round_trip(kh);
      vh = int8_kv_round_trip(vh);
    }
    kh = repeat_kv(kh, n_heads / kv_heads);
    vh = repeat_kv(vh, n_heads / kv_heads);
    auto scores =
        torch::matmul(qh, kh.transpose(-2, -1)) / std::sqrt(static_cast<double>(head_dim));
    if (time > 1) {  // query i (position start + i) sees keys up to start + i
      const auto causal = torch::ones({time, start + time}, torch::kBool).triu(start + 1);
      scores = scores.masked_fill(causal, -std::numeric_limits<float>::infinity());
    }
    attn = torch::matmul(torch::softmax(scores, -1), vh);
  }
  const torch::Tensor x1 = x + o->forward(attn.transpose(1, 2).reshape({batch, time, width}));
  const torch::Tensor m = mlp_norm->forward(x1);
  return x1 + down->forward(gate->forward(m) * up->forward(m));  // SiLU in gate's epilogue
}

Transformer::Transformer(nlohmann::json config) : Model(std::move(config)) {
  const int64_t vocab = config_.at("vocab"), d = config_.at("d_model");
  const int64_t layers = config_.at("n_layers"), heads = config_.at("n_heads");
  const int64_t d_ff = config_.at("d_ff");
  max_seq_ = config_.at("max_seq");
  embed_ = register_module("embed", torch::nn::Embedding(vocab, d));
  {
    torch::NoGradGuard guard;
    embed_->weight.normal_(0, 0.02);
  }
  auto block_list = register_module("blocks", torch::nn::ModuleList());
  const int64_t head_dim = config_.value("head_dim", d / heads);
  const int64_t kv_heads = config_.value("n_kv_heads", heads);
  const double norm_eps = config_.at("norm_eps");
  const bool qkv_bias = config_.value("qkv_bias", false);
  auto per_block = [&](const char* key, int64_t fallback) {
    return config_.contains(key) ? config_[key].get<std::vector<int64_t>>()
                                 : std::vector<int64_t>(layers, fallback);
  };
  const std::vector<int64_t> block_heads = per_block("block_heads", heads);
  const std::vector<int64_t> block_ff = per_block("block_d_ff", d_ff);
  for (int64_t i = 0; i < layers; ++i) {
    Block block(d, head_dim, norm_eps, config_.value("qk_norm", false));
    const int64_t width = block_heads[i] * head_dim, ff = block_ff[i];
    // Without grouping every query head has its own key/value head, pruned along with it.
    const int64_t kv_width = (kv_heads == heads ? block_heads[i] : kv_heads) * head_dim;
    block_list->push_back(block);
    const std::string p = fmt::format("blocks.{}.", i);
    auto linear = [](int64_t in, int64_t out, bool bias = false) {
      return std::make_shared<DenseLinear>(in, out, bias);
    };
    add_layer(*block, "q", p + "q", block->q, linear(d, width, qkv_bias));
    add_layer(*block, "k", p + "k", block->k, linear(d, kv_width, qkv_bias));
    add_layer(*block, "v", p + "v", block->v, linear(d, kv_width, qkv_bias));
    add_layer(*block, "o", p + "o", block->o, linear(width, d));
    add_layer(*block, "gate", p + "gate", block->gate, linear(d, ff));
    block->gate->set_fused_activation(kernels::Activation::Silu);
    add_layer(*block, "up", p + "up", block->up, linear(d, ff));
    add_layer(*block, "down", p + "down", block->down, linear(ff, d));
    blocks_.push_back(block);
  }
  final_norm_ = register_module("final_norm", RmsNorm(d, norm_eps));
  add_layer(*this, "head", "head", head_, std::make_shared<DenseLinear>(d, vocab, false));

  head_dim_ = head_dim;
  extend_context(max_seq_);
}

void Transformer::extend_context(int64_t positions) {
  max_seq_ = positions;
  // Float32 frequencies and angles, as Hugging Face's Llama computes them, so an imported
  // checkpoint rotates by the very angles it was trained with.
  const auto inv_freq =
      torch::tensor(io::rope_inverse_frequencies(config_.at("rope_base").get<double>(), head_dim_,
                                                 config_.value("rope_scaling", nlohmann::json())));
  const auto angles = torch::outer(torch::arange(max_seq_, torch::kFloat32), inv_freq);
  rope_cos_ = angles.cos();
  rope_sin_ = angles.sin();
}

torch::Tensor Transformer::forward(const torch::Tensor& tokens) {
  QZ_CHECK(tokens.dim() == 2, "[transformer] expected tokens [batch, time], got {} dimensions",
           tokens.dim());
  const int64_t time = tokens.size(1);
  QZ_CHECK(time <= max_seq_, "[transformer] sequence of {} tokens exceeds max_seq {}", time,
           max_seq_);
  const auto cos = rope_cos_.narrow(0, 0, time);
  const auto sin = rope_sin_.narrow(0, 0, time);
  torch::Tensor h = embed_->forward(tokens);
  for (auto& block : blocks_) h = block->forward(h, cos, sin);
  return head_->forward(final_norm_->forward(h));
}

namespace {

// Per-vector int8 codes and scales of t [..., head_dim].
std::pair<torch::Tensor, torch::Tensor> int8_kv_codes(const torch::Tensor& t) {
  const auto scale = (t.abs().amax(-1, true) / 127.0f).clamp_min(1e-12f);
  return {(t / scale).round().clamp(-127, 127).to(torch::kInt8), scale};
}

}  // namespace

torch::Tensor int8_kv_round_trip(const torch::Tensor& t) {
  const auto [codes, scale] = int8_kv_codes(t);
  return codes.to(torch::kFloat32) * scale;
}

void LayerKvCache::write(int64_t start, const torch::Tensor& kh, const torch::Tensor& vh) {
  const int64_t time = kh.size(2);
  if (!key_scales.defined()) {
    keys.narrow(2, start, time).copy_(kh);
    values.narrow(2, start, time).copy_(vh);
    return;
  }
  // Our quantizer, straight into the cache: the formula of int8_kv_codes without its eight
  // LibTorch ops and temporaries per step.
  const int64_t capacity = keys.size(2), hd = keys.size(3);
  const int64_t heads = keys.size(0) * keys.size(1);
  QZ_ASSERT(start + time <= capacity && kh.dim() == 4 && kh.size(0) * kh.size(1) == heads &&
                kh.size(3) == hd && vh.sizes() == kh.sizes(),
            "int8 cache write of {} positions at {} does not fit the cache", time, start);
  for (const auto& [src, codes, scales] :
       {std::tie(kh, keys, key_scales), std::tie(vh, values, value_scales)}) {
    const auto x = src.to(torch::kFloat32).contiguous();
    for (int64_t h = 0; h < heads; ++h)
      kernels::int8_kv_quantize(x.data_ptr<float>() + h * time * hd, time, hd,
                                codes.data_ptr<int8_t>() + (h * capacity + start) * hd,
                                scales.data_ptr<float>() + h * capacity + start);
  }
}

torch::Tensor LayerKvCache::attend(const torch::Tensor& qh, int64_t length, float scale) const {
  const int64_t kv_heads = keys.size(1);
  QZ_ASSERT(int8() && qh.dim() == 4 && qh.size(2) == 1 && length <= keys.size(2) &&
                qh.size(0) == keys.size(0) && qh.size(1) % kv_heads == 0 &&
                qh.size(3) == keys.size(3),
            "fused cache attention takes one position per query head over its cached kv head");
  const int64_t group = qh.size(1) / kv_heads;
  if (group > 1) {
    // Query heads g, g + group, ... of each kv head's group attend as one pass of the kernel.
    const auto grouped = qh.reshape({qh.size(0), kv_heads, group, qh.size(3)});
    std::vector<torch::Tensor> outs;
    for (int64_t g = 0; g < group; ++g)
      outs.push_back(attend(grouped.select(2, g).unsqueeze(2), length, scale));
    return torch::cat(outs, 2).reshape(qh.sizes());
  }
  const auto q = qh.to(torch::kFloat32).contiguous();
  auto out = torch::empty_like(q);
  const kernels::Int8KvView view{keys.data_ptr<int8_t>(),
                                 key_scales.data_ptr<float>(),
                                 values.data_ptr<int8_t>(),
                                 value_scales.data_ptr<float>(),
                                 keys.size(0) * keys.size(1),
                                 keys.size(2),
                                 keys.size(3)};
  kernels::int8_kv_attention(q.data_ptr<float>(), view, length, scale, out.data_ptr<float>());
  return out;
}

std::pair<torch::Tensor, torch::Tensor> LayerKvCache::read(int64_t length) const {
  if (!key_scales.defined()) return {keys.narrow(2, 0, length), values.narrow(2, 0, length)};
  return {keys.narrow(2, 0, length).to(torch::kFloat32) * key_scales.narrow(2, 0, length),
          values.narrow(2, 0, length).to(torch::kFloat32) * value_scales.narrow(2, 0, length)};
}

int64_t KvCache::bytes() const {
  int64_t total = 0;
  for (const auto& l : layers)
    for (const auto* t : {&l.keys, &l.values, &l.key_scales, &l.value_scales})
      if (t->defined()) total += t->numel() * static_cast<int64_t>(t->element_size());
  return total;
}

KvCache Transformer::make_cache(int64_t batch, int64_t capacity, KvCacheFormat format) const {
  QZ_CHECK(capacity >= 1 && capacity <= max_seq_,
           "[generate] context of {} tokens outside 1..max_seq {}", capacity, max_seq_);
  KvCache cache;
  cache.capacity = capacity;
  cache.format = format;
  const auto dtype = format == KvCacheFormat::Int8 ? torch::kInt8 : torch::kFloat32;
  for (const auto& block : blocks_) {
    const int64_t heads = block->kv_heads();
    LayerKvCache layer{torch::zeros({batch, heads, capacity, block->head_dim}, dtype),
                       torch::zeros({batch, heads, capacity, block->head_dim}, dtype),
                       {},
                       {}};
    if (format == KvCacheFormat::Int8) {
      layer.key_scales = torch::zeros({batch, heads, capacity, 1});
      layer.value_scales = torch::zeros({batch, heads, capacity, 1});
    }
    cache.layers.push_back(std::move(layer));
  }
  return cache;
}

void Transformer::set_kv_simulation(KvCacheFormat format) {
  for (auto& block : blocks_) block->simulate_int8_kv = format == KvCacheFormat::Int8;
}

torch::Tensor Transformer::forward_cached(const torch::Tensor& tokens, KvCache& cache) {
  torch::NoGradGuard guard;
  QZ_CHECK(tokens.dim() == 2, "[transformer] expected tokens [batch, time], got {} dimensions",
           tokens.dim());
  const int64_t time = tokens.size(1), start = cache.length;
  QZ_CHECK(start + time <= cache.capacity,
           "[generate] {} cached + {} new tokens exceed the cache's {} positions", start, time,
           cache.capacity);
  QZ_ASSERT(cache.layers.size() == blocks_.size(), "cache built for another model");
  const auto cos = rope_cos_.narrow(0, start, time);
  const auto sin = rope_sin_.narrow(0, start, time);
  torch::Tensor h = embed_->forward(tokens);
  for (size_t i = 0; i < blocks_.size(); ++i)
    h = blocks_[i]->forward(h, cos, sin, &cache.layers[i], start);
  cache.length += time;
  return head_->forward(final_norm_->forward(h));
}

std::vector<DimGroup> Transformer::dependency_groups() const {
  std::vector<DimGroup> groups;
  DimGroup residual{"residual", {}, {"head"}, {"embed", "final_norm"}, 1, 1};
  for (size_t i = 0; i < blocks_.size(); ++i) {
    const std::string p = fmt::format("blocks.{}.", i);
    residual.producers.push_back(p + "o");
    residual.producers.push_back(p + "down");
    for (const char* c : {"q", "k", "v", "gate", "up"}) residual.consumers.push_back(p + c);
    residual.passthrough.push_back(p + "attn_norm");
    residual.passthrough.push_back(p + "mlp_norm");
    // With grouped-query attention a key/value head serves several query heads: heads are
    // not pruned one at a time.
    if (!blocks_[i]->grouped())
      groups.push_back(
          {p + "heads", {p + "q", p + "k", p + "v"}, {p + "o"}, {}, 1, blocks_[i]->head_dim});
    groups.push_back({p + "ffn", {p + "gate", p + "up"}, {p + "down"}, {}, 1, 1});
  }
  groups.insert(groups.begin(), residual);
  return groups;
}

std::vector<ScaleGroup> Transformer::scale_groups() const {
  std::vector<ScaleGroup> groups;
  for (size_t i = 0; i < blocks_.size(); ++i) {
    const std::string p = fmt::format("blocks.{}.", i);
    groups.push_back({p + "attn_norm", true, {p + "q", p + "k", p + "v"}});
    // Attention mixes v over positions, never across channels: o's inputs scale with v's rows
    // (one to one only when every query head has its own value head).
    if (!blocks_[i]->grouped()) groups.push_back({p + "v", false, {p + "o"}});
    groups.push_back({p + "mlp_norm", true, {p + "gate", p + "up"}});
    // down reads silu(gate)·up: linear in each of up's output channels.
    groups.push_back({p + "up", false, {p + "down"}});
  }
  groups.push_back({"final_norm", true, {"head"}});
  return groups;
}

void Transformer::sync_config_to_layers() {
  std::vector<int64_t> heads, ff;
  bool grouped = false;
  for (const auto& block : blocks_) {
    heads.push_back(block->heads());
    ff.push_back(block->gate->out_features());
    grouped = grouped || block->grouped();
  }
  if (!grouped) config_["block_heads"] = heads;  // grouped heads are never pruned
  config_["block_d_ff"] = ff;
}

}  // namespace qz::nn
