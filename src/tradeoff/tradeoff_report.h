// The trade-off report: every variant of every model with what it costs (accuracy overall and
// in its worst slice) and what it buys (bytes, latency), the Pareto frontiers and the accuracy
// budget. Torch-free: `quantize demo` fills it from its evaluations, `quantize report DIR`
// reads it back from report.json, and the Markdown and HTML writers render it.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tradeoff/fusion_summary.h"

namespace qz::tradeoff {

struct Slice {
  double accuracy = 0;  // fraction
  int64_t count = 0;
};

struct Latency {
  double median_ms = 0;
  double p90_ms = 0;
};

struct Variant {
  // Measured.
  std::string name;    // "mlp-int4"
  std::string method;  // "int4"
  std::string base;    // the variant it was made from; "" for a trained original
  std::string file;
  uint64_t bytes = 0;
  int64_t parameters = 0;
  double accuracy = 0;  // fraction: top-1, or exact match for a language model
  std::optional<double> perplexity;
  std::map<std::string, Slice> slices;
  std::map<int64_t, Latency> latency_ms;              // batch size → latency
  nlohmann::json details = nlohmann::json::object();  // method settings and step metrics

  // Derived by annotate().
  double accuracy_drop = 0;            // points below the base (negative: better)
  std::string worst_slice;             // the slice that lost most against the base
  double worst_slice_accuracy = 0;     // fraction
  double worst_slice_drop = 0;         // points
  double x_smaller = 1;                // base bytes / bytes
  std::map<int64_t, double> x_faster;  // batch → base median / median
  bool pareto_size = false;            // on the accuracy-vs-bytes frontier of its model
  bool pareto_latency = false;         // on the accuracy-vs-batch-1-latency frontier
  bool within_budget = false;
};

struct Budget {
  double max_drop = 1.0;        // points of accuracy
  double max_slice_drop = 3.0;  // points in any slice
};

// The best variants of one model within the budget.
struct Best {
  std::string smallest;
  std::string fastest;  // at batch 1
};

struct Report {
  Budget budget;
  std::vector<Variant> variants;      // originals first, each followed by its variants
  std::map<std::string, Best> best;   // original name → best within budget (derived)
  std::vector<FusionSummary> fusion;  // models with BatchNorm to fold
  nlohmann::json context = nlohmann::json::object();  // machine, settings
};

// Slices smaller than this are too noisy to name as the worst.
inline constexpr int64_t kMinSliceCount = 20;

struct WorstSlice {
  std::string name;  // "" when no slice has enough samples
  double accuracy = 0;
  double drop = 0;  // points below the base's accuracy in that slice
};

// The slice that lost most against `base` (slices missing there are skipped); with no base,
// the weakest slice. Slices under kMinSliceCount samples are never named.
WorstSlice worst_slice(const std::map<std::string, Slice>& slices,
                       const std::map<std::string, Slice>* base);

// Whether an overall drop and a worst-slice drop (points) fit the budget.
bool within(const Budget& budget, double drop, double slice_drop);

// Fills every derived field. Each variant's base must be an original earlier in the list.
void annotate(Report& report);

// The original variants (those with no base), in order.
std::vector<const Variant*> originals(const Report& report);

// The original and every variant made from it.
std::vector<const Variant*> family(const Report& report, const std::string& original);

// report.json: the schema documented in README.md ("The trade-off report").
nlohmann::json to_json(const Report& report);

// A latency map's key as a batch size ≥ 1 (InputError naming `where` otherwise).
int64_t batch_size_key(const std::string& key, const std::string& where);

// Reads report.json back (InputError naming `where` and the field on a bad file) and
// re-derives the derived fields.
Report report_from_json(const nlohmann::json& j, const std::string& where);

}  // namespace qz::tradeoff
