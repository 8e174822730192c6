// 2×2 max-pool with stride 2 over NCHW planes: the pooling step of a fused CNN stage, one pass
// over the conv's output with no dispatch of its own. Odd sizes floor, NaN propagates, exactly as
// torch.max_pool2d(x, 2) does, so the folded model's outputs equal the unfused one's.
#pragma once

#include <cstdint>

namespace qz::kernels {

// x: `planes` contiguous planes of h×w; y: `planes` planes of (h/2)×(w/2). Split across the
// compute threads by planes when there is enough work.
void max_pool2x2(const float* x, int64_t planes, int64_t h, int64_t w, float* y);

}  // namespace qz::kernels
