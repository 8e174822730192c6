#include "nn/quantized_layer.h"

#include <cstring>
#include <vector>

#include "core/error.h"
#include "core/group_quant.h"
#include "core/int_grid.h"
#include "core/minifloat.h"
#include "kernels/dequant/dequantize.h"
#include "kernels/gemm_q4_u8/gemm_q4_u8.h"
#include "kernels/gemm_u8s8/gemm_u8s8.h"
#include "kernels/matmul/matmul.h"
#include "nn/matmul_layer_forward.h"
#include "nn/model_file.h"

namespace qz::nn {
namespace {

using kernels::is_nibble_format;
using kernels::WeightFormat;

bool is_fp8(WeightFormat f) {
  return f == WeightFormat::E4M3 || f == WeightFormat::E5M2;
}

// FP16 bit patterns as a torch half tensor of `shape`.
torch::Tensor fp16_tensor(const std::vector<float>& values, std::vector<int64_t> shape) {
  std::vector<int16_t> bits(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    bits[i] = static_cast<int16_t>(float_to_fp16(values[i]));
  return torch::from_blob(bits.data(), shape, torch::kInt16).clone().view(torch::kFloat16);
}

torch::Tensor u8_tensor(const std::vector<uint8_t>& v, std::vector<int64_t> shape) {
  return torch::from_blob(const_cast<uint8_t*>(v.data()), shape, torch::kUInt8).clone();
}

const char* activation_name(ActivationQuant a) {
  switch (a) {
    case ActivationQuant::None:
      return "none";
    case ActivationQuant::DynamicInt8:
      return "int8-dynamic";
    case ActivationQuant::StaticInt8:
      return "int8-static";
  }
  return "none";
}

// A scheme's `activations` field; InputError for any other name.
ActivationQuant activation_from_name(const std::string& name) {
  for (ActivationQuant a :
       {ActivationQuant::None, ActivationQuant::DynamicInt8, ActivationQuant::StaticInt8})
    if (name == activation_name(a)) return a;
  throw InputError(fmt::format(
      "scheme field 'activations': expected none, int8-dynamic or int8-static, not '{}'", name));
}

std::vector<float> span_to_vector(const float* p, int64_t n) {
  return std::vector<float>(p, p + n);
}

}  // namespace

QuantizedLayer::QuantizedLayer(const CompressibleLayer& dense, const QuantizeOptions& options)
    : kind_(dense.kind()),
      geometry_(dense.geometry()),
      in_(dense.in_features()),
      out_(dense.out_features()),
      options_(options) {
  k_ = kind_ == LayerKind::Conv2d ? in_ * geometry_.kernel * geometry_.kernel : in_;
  if (!is_nibble_format(options_.format)) options_.group = 0;
  QZ_CHECK(!is_nibble_format(options_.format) || options_.group >= 1,
           "[quantize] group size must be positive");
  const bool w4a8 =
      options_.activations == ActivationQuant::DynamicInt8 &&
      (options_.format == WeightFormat::Q4Sym || options_.format == WeightFormat::Q4Asym);
  QZ_CHECK(
      options_.activations == ActivationQuant::None || options_.format == WeightFormat::I8 || w4a8,
      "[quantize] int8 activations need int8 weights, or int4-sym/int4-asym ones with "
      "dynamic activations (int4-dynamic); not {}",
      kernels::weight_format_name(options_.format));
}

void QuantizedLayer::allocate() {
  const int64_t groups =
      is_nibble_format(options_.format) ? (k_ + options_.group - 1) / options_.group : 1;
  switch (options_.format) {
    case WeightFormat::F32:
      codes_ = torch::zeros({out_, k_});
      break;
    case WeightFormat::F16:
      codes_ = torch::zeros({out_, k_}, torch::kFloat16);
      break;
    case WeightFormat::BF16:
      codes_ = torch::zeros({out_, k_}, torch::kBFloat16);
      break;
    case WeightFormat::E4M3:
    case WeightFormat::E5M2:
      codes_ = torch::zeros({out_, k_}, torch::kUInt8);
      break;
    case WeightFormat::I8:
      codes_ = torch::zeros({out_, k_}, torch::kInt8);
      break;
    case WeightFormat::Q4Sym:
    case WeightFormat::Q4Asym:
    case WeightFormat::Q4F16Zero:
    case WeightFormat::NF4:
      codes_ = torch::zeros({out_, (k_ + 1) / 2}, torch::kUInt8);
      break;
  }
  register_buffer(is_nibble_format(options_.format) ? "weight_packed" : "weight", codes_);
  if (is_fp8(options_.format) || options_.format == WeightFormat::I8)
    scales_ = register_buffer("weight_scale", torch::ones({out_, 1}, torch::kFloat16));
  if (is_nibble_format(options_.format))
    scales_ = register_buffer("weight_scale", torch::ones({out_, groups}, torch::kFloat16));
  if (options_.format == WeightFormat::Q4Asym)
    zeros_ = register_buffer("weight_zero_point", torch::zeros({out_, groups}, torch::kUInt8));
  if (options_.format == WeightFormat::Q4F16Zero)
    zeros_ = register_buffer("weight_zero_point", torch::zeros({out_, groups}, torch::kFloat16));
  if (options_.activations == ActivationQuant::StaticInt8) {
    input_scale_ = register_buffer("input_scale", torch::full({1}, options_.input_scale));
    input_zero_point_ = register_buffer("input_zero_point",
                                        torch::full({1}, options_.input_zero_point, torch::kInt32));
  }
}

std::shared_ptr<QuantizedLayer> QuantizedLayer::quantize(const CompressibleLayer& dense,
                                                         const QuantizeOptions& options) {
  std::shared_ptr<QuantizedLayer> q(new QuantizedLayer(dense, options));
  q->allocate();
  const torch::Tensor w =
      dense.dense_weight().detach().reshape({q->out_, q->k_}).contiguous().to(torch::kFloat32);
  const std::span<const float> wv(w.data_ptr<float>(), static_cast<size_t>(w.numel()));
  RangeOptions range;
  range.rule = parse_range_rule(options.range);
  range.percentile = options.percentile;
  const int64_t n = q->out_, k = q->k_;
  torch::NoGradGuard guard;
  switch (options.format) {
    case WeightFormat::F32:
      q->codes_.copy_(w);
      break;
    case WeightFormat::F16:
      q->codes_.copy_(fp16_tensor(span_to_vector(wv.data(), n * k), {n, k}));
      break;
    case WeightFormat::BF16: {
      std::vector<int16_t> bits(n * k);
      for (int64_t i = 0; i < n * k; ++i) bits[i] = static_cast<int16_t>(float_to_bf16(wv[i]));
      q->codes_.copy_(torch::from_blob(bits.data(), {n, k}, torch::kInt16).view(torch::kBFloat16));
      break;
    }
    case WeightFormat::E4M3:
    case WeightFormat::E5M2: {
      // Per-channel scale maps each row's absmax to the format's largest value.
      const MiniFloat f = options.format == WeightFormat::E4M3 ? MiniFloat::E4M3 : MiniFloat::E5M2;
      std::vector<uint8_t> codes(n * k);
      std::vector<float> scales(n);
      for (int64_t r = 0; r < n; ++r) {
        float absmax = 0;
        for (int64_t c = 0; c < k; ++c) absmax = std::fmax(absmax, std::fabs(wv[r * k + c]));
        float scale = round_to_fp16(absmax / minifloat_max(f));
        if (!(scale > 0)) scale = 1.0f;
        scales[r] = scale;
        for (int64_t c = 0; c < k; ++c)
          codes[r * k + c] = static_cast<uint8_t>(encode_minifloat(wv[r * k + c] / scale, f));
      }
      q->codes_.copy_(u8_tensor(codes, {n, k}));
      q->scales_.copy_(fp16_tensor(scales, {n, 1}));
      break;
    }
    case WeightFormat::I8: {
      q->store_codes(
          quantize_groups(wv, n, k, k, GridKind::SymmetricSigned, 8, range, round_to_fp16));
      break;
    }
    case WeightFormat::Q4F16Zero:
      throw InputError("[quantize] int4-f16zero codes come from HQQ: use --method hqq");
    case WeightFormat::Q4Sym:
    case WeightFormat::Q4Asym:
    case WeightFormat::NF4: {
      q->store_codes(options.format == WeightFormat::NF4
                         ? quantize_nf4(wv, n, k, options.group)
                         : quantize_groups(wv, n, k, options.group,
                                           options.format == WeightFormat::Q4Sym
                                               ? GridKind::SymmetricOffset
                                               : GridKind::Affine,
                                           4, range, round_to_fp16));
      break;
    }
  }
  q->copy_bias(dense);
  return q;
}

std::shared_ptr<QuantizedLayer> QuantizedLayer::from_codes(const CompressibleLayer& dense,
                                                           const GroupCodes& g, GridKind kind,
                                                           int bits) {
  QuantizeOptions o;
  o.bits = bits;
  o.group = g.group;
  if (bits > 4) {
    QZ_ASSERT(kind == GridKind::SymmetricSigned && g.groups() == 1, "int8 codes need row grids");
    o.format = WeightFormat::I8;
  } else if (g.has_fractional_zeros()) {
    QZ_ASSERT(kind == GridKind::Affine, "fractional zero points need an affine grid");
    o.format = WeightFormat::Q4F16Zero;
  } else {
    o.format =
        bits == 4 && kind == GridKind::SymmetricOffset ? WeightFormat::Q4Sym : WeightFormat::Q4Asym;
  }
  std::shared_ptr<QuantizedLayer> q(new QuantizedLayer(dense, o));
  q->allocate();
  q->store_codes(g);
  q->copy_bias(dense);
  return q;
}

void QuantizedLayer::store_codes(const GroupCodes& g) {
  const int64_t n = out_, k = k_;
  QZ_ASSERT(g.rows == n && g.cols == k, "codes shape [{}, {}] for a [{}, {}] layer", g.rows, g.cols,
            n, k);
  torch::NoGradGuard guard;
  if (options_.format == WeightFormat::I8) {
    codes_.copy_(u8_tensor(g.codes, {n, k}).view(torch::kInt8));
    scales_.copy_(fp16_tensor(g.scales, {n, 1}));
    return;
  }
  codes_.copy_(u8_tensor(pack_nibbles(g.codes, n, k), {n, (k + 1) / 2}));
  scales_.copy_(fp16_tensor(g.scales, {n, g.groups()}));
  if (options_.format == WeightFormat::Q4Asym) {
    std::vector<uint8_t> z(g.zeros.begin(), g.zeros.end());
    zeros_.copy_(u8_tensor(z, {n, g.groups()}));
  }
  if (options_.format == WeightFormat::Q4F16Zero)
    zeros_.copy_(fp16_tensor(g.fractional_zeros, {n, g.groups()}));
}

void QuantizedLayer::copy_bias(const CompressibleLayer& dense) {
  const torch::Tensor bias = dense.dense_bias();
  if (bias.defined()) bias_ = register_buffer("bias", bias.detach().clone().to(torch::kFloat32));
}

std::shared_ptr<QuantizedLayer> QuantizedLayer::for_scheme(const nlohmann::json& scheme,
                                                           const CompressibleLayer& dense) {
  const std::string format = scheme.at("format").get<std::string>();
  const std::string acts = scheme.value("activations", std::string("none"));
  const bool int4 = format == "int4-sym" || format == "int4-asym" || format == "int4-f16zero";
  // The weights' format and the activations' grid are two fields: the constructor says which
  // pairs the kernels take.
  QuantizeOptions o = options_for_method(int4 ? std::string("int4") : format,
                                         scheme.value("group", int64_t{128}), format == "int4-sym");
  if (format == "int4-f16zero") o.format = WeightFormat::Q4F16Zero;
  o.activations = activation_from_name(acts);
  if (scheme.contains("bits"))  // checked in after_load, where the file's name is known
    o.bits = scheme["bits"].is_number_integer() ? scheme["bits"].get<int>() : -1;
  std::shared_ptr<QuantizedLayer> q(new QuantizedLayer(dense, o));
  q->allocate();
  if (dense.dense_bias().defined()) q->bias_ = q->register_buffer("bias", torch::zeros({q->out_}));
  return q;
}

void QuantizedLayer::after_load(const std::string& where) {
  const int bits = options_.bits;
  if (bits == 0) return;
  const bool nibbles = is_nibble_format(options_.format) && options_.format != WeightFormat::NF4;
  QZ_CHECK((nibbles && bits >= 2 && bits <= 4) ||
               (options_.format == WeightFormat::I8 && bits >= 2 && bits <= 8),
           "{}: scheme field 'bits': expected an integer from 2 to {} for {} storage", where,
           nibbles ? 4 : 8, kernels::weight_format_name(options_.format));
}

kernels::PackedWeightView QuantizedLayer::view() const {
  kernels::PackedWeightView v;
  v.format = options_.format;
  v.n = out_;
  v.k = k_;
  v.group = is_nibble_format(options_.format) ? options_.group : k_;
  v.data = codes_.data_ptr();
  v.scales = scales_.defined() ? scales_.data_ptr() : nullptr;
  v.zeros = zeros_.defined() ? zeros_.data_ptr() : nullptr;
  return v;
}

torch::Tensor QuantizedLayer::dense_weight() const {
  auto w = torch::empty({out_, k_});
  kernels::dequantize_rows_ref(view(), 0, out_, w.data_ptr<float>());
  if (kind_ == LayerKind::Conv2d) return w.view({out_, in_, geometry_.kernel, geometry_.kernel});
  return w;
}

void QuantizedLayer::prepare_int8() {
  if (row_sums_.defined()) return;
  if (is_nibble_format(options_.format)) {  // int4-dynamic: the zero-point offsets per row
    kernels::Q4Weights w = q4_weights();
    row_sums_ = torch::empty({out_});
    kernels::q4_row_offsets(w, row_sums_.data_ptr<float>());
    return;
  }
  float_scales_ = scales_.to(torch::kFloat32).contiguous();
  row_sums_ = torch::empty({out_}, torch::kInt32);
  kernels::weight_row_sums_ref(codes_.data_ptr<int8_t>(), out_, k_, row_sums_.data_ptr<int32_t>());
}

kernels::Q4Weights QuantizedLayer::q4_weights() const {
  return {codes_.data_ptr<uint8_t>(),
          reinterpret_cast<const uint16_t*>(scales_.data_ptr()),
          options_.format == WeightFormat::Q4Asym ? zeros_.data_ptr<uint8_t>() : nullptr,
          nullptr,
          out_,
          k_,
          options_.group};
}

const kernels::VnniPackedWeights* QuantizedLayer::packed_int8() {
  if (!kernels::wants_packed_s8(kernels::active_isa())) return nullptr;
  if (packed_.empty()) packed_ = kernels::VnniPackedWeights(codes_.data_ptr<int8_t>(), out_, k_);
  return &packed_;
}

torch::Tensor QuantizedLayer::matmul(const torch::Tensor& x2d) {
  const torch::Tensor x = x2d.contiguous().to(torch::kFloat32);
  const int64_t m = x.size(0);
  auto y = torch::empty({m, out_});
  const kernels::Epilogue fused = epilogue(bias_);
  if (options_.activations == ActivationQuant::None) {
    kernels::matmul_f32(x.data_ptr<float>(), m, view(), fused, y.data_ptr<float>());
    return y;
  }
  prepare_int8();
  // Plain buffers, not tensors: at batch 1 a small layer's product takes a few microseconds, as
  // long as three tensor allocations and two element reads through the dispatcher.
  thread_local std::vector<uint8_t> xq;
  thread_local std::vector<float> sx;
  thread_local std::vector<int32_t> zx;
  xq.resize(static_cast<size_t>(m * k_));
  sx.resize(static_cast<size_t>(m));
  zx.resize(static_cast<size_t>(m));
  const bool per_row = options_.activations == ActivationQuant::DynamicInt8;
  if (per_row) {
    kernels::quantize_rows_u8(x.data_ptr<float>(), m, k_, xq.data(), sx.data(), zx.data());
  } else {
    sx[0] = input_scale_.data_ptr<float>()[0];
    zx[0] = input_zero_point_.data_ptr<int32_t>()[0];
    kernels::quantize_fixed_u8(x.data_ptr<float>(), m * k_, sx[0], zx[0], xq.data());
  }
  const kernels::U8Activations xa{xq.data(), sx.data(), zx.data(), per_row, m};
  if (is_nibble_format(options_.format)) {  // int4-dynamic (W4A8)
    kernels::Q4Weights wa = q4_weights();
    wa.row_offsets = row_sums_.data_ptr<float>();
    kernels::gemm_q4u8_f32(xa, wa, fused, y.data_ptr<float>());
    return y;
  }
  kernels::S8Weights wa{codes_.data_ptr<int8_t>(),
                        float_scales_.data_ptr<float>(),
                        row_sums_.data_ptr<int32_t>(),
                        out_,
                        k_,
                        packed_int8()};
  kernels::gemm_u8s8_f32(xa, wa, fused, y.data_ptr<float>());
  return y;
}

torch::Tensor QuantizedLayer::forward(const torch::Tensor& x) {
  torch::NoGradGuard guard;
  return forward_through_rows(*this, x, [this](const torch::Tensor& rows) { return matmul(rows); });
}

nlohmann::json QuantizedLayer::scheme() const {
  nlohmann::json j = {{"format", kernels::weight_format_name(options_.format)},
                      {"activations", activation_name(options_.activations)}};
  if (is_nibble_format(options_.format)) j["group"] = options_.group;
  if (options_.format == WeightFormat::Q4Sym || options_.format == WeightFormat::Q4Asym ||
      options_.format == WeightFormat::Q4F16Zero || options_.format == WeightFormat::I8) {
    j["bits"] = options_.bits > 0 ? options_.bits : options_.format == WeightFormat::I8 ? 8 : 4;
    j["symmetric"] = options_.format == WeightFormat::Q4Sym || options_.format == WeightFormat::I8;
    j["range"] = options_.range;
  }
  return j;
}

int64_t QuantizedLayer::weight_bytes() const {
  int64_t bytes = codes_.numel() * codes_.element_size();
  for (const auto* t : {&scales_, &zeros_, &input_scale_, &input_zero_point_})
    if (t->defined()) bytes += t->numel() * t->element_size();
  return bytes;
}

std::vector<std::pair<std::string, io::Dtype>> QuantizedLayer::file_dtypes() const {
  if (options_.format == WeightFormat::E4M3) return {{"weight", io::Dtype::F8_E4M3}};
  if (options_.format == WeightFormat::E5M2) return {{"weight", io::Dtype::F8_E5M2}};
  return {};
}

QuantizeOptions options_for_method(const std::string& method, int64_t group, bool symmetric) {
  QuantizeOptions o;
  o.group = group;
  if (method == "fp16")
    o.format = WeightFormat::F16;
  else if (method == "bf16")
    o.format = WeightFormat::BF16;
  else if (method == "fp8-e4m3")
    o.format = WeightFormat::E4M3;
  else if (method == "fp8-e5m2")
    o.format = WeightFormat::E5M2;
  else if (method == "int8")
    o.format = WeightFormat::I8;
  else if (method == "int8-dynamic")
    o = {WeightFormat::I8, ActivationQuant::DynamicInt8, group};
  else if (method == "int8-static")
    o = {WeightFormat::I8, ActivationQuant::StaticInt8, group};
  else if (method == "int4")
    o.format = symmetric ? WeightFormat::Q4Sym : WeightFormat::Q4Asym;
  else if (method == "int4-dynamic")
    o = {symmetric ? WeightFormat::Q4Sym : WeightFormat::Q4Asym, ActivationQuant::DynamicInt8,
         group};
  else if (method == "nf4")
    o.format = WeightFormat::NF4;
  else
    throw InputError(
        fmt::format("[quantize] unknown method '{}' (expected fp16, bf16, fp8-e4m3, fp8-e5m2, "
                    "int8, int8-dynamic, int8-static, int4, int4-dynamic or nf4)",
                    method));
  return o;
}

void register_quantized_formats() {
  static const bool registered = [] {
    for (const char* f : {"fp16", "bf16", "fp8-e4m3", "fp8-e5m2", "int8", "int4-sym", "int4-asym",
                          "int4-f16zero", "nf4"})
      register_layer_format(
          f, [](const nlohmann::json& scheme, const CompressibleLayer& dense) -> LayerPtr {
            return QuantizedLayer::for_scheme(scheme, dense);
          });
    return true;
  }();
  (void)registered;
}

}  // namespace qz::nn
