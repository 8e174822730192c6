// `quantize tune`: the accuracy-aware search. Tries every post-training method at several
// group sizes and grids, then per-layer mixed precision guided by the sensitivity ranking
// (the most sensitive layers promoted to int8 one at a time), each trial measured on the
// validation split against the accuracy budget (overall and worst slice). The best trial for
// the objective is saved as soon as it is found, so a time limit or an interruption still
// leaves the best model so far; at the end the choice is confirmed on the test split.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compress/quantize_pass.h"
#include "eval/evaluate.h"
#include "tradeoff/tradeoff_report.h"
#include "workflow/model_data.h"

namespace qz::workflow {

enum class TuneObjective { Size, Latency };

TuneObjective parse_objective(const std::string& name);

// One trial of the search: its name as the trial table prints it ("int4 g32 asym") and its plan.
struct TuneCandidate {
  std::string name;
  compress::QuantizePlan plan;
};

// The uniform trials: every post-training method at each of its tune groups and grids.
std::vector<TuneCandidate> tune_candidates();

struct TuneRequest {
  std::string in_path;
  std::string out_path;
  DataChoice data;
  tradeoff::Budget budget;
  TuneObjective objective = TuneObjective::Size;
  double time_limit_seconds = 0;  // 0: no limit
  int64_t calib_samples = 512;
  int64_t mixed_bases = 3;  // the most compact over-budget methods tried with mixed precision
};

struct Trial {
  std::string name;  // "int4 g64 asym", "int4 g128 asym + int8 on fc2"
  compress::QuantizePlan plan;
  int64_t weight_bytes = 0;  // stored bytes of the compressible layers
  double val_accuracy = 0;
  double val_drop = 0;  // points
  std::string worst_slice;
  double worst_slice_drop = 0;  // points
  bool within_budget = false;
  std::optional<double> latency_ms;  // batch 1 median (latency objective, within budget only)
  double seconds = 0;
  nlohmann::json to_json() const;
};

struct TuneResult {
  std::vector<Trial> trials;
  std::optional<size_t> chosen;  // index into trials; empty: nothing met the budget
  bool confirmed = false;        // the chosen trial also meets the budget on the test split
  bool stopped_by_time = false;
  eval::EvalResult base_test, chosen_test;
  uint64_t out_bytes = 0, base_bytes = 0;
  nlohmann::json to_json() const;
};

// Runs the search, calling on_trial after each trial (new_best: it was just saved). The
// chosen model is at request.out_path, the trials and the test confirmation in
// "<out_path>.tune.json".
TuneResult run_tune(const TuneRequest& request,
                    const std::function<void(const Trial&, bool new_best)>& on_trial);

}  // namespace qz::workflow
