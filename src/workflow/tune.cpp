#include "workflow/tune.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>

#include "core/error.h"
#include "eval/latency.h"
#include "io/atomic_file.h"
#include "io/quantize_methods.h"
#include "nn/model_file.h"
#include "workflow/eval_slices.h"
#include "workflow/sensitivity.h"
#include "workflow/with_quantized.h"

namespace qz::workflow {
namespace {

using Clock = std::chrono::steady_clock;

using Candidate = TuneCandidate;

compress::QuantizePlan plan_for(const std::string& method, int64_t group, bool symmetric) {
  compress::QuantizePlan p;
  p.method = method;
  p.group = group;
  p.symmetric = symmetric;
  p.show_progress = false;
  return p;
}

}  // namespace

// Every post-training method (io/quantize_methods.h); the group-wise ones at each of their tune
// groups (a group larger than a layer's inputs is one group per row) and on both grids where
// they have a choice.
std::vector<TuneCandidate> tune_candidates() {
  std::vector<TuneCandidate> out;
  for (const io::QuantizeMethod& m : io::quantize_method_rows()) {
    std::vector<int64_t> groups = m.tune_groups;
    if (groups.empty()) groups = {m.group_for(0)};
    for (int64_t g : groups) {
      for (bool sym : m.has_grid_choice() ? std::vector{false, true} : std::vector{false}) {
        std::string name = m.name;
        if (!m.tune_groups.empty()) name += fmt::format(" g{}", g);
        if (m.has_grid_choice()) name += sym ? " sym" : " asym";
        out.push_back({name, plan_for(m.name, g, sym)});
      }
    }
  }
  return out;
}

namespace {

// Methods whose sensitive layers mixed precision promotes: those with an int8 step above them.
bool low_bit(const std::string& method) {
  return fallback_method(method).starts_with("int8");
}

class Search {
 public:
  Search(const TuneRequest& request, const data::Dataset& data)
      : request_(request),
        data_(data),
        file_(nn::load_model(request.in_path)),
        start_(Clock::now()) {
    calibration_ = data.train.head(request.calib_samples).inputs;
    if (calibration_.size(0) < request.calib_samples)
      fmt::print(stderr, "warning: only {} calibration samples available (asked for {})\n",
                 calibration_.size(0), request.calib_samples);
    base_val_ = eval::evaluate(*file_.model, data_, "val");
    base_val_slices_ = slices_of(base_val_);
  }

  // Past the time limit (never before the first trial, so a limited search has a model).
  bool out_of_time() {
    if (request_.time_limit_seconds <= 0 || result.trials.empty()) return false;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    if (elapsed >= request_.time_limit_seconds) result.stopped_by_time = true;
    return result.stopped_by_time;
  }

  // Measures one candidate on the validation split; saves it (while it is quantized) when it
  // is the best so far.
  const Trial& run(const Candidate& c, const std::function<void(const Trial&, bool)>& report) {
    const auto t0 = Clock::now();
    Trial t;
    t.name = c.name;
    t.plan = c.plan;
    bool best = false;
    with_quantized(*file_.model, c.plan, calibration_, [&](const auto&) {
      for (const auto& slot : file_.model->layers()) t.weight_bytes += slot.get()->weight_bytes();
      const eval::EvalResult got = eval::evaluate(*file_.model, data_, "val");
      t.val_accuracy = got.accuracy;
      t.val_drop = 100.0 * (base_val_.accuracy - got.accuracy);
      const tradeoff::WorstSlice worst = tradeoff::worst_slice(slices_of(got), &base_val_slices_);
      t.worst_slice = worst.name;
      t.worst_slice_drop = worst.drop;
      t.within_budget = tradeoff::within(request_.budget, t.val_drop, t.worst_slice_drop);
      if (t.within_budget && request_.objective == TuneObjective::Latency)
        t.latency_ms =
            eval::measure_latency(*file_.model, eval::synthetic_input(*file_.model, 1), 2, 5, 0.2)
                .median_ms;
      best = t.within_budget && (!result.chosen || better(t, result.trials[*result.chosen]));
      if (best) save_current(t);
      return 0;
    });
    t.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    result.trials.push_back(t);
    if (best) result.chosen = result.trials.size() - 1;
    report(result.trials.back(), best);
    return result.trials.back();
  }

  bool better(const Trial& a, const Trial& b) const {
    const double va = objective(a), vb = objective(b);
    return va != vb ? va < vb : a.val_accuracy > b.val_accuracy;
  }

  double objective(const Trial& t) const {
    if (request_.objective == TuneObjective::Latency) return t.latency_ms.value_or(1e300);
    return static_cast<double>(t.weight_bytes);
  }

  // The test-split evaluation of a trial's model.
  eval::EvalResult test_of(const Trial& t) {
    return with_quantized(*file_.model, t.plan, calibration_,
                          [&](const auto&) { return eval::evaluate(*file_.model, data_, "test"); });
  }

  // Quantizes the model by the trial's plan and saves it.
  void save(const Trial& t) {
    with_quantized(*file_.model, t.plan, calibration_, [&](const auto&) {
      save_current(t);
      return 0;
    });
  }

  // Saves the model, quantized by `t`'s plan at this moment, atomically to the output path.
  void save_current(const Trial& t) {
    nlohmann::json provenance = file_.provenance;
    provenance["step"] = "tune";
    provenance["source"] = std::filesystem::path(request_.in_path).filename().string();
    provenance["tune"] = {{"trial", t.name},
                          {"plan", t.plan.to_json()},
                          {"max_drop", request_.budget.max_drop},
                          {"max_slice_drop", request_.budget.max_slice_drop},
                          {"data", data_.spec}};
    nlohmann::json metrics = {{"val_accuracy", t.val_accuracy}, {"val_drop", t.val_drop}};
    nn::save_model(*file_.model, request_.out_path, provenance, metrics);
  }

