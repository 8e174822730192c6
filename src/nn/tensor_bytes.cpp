#include "nn/tensor_bytes.h"

#include <cstring>

#include "core/error.h"

namespace qz::nn {

io::Dtype to_file_dtype(torch::ScalarType type) {
  switch (type) {
    case torch::kFloat32:
      return io::Dtype::F32;
    case torch::kFloat16:
      return io::Dtype::F16;
    case torch::kBFloat16:
      return io::Dtype::BF16;
    case torch::kFloat64:
      return io::Dtype::F64;
    case torch::kInt8:
      return io::Dtype::I8;
    case torch::kUInt8:
      return io::Dtype::U8;
    case torch::kInt16:
      return io::Dtype::I16;
    case torch::kInt32:
      return io::Dtype::I32;
    case torch::kInt64:
      return io::Dtype::I64;
    case torch::kBool:
      return io::Dtype::BOOL;
    default:
      break;
  }
  QZ_ASSERT(false, "no safetensors dtype for torch type {}", c10::toString(type));
  return io::Dtype::F32;
}

torch::ScalarType to_torch_dtype(io::Dtype dtype) {
  switch (dtype) {
    case io::Dtype::F32:
      return torch::kFloat32;
    case io::Dtype::F16:
      return torch::kFloat16;
    case io::Dtype::BF16:
      return torch::kBFloat16;
    case io::Dtype::F64:
      return torch::kFloat64;
    case io::Dtype::I8:
      return torch::kInt8;
    case io::Dtype::U8:
    case io::Dtype::F8_E4M3:
    case io::Dtype::F8_E5M2:
      return torch::kUInt8;
    case io::Dtype::I16:
      return torch::kInt16;
    case io::Dtype::I32:
      return torch::kInt32;
    case io::Dtype::I64:
      return torch::kInt64;
    case io::Dtype::BOOL:
      return torch::kBool;
    case io::Dtype::U16:
    case io::Dtype::U32:
    case io::Dtype::U64:
      break;
  }
  throw InputError(fmt::format("[model] tensors of dtype {} are not supported in model files",
                               io::dtype_name(dtype)));
}

io::TensorData to_tensor_data(const std::string& name, const torch::Tensor& tensor,
                              std::optional<io::Dtype> as) {
  const torch::Tensor t = tensor.detach().contiguous().cpu();
  io::TensorData out;
  out.name = name;
  out.dtype = as.value_or(to_file_dtype(t.scalar_type()));
  out.shape = t.sizes().vec();
  out.bytes.resize(t.numel() * t.element_size());
  if (!out.bytes.empty()) std::memcpy(out.bytes.data(), t.data_ptr(), out.bytes.size());
  return out;
}

torch::Tensor from_file(const io::SafetensorsFile& file, const io::TensorInfo& info) {
  auto t = torch::empty(info.shape, torch::TensorOptions().dtype(to_torch_dtype(info.dtype)));
  const auto bytes = file.bytes(info);
  QZ_ASSERT(bytes.size() == static_cast<size_t>(t.numel() * t.element_size()),
            "tensor '{}' byte count", info.name);
  if (!bytes.empty()) std::memcpy(t.data_ptr(), bytes.data(), bytes.size());
  return t;
}

}  // namespace qz::nn

namespace qz::nn {

void copy_from_file(torch::Tensor& dst, const io::SafetensorsFile& file,
                    const io::TensorInfo& info) {
  const std::span<const std::byte> bytes = file.bytes(info);
  const torch::ScalarType type = to_torch_dtype(info.dtype);
  const auto element = static_cast<uintptr_t>(c10::elementSize(type));
  if (reinterpret_cast<uintptr_t>(bytes.data()) % element != 0) {  // odd offsets: copy first
    dst.copy_(from_file(file, info));
    return;
  }
  // The mapping is read-only; from_blob only reads it here (copy_'s source).
  dst.copy_(torch::from_blob(const_cast<std::byte*>(bytes.data()), info.shape,
                             torch::TensorOptions().dtype(type)));
}

void require_finite(const torch::Tensor& t, const std::string& where) {
  if (!t.is_floating_point()) return;
  const auto bad = torch::logical_not(torch::isfinite(t)).flatten();
  const int64_t count = bad.sum().item<int64_t>();
  QZ_CHECK(count == 0, "{}: {} non-finite value(s) (NaN or Inf), the first at flat index {}", where,
           count, bad.nonzero()[0][0].item<int64_t>());
}

}  // namespace qz::nn
