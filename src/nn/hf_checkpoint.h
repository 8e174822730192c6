// Hugging Face checkpoint folders read as models (io/hf_config.h has the layout): the config
// mapped to our transformer, every tensor read from its shard under its Hugging Face name into
// ours, converted from BF16/F16/F32 tensor by tensor straight from the mapped shard. A folder
// must hold exactly the tensors its architecture has: a missing, extra, duplicated, misshapen,
// mistyped or non-finite tensor is an InputError naming the file and the tensor.
#pragma once

#include <string>

#include "nn/model_file.h"

namespace qz::nn {

// Loads the checkpoint folder `dir`. Provenance records {"source": "huggingface",
// "architecture", "torch_dtype", "checkpoint": dir}.
ModelFile load_hf_checkpoint(const std::string& dir);

}  // namespace qz::nn
