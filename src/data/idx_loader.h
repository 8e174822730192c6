// "idx:IMAGES[,LABELS]": MNIST-style IDX files (unsigned-byte images [N,H,W] and labels [N]).
// Without LABELS, the labels file is found by replacing "images" with "labels" in the name
// (train-images-idx3-ubyte → train-labels-idx1-ubyte). Pixels scale to [0,1].
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"

namespace qz::data {

Dataset load_idx(const std::string& paths, const DataOptions& options);

}  // namespace qz::data
