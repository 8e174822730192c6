// The format table: one row per stored weight format (kernels/weight_format.h lists them), the
// way llama.cpp's type-traits table has one row per GGML type. A row says what the format is
// called in a model file's scheme, what kind of grid its codes are on, its 16-value codebook
// where it has one, and its reference quantizer. Everything else follows from the format's
// layout: the tensors it stores (stored_tensors), its bits per weight, its reference decoder
// (kernels/dequant) and its kernels (the generic templates of every ISA read the layout).
//
// Each row lives in its own file under kernels/formats/ and is reached through the X-macro
// list, so adding a format is one line in weight_format.h plus that file; code that loops over
// all_format_rows() (the model-file loader, inspect, the kernel tests, bench) covers it at once.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/group_quant.h"
#include "core/int_grid.h"
#include "kernels/weight_format.h"

namespace qz::kernels {

// A stored tensor's dimensions as a function of the layer's N outputs, K inputs and G groups.
enum class TensorShape {
  Codes,     // [N, K]
  Nibbles,   // [N, ceil(K / 2)]
  PerRow,    // [N, 1]
  PerGroup,  // [N, G]
};

struct StoredTensor {
  std::string name;   // compressed-tensors name: weight, weight_packed, weight_scale, ...
  std::string dtype;  // safetensors dtype in the file: F32, F16, BF16, U8, I8, F8_E4M3, F8_E5M2
  TensorShape shape;
  std::vector<int64_t> dims(int64_t n, int64_t k, int64_t groups) const;
};

// The tensors a layer of `format` stores, in this order: codes, scales, zero points.
std::vector<StoredTensor> stored_tensors(WeightFormat format);

// Bytes of one [n, k] matrix in `format` with groups of `group` columns (codes, scales, zeros).
int64_t stored_bytes(WeightFormat format, int64_t n, int64_t k, int64_t group);

// One matrix's bytes, tensor by tensor as stored_tensors lists them (empty where absent).
struct StoredWeights {
  std::vector<uint8_t> codes, scales, zeros;
};

struct QuantizeSettings {
  int64_t group = 0;   // grouped formats; others ignore it
  RangeOptions range;  // integer grids
};

struct FormatRow {
  WeightFormat format;
  std::string name;        // the scheme name in model files
  int grid_bits = 0;       // integer grids (int8, int4): bits of the storage; 0 for other formats
  bool symmetric = false;  // integer grids whose zero point is fixed
  std::array<float, 16> codebook{};  // CodebookNibble formats: the value of each code
  // The reference quantizer of an [n, k] row-major matrix; null where only an algorithm makes
  // the codes (int4-f16zero: HQQ's fractional zero points).
  StoredWeights (*quantize)(std::span<const float> w, int64_t n, int64_t k,
                            const QuantizeSettings& settings) = nullptr;
};

// Every row, in QZ_WEIGHT_FORMATS order.
const std::vector<const FormatRow*>& all_format_rows();
const FormatRow& format_row(WeightFormat format);
// The row whose scheme name is `name`; null when none is.
const FormatRow* find_format_row(std::string_view name);

// Integer or codebook codes with their float scales (and zero points) stored in `format`'s
// layout: codes as bytes or nibbles, scales as FP16 or E8M0, zero points as U8 or FP16.
StoredWeights store_group_codes(WeightFormat format, const GroupCodes& codes);

// Each format's row, defined in its kernels/formats/ file.
#define QZ_FORMAT_ROW_DECL(F) const FormatRow& format_row_##F();
QZ_WEIGHT_FORMATS(QZ_FORMAT_ROW_DECL)
#undef QZ_FORMAT_ROW_DECL

}  // namespace qz::kernels
