// An evaluation's slices in the trade-off report's terms (shared by demo and tune).
#pragma once

#include <map>
#include <string>

#include "eval/evaluate.h"
#include "tradeoff/tradeoff_report.h"

namespace qz::workflow {

inline std::map<std::string, tradeoff::Slice> slices_of(const eval::EvalResult& r) {
  std::map<std::string, tradeoff::Slice> out;
  for (const auto& [name, s] : r.slices) out[name] = {s.accuracy, s.count};
  return out;
}

}  // namespace qz::workflow