  const TuneRequest& request_;
  const data::Dataset& data_;
  nn::ModelFile file_;
  Clock::time_point start_;
  torch::Tensor calibration_;
  eval::EvalResult base_val_;
  std::map<std::string, tradeoff::Slice> base_val_slices_;
  TuneResult result;
};

}  // namespace

TuneObjective parse_objective(const std::string& name) {
  if (name == "size") return TuneObjective::Size;
  if (name == "latency") return TuneObjective::Latency;
  throw InputError(fmt::format("[tune] --objective '{}': expected size or latency", name));
}

nlohmann::json Trial::to_json() const {
  nlohmann::json j = {{"name", name},
                      {"plan", plan.to_json()},
                      {"weight_bytes", weight_bytes},
                      {"val_accuracy", val_accuracy},
                      {"val_drop", val_drop},
                      {"worst_slice", worst_slice},
                      {"worst_slice_drop", worst_slice_drop},
                      {"within_budget", within_budget},
                      {"seconds", seconds}};
  j["latency_ms"] = latency_ms ? nlohmann::json(*latency_ms) : nlohmann::json();
  return j;
}

nlohmann::json TuneResult::to_json() const {
  nlohmann::json j;
  j["trials"] = nlohmann::json::array();
  for (const Trial& t : trials) j["trials"].push_back(t.to_json());
  j["chosen"] = chosen ? nlohmann::json(trials[*chosen].name) : nlohmann::json();
  j["confirmed_on_test"] = confirmed;
  j["stopped_by_time"] = stopped_by_time;
  j["base_bytes"] = base_bytes;
  j["out_bytes"] = out_bytes;
  if (chosen) {
    j["test"] = {{"base", base_test.to_json()}, {"chosen", chosen_test.to_json()}};
    j["test_drop"] = 100.0 * (base_test.accuracy - chosen_test.accuracy);
  }
  return j;
}

TuneResult run_tune(const TuneRequest& request,
                    const std::function<void(const Trial&, bool new_best)>& on_trial) {
  io::check_output_path(request.out_path);
  QZ_CHECK(!request.data.spec.empty(), "[tune] {}: no data recorded in the model; pass --data",
           request.in_path);
  const data::Dataset data = data::load_dataset(request.data.spec, request.data.options);
  Search search(request, data);
  TuneResult& result = search.result;
  result.base_bytes = search.file_.file_bytes;

  // 1. Every method uniformly.
  for (const Candidate& c : tune_candidates()) {
    if (search.out_of_time()) break;
    search.run(c, on_trial);
  }

  // 2. Mixed precision from the most compact methods that missed the budget: promote the most
  //    sensitive layers to the fallback precision one at a time until the budget holds.
  std::vector<Trial> over;
  for (const Trial& t : result.trials)
    if (!t.within_budget && low_bit(t.plan.method)) over.push_back(t);
  std::sort(over.begin(), over.end(),
            [](const Trial& a, const Trial& b) { return a.weight_bytes < b.weight_bytes; });
  if (over.size() > static_cast<size_t>(request.mixed_bases))
    over.resize(static_cast<size_t>(request.mixed_bases));
  for (const Trial& base : over) {
    if (search.out_of_time()) break;
    const auto ranking =
        layer_sensitivity(*search.file_.model, base.plan, data, search.calibration_);
    Candidate c{base.name, base.plan};
    std::vector<std::string> promoted;
    const std::string fallback = fallback_method(base.plan.method);
    for (const LayerSensitivity& s : ranking) {
      if (search.out_of_time()) break;
      promoted.push_back(s.layer);
      c.plan.layer_methods[s.layer] = fallback;
      c.name = fmt::format("{} + {} on {}", base.name, fallback, fmt::join(promoted, ","));
      const Trial& t = search.run(c, on_trial);
      if (t.within_budget) break;
      // Promoting more only grows the model: stop once it is no smaller than the best.
      if (request.objective == TuneObjective::Size && result.chosen &&
          t.weight_bytes >= result.trials[*result.chosen].weight_bytes)
        break;
    }
  }

  // 3. Confirm on the test split, best first, and keep the first trial that holds there.
  if (result.chosen) {
    result.base_test = eval::evaluate(*search.file_.model, data, "test");
    std::vector<size_t> order;
    for (size_t i = 0; i < result.trials.size(); ++i)
      if (result.trials[i].within_budget) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return search.better(result.trials[a], result.trials[b]);
    });
    const size_t first = order.front();
    const auto base_slices = slices_of(result.base_test);
    for (size_t k = 0; k < std::min<size_t>(order.size(), 3); ++k) {
      const eval::EvalResult test = search.test_of(result.trials[order[k]]);
      const double drop = 100.0 * (result.base_test.accuracy - test.accuracy);
      const double slice = tradeoff::worst_slice(slices_of(test), &base_slices).drop;
      if (k == 0) result.chosen_test = test;
      if (tradeoff::within(request.budget, drop, slice)) {
        result.confirmed = true;
        result.chosen = order[k];
        result.chosen_test = test;
        break;
      }
    }
    if (!result.confirmed) result.chosen = first;
    if (*result.chosen != first || !std::filesystem::exists(request.out_path))
      search.save(result.trials[*result.chosen]);
    result.out_bytes = std::filesystem::file_size(request.out_path);
  }
  io::write_file_atomically(request.out_path + ".tune.json", result.to_json().dump(2) + "\n");
  return result;
}

}  // namespace qz::workflow
