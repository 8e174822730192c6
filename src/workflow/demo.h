// The main job, `quantize demo`: on built-in data, trains the built-in models (MLP and CNN on
// shapes, transformer on addition), caches them in the output folder by a hash of their
// settings, evaluates each, and writes the trade-off report. Compression variants join the
// report as the passes land (see docs/architecture.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "eval/evaluate.h"
#include "eval/latency.h"

namespace qz::workflow {

struct DemoOptions {
  std::string out_dir = "demo_out";
  bool quick = false;  // smaller data and fewer epochs: a smoke run in about a minute
  uint64_t seed = 0;
};

struct DemoVariant {
  std::string name;    // "mlp-fp32"
  std::string method;  // "fp32"
  std::string base;    // model it derives from ("" for the trained originals)
  std::string file;
  uint64_t bytes = 0;
  int64_t parameters = 0;
  eval::EvalResult test;
  double accuracy_drop = 0;  // points against the base model
  bool cached = false;
  double train_seconds = 0;
  std::vector<eval::LatencyStats> latency;  // batch 1 and 32
};

struct DemoReport {
  std::vector<DemoVariant> variants;
  nlohmann::json to_json() const;
};

// Runs the demo; writes models and DIR/report.json.
DemoReport run_demo(const DemoOptions& options);

// A stable 64-bit FNV-1a hash of a string (cache keys).
uint64_t stable_hash(const std::string& text);

}  // namespace qz::workflow
