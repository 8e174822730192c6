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

}  // namespace qz::nn
