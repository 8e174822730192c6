#include "nn/layer_formats.h"

#include "nn/low_rank_layer.h"
#include "nn/quantized_layer.h"
#include "nn/sparse_layer.h"

namespace qz::nn {

void register_builtin_layer_formats() {
  register_quantized_formats();
  register_sparse_format();
  register_low_rank_format();
}

}  // namespace qz::nn
