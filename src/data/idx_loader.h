// "idx:IMAGES[,LABELS]": MNIST-style IDX files (unsigned-byte images [N,H,W] and labels [N]).
// Without LABELS, the labels file is found by replacing "images" with "labels" in the name
// (train-images-idx3-ubyte → train-labels-idx1-ubyte). Pixels scale to [0,1].
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"

namespace qz::data {

Dataset load_idx(const std::string& paths, const DataOptions& options);

// A parsed IDX array of unsigned bytes: dims and data (exposed for tests and the fuzzer).
struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> data;
};
IdxArray parse_idx(const std::string& bytes, const std::string& path);

}  // namespace qz::data
