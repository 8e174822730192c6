// What each ISA level runs, filled once per level — as XNNPACK's gemm-config.c fills one config
// per datatype pair from the CPU's features. A config has one entry per (activation type, weight
// layout) pair with that level's vector kernel; the families' dispatchers (matmul/, sparse/,
// gemm_u8s8/, gemm_q4_u8/, attention/) read only their entry, and a null entry means the family
// runs its scalar reference (ref.cpp in its folder). This file's .cpp is the one place that knows
// which ISA has which kernel: a new level is its kernel files plus one case of its fill().
//
// Internal to kernels/: it includes every family's ISA header.
#pragma once

#include "kernels/attention/attention_isa.h"
#include "kernels/gemm_q4_u8/gemm_q4_u8_isa.h"
#include "kernels/gemm_u8s8/gemm_u8s8_isa.h"
#include "kernels/isa.h"
#include "kernels/matmul/matmul_isa.h"
#include "kernels/sparse/sparse_isa.h"

namespace qz::kernels {

struct KernelConfig {
  // FP32 activations × any stored format of kernels/weight_format.h, decoded in registers.
  const MatmulIsaKernels* f32_x_stored = nullptr;
  // FP32 activations × bitmask-sparse FP32 weights.
  const SparseIsaKernels* f32_x_bitmask = nullptr;
  // FP32 → uint8 activations, per row or on a fixed grid (the reference's where no vector one).
  U8Quantizers u8_quantizers{&quantize_rows_u8_ref, &quantize_fixed_u8_ref};
  // uint8 activations × int8 weights, row-major.
  GemmU8S8Range u8_x_s8 = nullptr;
  // uint8 activations × int8 weights in VNNI panels (kernels/gemm_u8s8/vnni_packed_weights.h);
  // null where row-major weights are as fast (NEON).
  GemmU8S8PackedRange u8_x_s8_packed = nullptr;
  // uint8 activations × int4 nibbles (W4A8).
  GemmQ4U8Range u8_x_q4 = nullptr;
  // FP32 queries × an int8 key/value cache (decoding attention); null: scalar loops.
  const AttentionIsaKernels* f32_x_int8_kv = nullptr;
};

// The config of `isa`, filled on first use; `isa` must be one of kArchIsas (the CPU need not
// support it — the kernels are only named here, never called).
const KernelConfig& kernel_config(Isa isa);

}  // namespace qz::kernels
