// The optimal-brain-surgeon column walk GPTQ and SparseGPT share. Columns are visited in
// order, 128 at a time: each column is replaced by a target the algorithm picks (its quantized
// values, or the values with pruned weights zeroed), and the change, divided by U_ii, is pushed
// onto the columns still to come through row i of U (the upper Cholesky factor of H⁻¹), so
// the layer's output on the calibration inputs moves as little as possible. Within a block
// the update is immediate; later columns receive the block's errors in one matrix product
// (lazy batch update).
#pragma once

#include <torch/torch.h>

#include <functional>

namespace qz::compress {

// What an algorithm sees of the walk when it picks a column's target.
struct WalkState {
  int64_t rows = 0, cols = 0;     // W is [rows, cols]
  int64_t block_begin = 0;        // first column of the current block
  int64_t block_cols = 0;         // columns in the current block
  float* block = nullptr;         // the block's current values, [rows, block_cols]
  const float* errors = nullptr;  // the block's errors so far, [rows, block_cols]
  const float* rest = nullptr;    // W [rows, cols]: columns past the block, lazy updates pending
  const float* upper = nullptr;   // U [cols, cols]

  // The current value of W[r, c] for any column c not yet walked (within or past the block).
  float value(int64_t r, int64_t c, int64_t walked_in_block) const {
    if (c < block_begin + block_cols) return block[r * block_cols + (c - block_begin)];
    float v = rest[r * cols + c];
    for (int64_t j = 0; j < walked_in_block; ++j)
      v -= errors[r * block_cols + j] * upper[(block_begin + j) * cols + c];
    return v;
  }
};

// Called when a block starts (before its first column) and for every column i of the block
// (col = block_begin + i): writes the column's target values into target[rows].
using BlockStart = std::function<void(const WalkState&)>;
using ColumnTarget = std::function<void(const WalkState&, int64_t i, float* target)>;

// Walks w [rows, cols] (FP32, contiguous; modified) with `upper` [cols, cols]; returns the
// targets [rows, cols] and adds Σ e²/2 (the algorithms' own output-error estimate) to `loss`.
torch::Tensor walk_columns(torch::Tensor& w, const torch::Tensor& upper, int64_t block,
                           const BlockStart& on_block, const ColumnTarget& target, double& loss);

}  // namespace qz::compress
