// The main job, `quantize demo`: on built-in data, trains the built-in models (MLP and CNN on
// shapes, transformer on addition), caches them in the output folder by a hash of their
// settings, compresses each with every post-training method (and a budget-driven mixed
// precision), prunes, factors and QAT-trains the classifiers through recipes with fine-tuning,
// measures every variant as a user would load it, and writes the trade-off report
// (DIR/report.json, report.md, report.html), with fused-vs-unfused figures for models with
// BatchNorm.
#pragma once

#include <string>

#include "tradeoff/tradeoff_report.h"

namespace qz::workflow {

struct DemoOptions {
  std::string out_dir = "demo_out";
  bool quick = false;  // smaller data, fewer epochs and methods: a smoke run in about a minute
  uint64_t seed = 0;
  tradeoff::Budget budget;
};

// Runs the demo; writes the models under DIR/models and the reports in DIR.
tradeoff::Report run_demo(const DemoOptions& options);

// A stable 64-bit FNV-1a hash of a string (cache keys).
uint64_t stable_hash(const std::string& text);

}  // namespace qz::workflow
