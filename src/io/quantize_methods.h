// The post-training quantization methods, one row each: what `--method NAME` (or a recipe step
// naming it) stores and how the searches use it. Every list of these methods — the recipe
// parser, the CLI's choices and help, tune's candidates, sensitivity's fallback, the demo, the
// benchmark — is read from here, so a new method is one row (and, for a new storage format,
// one row of kernels/format_table.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/weight_format.h"

namespace qz::io {

struct QuantizeMethod {
  std::string name;
  kernels::WeightFormat format;            // the weights' storage (the asymmetric grid of int4)
  kernels::WeightFormat symmetric_format;  // with --sym (the same where the method has no choice)
  std::string activations = "none";        // none | int8-dynamic | int8-static
  int64_t default_group = 0;               // grouped formats: the group when none is given
  std::vector<int64_t> tune_groups;        // the groups tune tries (empty: the default only)
  std::string fallback;                    // one step more precise: mixed precision's choice
  std::string help;                        // one line for --help
  // Whether --sym/--asym choose between two grids.
  bool has_grid_choice() const { return format != symmetric_format; }
  // The group a layer gets for a requested group (0: the default); InputError when the format
  // fixes its group (MX blocks) and another is requested.
  int64_t group_for(int64_t requested) const;
};

// Every method, in the order the CLI lists them.
const std::vector<QuantizeMethod>& quantize_method_rows();

// The row named `name`; null when there is none.
const QuantizeMethod* find_quantize_method(std::string_view name);

// The names, in row order.
const std::vector<std::string>& quantize_methods();

}  // namespace qz::io
