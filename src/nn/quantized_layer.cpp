#include "nn/quantized_layer.h"

#include <cstring>
#include <mutex>
#include <set>
#include <vector>

#include "core/error.h"
#include "core/group_quant.h"
#include "core/int_grid.h"
#include "io/quantize_methods.h"
#include "kernels/dequant/dequantize.h"
#include "kernels/format_table.h"
#include "kernels/gemm_q4_u8/gemm_q4_u8.h"
#include "kernels/gemm_u8s8/gemm_u8s8.h"
#include "kernels/matmul/matmul.h"
#include "nn/matmul_layer_forward.h"
#include "nn/model_file.h"

namespace qz::nn {
namespace {

using kernels::WeightFormat;

// The torch dtype holding a stored tensor of safetensors dtype `dtype` (FP8 codes as bytes).
torch::Dtype torch_dtype(const std::string& dtype) {
  if (dtype == "F32") return torch::kFloat32;
  if (dtype == "F16") return torch::kFloat16;
  if (dtype == "BF16") return torch::kBFloat16;
  if (dtype == "I8") return torch::kInt8;
  return torch::kUInt8;
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

}  // namespace

QuantizedLayer::QuantizedLayer(const CompressibleLayer& dense, const QuantizeOptions& options)
    : kind_(dense.kind()),
      geometry_(dense.geometry()),
      in_(dense.in_features()),
      out_(dense.out_features()),
      options_(options) {
  k_ = kind_ == LayerKind::Conv2d ? in_ * geometry_.kernel * geometry_.kernel : in_;
  const kernels::FormatLayout layout = kernels::layout(options_.format);
  if (!kernels::is_grouped_format(options_.format)) options_.group = 0;
  if (layout.fixed_group > 0 && options_.group == 0) options_.group = layout.fixed_group;
  QZ_CHECK(!kernels::is_grouped_format(options_.format) || options_.group >= 1,
           "[quantize] group size must be positive");
  QZ_CHECK(layout.fixed_group == 0 || options_.group == layout.fixed_group,
           "[quantize] {} blocks are {} weights by definition, not {}",
           kernels::weight_format_name(options_.format), layout.fixed_group, options_.group);
  // The W4A8 kernel (kernels/gemm_q4_u8) takes integer nibbles with integer zero points.
  const bool w4a8 =
      options_.activations == ActivationQuant::DynamicInt8 &&
      layout.codes == kernels::CodeKind::IntNibble &&
      (layout.zeros == kernels::ZeroKind::Implicit8 || layout.zeros == kernels::ZeroKind::GroupU8);
  QZ_CHECK(
      options_.activations == ActivationQuant::None || options_.format == WeightFormat::I8 || w4a8,
      "[quantize] int8 activations need int8 weights, or int4-sym/int4-asym ones with "
      "dynamic activations (int4-dynamic); not {}",
      kernels::weight_format_name(options_.format));
}

void QuantizedLayer::allocate() {
  const int64_t groups = options_.group > 0 ? (k_ + options_.group - 1) / options_.group : 1;
  for (const kernels::StoredTensor& t : kernels::stored_tensors(options_.format)) {
    torch::Tensor& member = t.name == "weight_scale"        ? scales_
                            : t.name == "weight_zero_point" ? zeros_
                                                            : codes_;
    member = register_buffer(t.name, torch::zeros(t.dims(out_, k_, groups), torch_dtype(t.dtype)));
  }
  if (options_.activations == ActivationQuant::StaticInt8) {
    input_scale_ = register_buffer("input_scale", torch::full({1}, options_.input_scale));
    input_zero_point_ = register_buffer("input_zero_point",
                                        torch::full({1}, options_.input_zero_point, torch::kInt32));
  }
}

void QuantizedLayer::store(const kernels::StoredWeights& s) {
  torch::NoGradGuard guard;
  auto fill = [](torch::Tensor& t, const std::vector<uint8_t>& bytes, const char* what) {
    if (!t.defined()) return;
    const size_t size = static_cast<size_t>(t.numel() * t.element_size());
    QZ_ASSERT(bytes.size() == size, "{}: {} bytes for a {}-byte tensor", what, bytes.size(), size);
    std::memcpy(t.data_ptr(), bytes.data(), size);
  };
  fill(codes_, s.codes, "codes");
  fill(scales_, s.scales, "scales");
  fill(zeros_, s.zeros, "zero points");
}

std::shared_ptr<QuantizedLayer> QuantizedLayer::quantize(const CompressibleLayer& dense,
                                                         const QuantizeOptions& options) {
  std::shared_ptr<QuantizedLayer> q(new QuantizedLayer(dense, options));
  const kernels::FormatRow& row = kernels::format_row(q->options_.format);
  QZ_CHECK(row.quantize != nullptr, "[quantize] {} codes come from HQQ: use --method hqq",
           row.name);
  q->allocate();
  const torch::Tensor w =
      dense.dense_weight().detach().reshape({q->out_, q->k_}).contiguous().to(torch::kFloat32);
  kernels::QuantizeSettings settings;
  settings.group = q->options_.group;
  settings.range.rule = parse_range_rule(options.range);
  settings.range.percentile = options.percentile;
  q->store(row.quantize({w.data_ptr<float>(), static_cast<size_t>(w.numel())}, q->out_, q->k_,
                        settings));
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
  QZ_ASSERT(g.rows == q->out_ && g.cols == q->k_, "codes shape [{}, {}] for a [{}, {}] layer",
            g.rows, g.cols, q->out_, q->k_);
  q->allocate();
  q->store(kernels::store_group_codes(o.format, g));
  q->copy_bias(dense);
  return q;
}

void QuantizedLayer::copy_bias(const CompressibleLayer& dense) {
  const torch::Tensor bias = dense.dense_bias();
  if (bias.defined()) bias_ = register_buffer("bias", bias.detach().clone().to(torch::kFloat32));
}

std::shared_ptr<QuantizedLayer> QuantizedLayer::for_scheme(const nlohmann::json& scheme,
                                                           const CompressibleLayer& dense) {
  const std::string format = scheme.at("format").get<std::string>();
  const kernels::FormatRow* row = kernels::find_format_row(format);
  QZ_CHECK(row != nullptr, "scheme field 'format': unknown format '{}'", format);
  // The weights' format and the activations' grid are two fields: the constructor says which
  // pairs the kernels take.
  QuantizeOptions o;
  o.format = row->format;
  o.group = scheme.value("group", int64_t{128});
  if (kernels::layout(o.format).fixed_group > 0 && !scheme.contains("group")) o.group = 0;
  o.activations = activation_from_name(scheme.value("activations", std::string("none")));
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
  const kernels::FormatRow& row = kernels::format_row(options_.format);
  QZ_CHECK(row.grid_bits > 0, "{}: scheme field 'bits': {} codes have no integer bit width", where,
           row.name);
  QZ_CHECK(bits >= 2 && bits <= row.grid_bits,
           "{}: scheme field 'bits': expected an integer from 2 to {} for {} storage", where,
           row.grid_bits, row.name);
}

kernels::PackedWeightView QuantizedLayer::view() const {
  kernels::PackedWeightView v;
  v.format = options_.format;
  v.n = out_;
  v.k = k_;
  v.group = kernels::is_grouped_format(options_.format) ? options_.group : k_;
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
  if (kernels::is_nibble_format(options_.format)) {  // int4-dynamic: the zero-point offsets per row
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

void QuantizedLayer::warn_if_reference() {
  if (warned_) return;
  warned_ = true;
  const std::string reason = reference_reason();
  if (reason.empty()) return;
  // Once per reason in a process: a model has many layers of the same scheme.
  static std::mutex mutex;
  static std::set<std::string> said;
  std::lock_guard<std::mutex> lock(mutex);
  if (said.insert(reason).second)
    fmt::print(stderr, "warning: {} runs the scalar reference kernel ({})\n", kernel_name(),
               reason);
}

std::string QuantizedLayer::reference_reason() const {
  const kernels::Isa isa = kernels::active_isa();
  if (isa == kernels::Isa::Ref) return "";
  const std::string name = kernels::weight_format_name(options_.format);
  if (options_.activations == ActivationQuant::None) {
    if (kernels::has_fast_matmul(view())) return "";
    return fmt::format("{} with group {}: the vector kernels need groups that are a multiple of 32",
                       name, options_.group);
  }
  if (!kernels::is_nibble_format(options_.format)) return "";  // u8×s8 GEMM on every level
  if (kernels::gemm_q4u8_has_fast_kernel(isa, options_.group)) return "";
  return fmt::format(
      "{} with int8 activations and group {}: the W4A8 kernels take groups of 32, 64 or a "
      "multiple of 128",
      name, options_.group);
}

std::string QuantizedLayer::kernel_name() const {
  const kernels::Isa isa = kernels::active_isa();
  std::string weights = kernels::weight_format_name(options_.format);
  std::erase(weights, '-');
  if (kernels::is_grouped_format(options_.format)) weights += fmt::format("g{}", options_.group);
  const bool reference = isa == kernels::Isa::Ref || !reference_reason().empty();
  const bool integer = options_.activations != ActivationQuant::None;
  std::string level = reference ? "ref" : kernels::isa_name(isa);
  if (integer && !reference && isa == kernels::Isa::Avx512) level = "avx512vnni";
  return fmt::format("{}_{}_f32_{}__{}", integer ? "u8" : "f32",
                     integer && options_.format == WeightFormat::I8 ? "s8" : weights,
                     integer ? "gemm" : "matmul", level);
}

torch::Tensor QuantizedLayer::matmul(const torch::Tensor& x2d) {
  warn_if_reference();
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
  if (kernels::is_nibble_format(options_.format)) {  // int4-dynamic (W4A8)
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
  const kernels::FormatRow& row = kernels::format_row(options_.format);
  nlohmann::json j = {{"format", row.name}, {"activations", activation_name(options_.activations)}};
  if (kernels::is_grouped_format(options_.format)) j["group"] = options_.group;
  if (row.grid_bits > 0) {
    j["bits"] = options_.bits > 0 ? options_.bits : row.grid_bits;
    j["symmetric"] = row.symmetric;
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
  // Tensors whose file dtype has no torch dtype of its own (FP8 codes are held as bytes).
  std::vector<std::pair<std::string, io::Dtype>> out;
  for (const kernels::StoredTensor& t : kernels::stored_tensors(options_.format))
    if (torch_dtype(t.dtype) == torch::kUInt8 && t.dtype != "U8")
      out.emplace_back(t.name, *io::parse_dtype(t.dtype));
  return out;
}

std::vector<LayerKernel> quantized_layer_kernels(const Model& model) {
  std::vector<LayerKernel> out;
  for (const auto& slot : model.layers())
    if (const auto* q = dynamic_cast<const QuantizedLayer*>(slot.get().get()))
      out.push_back({slot.name(), q->kernel_name(), q->reference_reason()});
  return out;
}

QuantizeOptions options_for_method(const std::string& method, int64_t group, bool symmetric) {
  const io::QuantizeMethod* m = io::find_quantize_method(method);
  if (m == nullptr)
    throw InputError(fmt::format("[quantize] unknown method '{}' (expected {})", method,
                                 fmt::join(io::quantize_methods(), ", ")));
  QuantizeOptions o;
  o.format = symmetric ? m->symmetric_format : m->format;
  o.activations = activation_from_name(m->activations);
  o.group = m->group_for(group);
  return o;
}

void register_quantized_formats() {
  static const bool registered = [] {
    for (const kernels::FormatRow* row : kernels::all_format_rows()) {
      if (row->format == WeightFormat::F32) continue;  // dense layers' own scheme
      register_layer_format(
          row->name, [](const nlohmann::json& scheme, const CompressibleLayer& dense) -> LayerPtr {
            return QuantizedLayer::for_scheme(scheme, dense);
          });
    }
    return true;
  }();
  (void)registered;
}

}  // namespace qz::nn
