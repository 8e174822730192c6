#include "nn/sparse_layer.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/nm_pattern.h"
#include "kernels/sparse/sparse_matmul.h"
#include "nn/matmul_layer_forward.h"
#include "nn/model_file.h"

namespace qz::nn {
namespace {

int64_t flat_k(const CompressibleLayer& layer) {
  const int64_t k = layer.geometry().kernel;
  return layer.kind() == LayerKind::Conv2d ? layer.in_features() * k * k : layer.in_features();
}

// bool [N, K] → U8 [N, ceil(K/8)], bit c % 8 of byte c / 8.
torch::Tensor pack_bits(const torch::Tensor& keep) {
  const int64_t n = keep.size(0), k = keep.size(1), bytes = (k + 7) / 8;
  auto padded = torch::zeros({n, bytes * 8}, torch::kUInt8);
  padded.narrow(1, 0, k).copy_(keep.to(torch::kUInt8));
  const auto weights = torch::tensor({1, 2, 4, 8, 16, 32, 64, 128}, torch::kInt32);
  return (padded.view({n, bytes, 8}).to(torch::kInt32) * weights).sum(-1).to(torch::kUInt8);
}

// U8 [N, bytes] → bool [N, K].
torch::Tensor unpack_bits(const torch::Tensor& mask, int64_t k) {
  const auto shifts = torch::arange(8, torch::kInt32);
  const auto bits = mask.to(torch::kInt32).unsqueeze(-1).bitwise_right_shift(shifts).bitwise_and(1);
  return bits.reshape({mask.size(0), -1}).narrow(1, 0, k).to(torch::kBool);
}

// Whether every row keeps at most n of each m consecutive columns.
bool fits_nm(const torch::Tensor& keep, int64_t n, int64_t m) {
  const int64_t rows = keep.size(0), k = keep.size(1), windows = (k + m - 1) / m;
  auto padded = torch::zeros({rows, windows * m}, torch::kInt32);
  padded.narrow(1, 0, k).copy_(keep.to(torch::kInt32));
  return padded.view({rows, windows, m}).sum(-1).max().item<int64_t>() <= n;
}

}  // namespace

SparseLayer::SparseLayer(const CompressibleLayer& dense, std::string pattern, int64_t nnz)
    : kind_(dense.kind()),
      geometry_(dense.geometry()),
      in_(dense.in_features()),
      out_(dense.out_features()),
      k_(flat_k(dense)),
      pattern_(std::move(pattern)) {
  if (pattern_ != "unstructured") parse_nm_pattern(pattern_, "[sparse]");
  mask_ = register_buffer("weight_mask", torch::zeros({out_, (k_ + 7) / 8}, torch::kUInt8));
  values_ = register_buffer("weight_values", torch::zeros({nnz}));
  if (dense.dense_bias().defined()) bias_ = register_buffer("bias", torch::zeros({out_}));
}

std::shared_ptr<SparseLayer> SparseLayer::pack(const CompressibleLayer& dense,
                                               const torch::Tensor& keep,
                                               const std::string& pattern) {
  torch::NoGradGuard guard;
  const int64_t k = flat_k(dense);
  const torch::Tensor w = dense.dense_weight().detach().reshape({dense.out_features(), k});
  const torch::Tensor kept = keep.reshape({dense.out_features(), k}).to(torch::kBool);
  if (pattern != "unstructured") {
    const auto [n, m] = parse_nm_pattern(pattern, "[sparse]");
    QZ_ASSERT(fits_nm(kept, n, m), "[sparse] mask does not follow the {} pattern", pattern);
  }
  std::shared_ptr<SparseLayer> layer(new SparseLayer(dense, pattern, kept.sum().item<int64_t>()));
  layer->mask_.copy_(pack_bits(kept));
  layer->values_.copy_(w.masked_select(kept).to(torch::kFloat32));
  if (layer->bias_.defined()) layer->bias_.copy_(dense.dense_bias().detach());
  layer->derive_offsets();
  return layer;
}

std::shared_ptr<SparseLayer> SparseLayer::for_scheme(const nlohmann::json& scheme,
                                                     const CompressibleLayer& dense) {
  const std::string where = "[sparse] scheme";
  QZ_CHECK(scheme.contains("nnz") && scheme["nnz"].is_number_integer(),
           "{}: field 'nnz': expected an integer", where);
  const int64_t nnz = scheme["nnz"].get<int64_t>();
  QZ_CHECK(nnz >= 0 && nnz <= dense.out_features() * flat_k(dense),
           "{}: field 'nnz': {} is not between 0 and the weight's {} elements", where, nnz,
           dense.out_features() * flat_k(dense));
  QZ_CHECK(scheme.contains("pattern") && scheme["pattern"].is_string(),
           "{}: field 'pattern': expected \"unstructured\" or \"N:M\"", where);
  const std::string pattern = scheme["pattern"];
  if (pattern != "unstructured") parse_nm_pattern(pattern, where + " field 'pattern'");
  return std::shared_ptr<SparseLayer>(new SparseLayer(dense, pattern, nnz));
}

void SparseLayer::after_load(const std::string& where) {
  torch::NoGradGuard guard;
  const torch::Tensor keep = keep_mask();
  const int64_t kept = keep.sum().item<int64_t>();
  QZ_CHECK(kept == nnz(), "{}: weight_mask keeps {} weights but weight_values holds {}", where,
           kept, nnz());
  QZ_CHECK(pack_bits(keep).equal(mask_), "{}: weight_mask sets padding bits past column {}", where,
           k_);
  if (pattern_ != "unstructured") {
    const auto [n, m] = parse_nm_pattern(pattern_, where);
    QZ_CHECK(fits_nm(keep, n, m), "{}: weight_mask keeps more than {} of {} columns somewhere",
             where, n, m);
  }
  derive_offsets();
}

void SparseLayer::derive_offsets() {
  offsets_ = kernels::sparse_row_offsets(mask_.data_ptr<uint8_t>(), out_, k_);
}

torch::Tensor SparseLayer::keep_mask() const {
  return unpack_bits(mask_, k_);
}

torch::Tensor SparseLayer::dense_weight() const {
  torch::NoGradGuard guard;
  auto w = torch::zeros({out_, k_});
  w.masked_scatter_(keep_mask(), values_);
  if (kind_ == LayerKind::Conv2d) return w.view({out_, in_, geometry_.kernel, geometry_.kernel});
  return w;
}

torch::Tensor SparseLayer::matmul(const torch::Tensor& rows) {
  const torch::Tensor x = rows.to(torch::kFloat32).contiguous();
  const int64_t m = x.size(0);
  auto y = torch::empty({m, out_});
  const kernels::Epilogue fused = epilogue(bias_);
  const kernels::SparseWeightView view{out_, k_, mask_.data_ptr<uint8_t>(),
                                       values_.data_ptr<float>(), offsets_.data()};
  kernels::sparse_matmul_f32(x.data_ptr<float>(), m, view, fused, y.data_ptr<float>());
  return y;
}

torch::Tensor SparseLayer::forward(const torch::Tensor& x) {
  torch::NoGradGuard guard;
  return forward_through_rows(*this, x, [this](const torch::Tensor& rows) { return matmul(rows); });
}

nlohmann::json SparseLayer::scheme() const {
  const double total = static_cast<double>(out_ * k_);
  return {{"format", "sparse"},
          {"pattern", pattern_},
          {"nnz", nnz()},
          {"sparsity", total > 0 ? 1.0 - static_cast<double>(nnz()) / total : 0.0}};
}

int64_t SparseLayer::weight_bytes() const {
  return mask_.numel() + values_.numel() * 4;
}

void register_sparse_format() {
  static const bool registered = [] {
    register_layer_format(
        "sparse", [](const nlohmann::json& scheme, const CompressibleLayer& dense) -> LayerPtr {
          return SparseLayer::for_scheme(scheme, dense);
        });
    return true;
  }();
  (void)registered;
}

}  // namespace qz::nn
