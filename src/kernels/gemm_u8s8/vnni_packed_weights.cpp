#include "kernels/gemm_u8s8/vnni_packed_weights.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace qz::kernels {

namespace {

// Cache-line alignment: every 64-byte weight vector the kernel loads sits in one line.
constexpr size_t kAlign = 64;

}  // namespace

void VnniPackedWeights::FreeAligned::operator()(int8_t* p) const {
  std::free(p);
}

VnniPackedWeights::VnniPackedWeights(const int8_t* wq, int64_t n, int64_t k)
    : n_(n), k_(k), quads_((k + 3) / 4) {
  const size_t size = (static_cast<size_t>(bytes()) + kAlign - 1) / kAlign * kAlign;
  data_.reset(static_cast<int8_t*>(std::aligned_alloc(kAlign, size == 0 ? kAlign : size)));
  if (data_ == nullptr) throw std::bad_alloc();
  std::memset(data_.get(), 0, size);
  for (int64_t p = 0; p < panels(); ++p) {
    int8_t* out = data_.get() + p * quads_ * kVnniPanel * 4;
    const int64_t rows = std::min(kVnniPanel, n - p * kVnniPanel);
    for (int64_t j = 0; j < rows; ++j) {
      const int8_t* row = wq + (p * kVnniPanel + j) * k;
      has_minus_128_ = has_minus_128_ || std::find(row, row + k, int8_t{-128}) != row + k;
      // Whole quads by 4-byte copies (a 4096 × 4096 layer packs in milliseconds), then the tail.
      for (int64_t q = 0; q < k / 4; ++q)
        std::memcpy(out + (q * kVnniPanel + j) * 4, row + 4 * q, 4);
      for (int64_t c = k / 4 * 4; c < k; ++c) out[((c / 4) * kVnniPanel + j) * 4 + c % 4] = row[c];
    }
  }
}

void VnniPackedWeights::unpack(int8_t* wq) const {
  for (int64_t r = 0; r < n_; ++r) {
    const int8_t* in = panel(r / kVnniPanel);
    const int64_t j = r % kVnniPanel;
    for (int64_t c = 0; c < k_; ++c) wq[r * k_ + c] = in[((c / 4) * kVnniPanel + j) * 4 + c % 4];
  }
}

}  // namespace qz::kernels
