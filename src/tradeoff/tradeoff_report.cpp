#include "tradeoff/tradeoff_report.h"

#include <fmt/format.h>

#include <limits>

#include "core/error.h"
#include "core/json_fields.h"
#include "tradeoff/pareto.h"

namespace qz::tradeoff {
namespace {

constexpr double kPoints = 100.0;

double batch1_ms(const Variant& v) {
  auto it = v.latency_ms.find(1);
  return it == v.latency_ms.end() ? std::numeric_limits<double>::infinity() : it->second.median_ms;
}

void mark_frontiers(std::vector<Variant*>& members) {
  std::vector<CostAccuracy> by_size, by_latency;
  for (const Variant* v : members) {
    by_size.push_back({static_cast<double>(v->bytes), v->accuracy});
    by_latency.push_back({batch1_ms(*v), v->accuracy});
  }
  const std::vector<bool> size_front = pareto_frontier(by_size);
  const std::vector<bool> latency_front = pareto_frontier(by_latency);
  for (size_t i = 0; i < members.size(); ++i) {
    members[i]->pareto_size = size_front[i];
    members[i]->pareto_latency = latency_front[i];
  }
}

Best best_within_budget(const std::vector<Variant*>& members) {
  Best best;
  const Variant* smallest = nullptr;
  const Variant* fastest = nullptr;
  for (const Variant* v : members) {
    if (!v->within_budget) continue;
    if (smallest == nullptr || v->bytes < smallest->bytes) smallest = v;
    if (fastest == nullptr || batch1_ms(*v) < batch1_ms(*fastest)) fastest = v;
  }
  if (smallest != nullptr) best.smallest = smallest->name;
  if (fastest != nullptr) best.fastest = fastest->name;
  return best;
}

}  // namespace

WorstSlice worst_slice(const std::map<std::string, Slice>& slices,
                       const std::map<std::string, Slice>* base) {
  WorstSlice out;
  double worst = -std::numeric_limits<double>::infinity();
  for (const auto& [name, s] : slices) {
    if (s.count < kMinSliceCount) continue;
    double drop = 0;
    double key = -s.accuracy;  // no base: the lowest accuracy
    if (base != nullptr) {
      auto it = base->find(name);
      if (it == base->end()) continue;
      drop = kPoints * (it->second.accuracy - s.accuracy);
      key = drop;
    }
    if (key > worst) {
      worst = key;
      out = {name, s.accuracy, drop};
    }
  }
  return out;
}

bool within(const Budget& budget, double drop, double slice_drop) {
  return drop <= budget.max_drop && slice_drop <= budget.max_slice_drop;
}

std::vector<const Variant*> originals(const Report& report) {
  std::vector<const Variant*> out;
  for (const Variant& v : report.variants)
    if (v.base.empty()) out.push_back(&v);
  return out;
}

std::vector<const Variant*> family(const Report& report, const std::string& original) {
  std::vector<const Variant*> out;
  for (const Variant& v : report.variants)
    if (v.name == original || v.base == original) out.push_back(&v);
  return out;
}

void annotate(Report& report) {
  std::map<std::string, std::vector<Variant*>> families;
  std::map<std::string, const Variant*> by_name;
  for (Variant& v : report.variants) {
    QZ_CHECK(!by_name.count(v.name), "[report] variant '{}' appears twice", v.name);
    const Variant* base = nullptr;
    if (!v.base.empty()) {
      auto it = by_name.find(v.base);
      QZ_CHECK(it != by_name.end() && it->second->base.empty(),
               "[report] variant '{}': base '{}' is not an original listed before it", v.name,
               v.base);
      base = it->second;
    }
    by_name[v.name] = &v;
    const WorstSlice worst = worst_slice(v.slices, base ? &base->slices : nullptr);
    v.worst_slice = worst.name;
    v.worst_slice_accuracy = worst.accuracy;
    v.worst_slice_drop = worst.drop;
    v.accuracy_drop = base ? kPoints * (base->accuracy - v.accuracy) : 0.0;
    v.x_smaller = base && v.bytes > 0 ? static_cast<double>(base->bytes) / v.bytes : 1.0;
    v.x_faster.clear();
    for (const auto& [batch, l] : v.latency_ms) {
      const Variant& ref = base ? *base : v;
      auto it = ref.latency_ms.find(batch);
      if (it != ref.latency_ms.end() && l.median_ms > 0)
        v.x_faster[batch] = it->second.median_ms / l.median_ms;
    }
    v.within_budget = within(report.budget, v.accuracy_drop, v.worst_slice_drop);
    families[base ? base->name : v.name].push_back(&v);
  }
  report.best.clear();
  for (auto& [original, members] : families) {
    mark_frontiers(members);
    report.best[original] = best_within_budget(members);
  }
}

nlohmann::json to_json(const Report& report) {
  nlohmann::json j;
  j["schema"] = "quantize.report/1";
  j["budget"] = {{"max_drop", report.budget.max_drop},
                 {"max_slice_drop", report.budget.max_slice_drop}};
  j["context"] = report.context;
  j["variants"] = nlohmann::json::array();
  for (const Variant& v : report.variants) {
    nlohmann::json e = {{"name", v.name},
                        {"method", v.method},
                        {"base", v.base},
                        {"file", v.file},
                        {"bytes", v.bytes},
                        {"parameters", v.parameters},
                        {"accuracy", v.accuracy},
                        {"accuracy_drop", v.accuracy_drop},
                        {"worst_slice", v.worst_slice},
                        {"worst_slice_accuracy", v.worst_slice_accuracy},
                        {"worst_slice_drop", v.worst_slice_drop},
                        {"x_smaller", v.x_smaller},
                        {"pareto_size", v.pareto_size},
                        {"pareto_latency", v.pareto_latency},
                        {"within_budget", v.within_budget},
                        {"details", v.details}};
    e["perplexity"] = v.perplexity ? nlohmann::json(*v.perplexity) : nlohmann::json();
    e["slices"] = nlohmann::json::object();
    for (const auto& [name, s] : v.slices)
      e["slices"][name] = {{"accuracy", s.accuracy}, {"count", s.count}};
    e["latency_ms"] = nlohmann::json::object();
    for (const auto& [batch, l] : v.latency_ms)
      e["latency_ms"][std::to_string(batch)] = {{"median", l.median_ms}, {"p90", l.p90_ms}};
    e["x_faster"] = nlohmann::json::object();
    for (const auto& [batch, x] : v.x_faster) e["x_faster"][std::to_string(batch)] = x;
    j["variants"].push_back(e);
  }
  j["fusion"] = nlohmann::json::array();
  for (const FusionSummary& f : report.fusion) j["fusion"].push_back(fusion_to_json(f));
  j["best"] = nlohmann::json::object();
  for (const auto& [original, b] : report.best)
    j["best"][original] = {{"smallest", b.smallest}, {"fastest", b.fastest}};
  return j;
}

int64_t batch_size_key(const std::string& key, const std::string& where) {
  int64_t b = 0;
  try {
    b = std::stoll(key);
  } catch (const std::exception&) {
    b = 0;
  }
  QZ_CHECK(b >= 1 && std::to_string(b) == key, "{}: key '{}' is not a batch size", where, key);
  return b;
}

Report report_from_json(const nlohmann::json& j, const std::string& where) {
  QZ_CHECK(j.is_object(), "{}: expected a JSON object", where);
  QZ_CHECK(j.contains("schema") && j["schema"] == "quantize.report/1",
           "{}: field 'schema': expected \"quantize.report/1\"", where);
  Report r;
  if (j.contains("budget")) {
    const std::string at = where + " budget";
    r.budget.max_drop = json_number(j["budget"], "max_drop", at, 0, 100);
    r.budget.max_slice_drop = json_number(j["budget"], "max_slice_drop", at, 0, 100);
  }
  if (j.contains("context") && j["context"].is_object()) r.context = j["context"];
  QZ_CHECK(j.contains("variants") && j["variants"].is_array(),
           "{}: field 'variants': expected a list", where);
  for (size_t i = 0; i < j["variants"].size(); ++i) {
    const nlohmann::json& e = j["variants"][i];
    const std::string at = fmt::format("{} variants[{}]", where, i);
    QZ_CHECK(e.is_object(), "{}: expected an object", at);
    Variant v;
    v.name = json_string(e, "name", at);
    v.method = json_string(e, "method", at);
    v.base = json_string(e, "base", at);
    v.file = json_string(e, "file", at);
    v.bytes = static_cast<uint64_t>(json_int(e, "bytes", at, 0, int64_t{1} << 50));
    v.parameters = json_int(e, "parameters", at, 0, int64_t{1} << 50);
    v.accuracy = json_number(e, "accuracy", at, 0, 1);
    if (e.contains("perplexity") && !e["perplexity"].is_null())
      v.perplexity = json_number(e, "perplexity", at, 0, 1e30);
    if (e.contains("details") && e["details"].is_object()) v.details = e["details"];
    QZ_CHECK(e.contains("slices") && e["slices"].is_object(),
             "{}: field 'slices': expected an object", at);
    for (const auto& [name, s] : e["slices"].items()) {
      const std::string field = fmt::format("{} slices.{}", at, name);
      v.slices[name] = {json_number(s, "accuracy", field, 0, 1),
                        json_int(s, "count", field, 0, int64_t{1} << 40)};
    }
    QZ_CHECK(e.contains("latency_ms") && e["latency_ms"].is_object(),
             "{}: field 'latency_ms': expected an object", at);
    for (const auto& [batch, l] : e["latency_ms"].items()) {
      const int64_t b = batch_size_key(batch, at + " latency_ms");
      const std::string lat = fmt::format("{} latency_ms.{}", at, batch);
      v.latency_ms[b] = {json_number(l, "median", lat, 0, 1e9), json_number(l, "p90", lat, 0, 1e9)};
    }
    r.variants.push_back(std::move(v));
  }
  if (j.contains("fusion")) {
    QZ_CHECK(j["fusion"].is_array(), "{}: field 'fusion': expected a list", where);
    for (size_t i = 0; i < j["fusion"].size(); ++i)
      r.fusion.push_back(fusion_from_json(j["fusion"][i], fmt::format("{} fusion[{}]", where, i)));
  }
  try {
    annotate(r);
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: {}", where, e.what()));
  }
  return r;
}

}  // namespace qz::tradeoff
