// Int8 weights reordered for the AVX-512 VNNI outer-product GEMM (gemm_u8s8_packed.h).
//
// vpdpbusd multiplies 4 consecutive u8 × s8 byte pairs per int32 lane and adds them into the
// lane. The outer-product kernel broadcasts 4 activation bytes of one row, x[m, 4q..4q+3], to
// every lane and lets lane j hold output feature j, so it wants the weights of 16 outputs × 4
// columns in one 64-byte vector. The layout, in bytes:
//
//   panel p (kVnniPanel = 32 output features), column quad q, feature j in the panel, t in 0..3:
//     data[((p·quads + q)·kVnniPanel + j)·4 + t] = wq[(p·kVnniPanel + j)·K + 4q + t]
//
// with quads = ceil(K/4); features past N and columns past K are zero, so a partial panel or a
// partial quad adds nothing. One panel is quads·128 contiguous bytes, read front to back.
// The file keeps its ISA-neutral row-major codes; this copy is made once per layer, at the
// layer's first integer GEMM, on CPUs whose level has a packed kernel (AVX-512 VNNI, AVX2).
#pragma once

#include <cstdint>
#include <memory>

namespace qz::kernels {

// Output features per packed panel: two 16-lane vectors.
constexpr int64_t kVnniPanel = 32;

class VnniPackedWeights {
 public:
  VnniPackedWeights() = default;
  // Packs the row-major int8 codes wq [n, k].
  VnniPackedWeights(const int8_t* wq, int64_t n, int64_t k);

  // The row-major codes back (for tests: packing must lose nothing).
  void unpack(int8_t* wq) const;

  const int8_t* panel(int64_t p) const { return data_.get() + p * quads_ * kVnniPanel * 4; }
  int64_t n() const { return n_; }
  int64_t k() const { return k_; }
  int64_t quads() const { return quads_; }
  int64_t panels() const { return (n_ + kVnniPanel - 1) / kVnniPanel; }
  int64_t bytes() const { return panels() * quads_ * kVnniPanel * 4; }
  bool empty() const { return data_ == nullptr; }
  // Whether any code is −128, which AVX2's sign trick cannot negate (avx2_packed.cpp). The
  // int8 format stores ±127; a file may still hold −128.
  bool has_code_minus_128() const { return has_minus_128_; }

 private:
  struct FreeAligned {
    void operator()(int8_t* p) const;
  };
  std::unique_ptr<int8_t[], FreeAligned> data_;
  int64_t n_ = 0, k_ = 0, quads_ = 0;
  bool has_minus_128_ = false;
};

}  // namespace qz::kernels
