// Every compressed layer format the model-file reader knows, registered in one place.
#pragma once

namespace qz::nn {

// Registers the loaders of the quantized, sparse and low-rank layer formats (idempotent).
void register_builtin_layer_formats();

}  // namespace qz::nn
