// Conversions between LibTorch tensors and the raw, typed bytes of a safetensors file.
#pragma once

#include <torch/torch.h>

#include <span>

#include "io/safetensors.h"

namespace qz::nn {

// The safetensors dtype that stores a torch dtype; InternalError for dtypes we never save.
io::Dtype to_file_dtype(torch::ScalarType type);
// The torch dtype that holds a file dtype (FP8 codes load as uint8).
torch::ScalarType to_torch_dtype(io::Dtype dtype);

// A named tensor's bytes (contiguous copy); `as` overrides the dtype label (e.g. FP8 codes).
io::TensorData to_tensor_data(const std::string& name, const torch::Tensor& tensor,
                              std::optional<io::Dtype> as = std::nullopt);
// A tensor owning a copy of a file tensor's bytes.
torch::Tensor from_file(const io::SafetensorsFile& file, const io::TensorInfo& info);
// Copies a file tensor into `dst` (same shape), converting its dtype on the way (BF16 → F32)
// straight from the mapped bytes, without an intermediate copy of the file's tensor.
void copy_from_file(torch::Tensor& dst, const io::SafetensorsFile& file,
                    const io::TensorInfo& info);

// InputError "<where>: N non-finite value(s) ..." when a floating-point tensor holds NaN or Inf
// (one poisons every output and every calibration statistic downstream).
void require_finite(const torch::Tensor& t, const std::string& where);

}  // namespace qz::nn
