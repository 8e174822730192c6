// The trade-off report: Pareto frontiers, budget marks, the worst slice, the JSON round trip,
// and the HTML page's charts.
#include <gtest/gtest.h>

#include <regex>

#include "core/error.h"
#include "tradeoff/html_report.h"
#include "tradeoff/pareto.h"
#include "tradeoff/svg_chart.h"
#include "tradeoff/tradeoff_report.h"
#include "tradeoff/tradeoff_table.h"

namespace qz::tradeoff {
namespace {

Variant variant(const std::string& name, const std::string& base, uint64_t bytes, double acc,
                double ms1, double slice_a, double slice_b) {
  Variant v;
  v.name = name;
  v.method = base.empty() ? "fp32" : name.substr(name.find('-') + 1);
  v.base = base;
  v.file = name + ".safetensors";
  v.bytes = bytes;
  v.parameters = 1000;
  v.accuracy = acc;
  v.slices = {{"a", {slice_a, 100}}, {"b", {slice_b, 100}}, {"tiny", {0.0, 3}}};
  v.latency_ms = {{1, {ms1, ms1 * 1.1}}, {32, {ms1 * 10, ms1 * 11}}};
  return v;
}

// mlp-fp32 and four variants: int8 within budget; int4 smaller but its slice b falls 5 points
// (over the 3-point slice budget though the overall drop is 0.5); nf4 dominated by int4 on
// size; fp16 big but the fastest.
Report sample_report() {
  Report r;
  r.variants = {variant("mlp-fp32", "", 4000, 0.90, 1.0, 0.95, 0.85),
                variant("mlp-int8", "mlp-fp32", 1000, 0.896, 0.5, 0.95, 0.842),
                variant("mlp-int4", "mlp-fp32", 500, 0.895, 0.6, 0.99, 0.80),
                variant("mlp-nf4", "mlp-fp32", 600, 0.85, 0.7, 0.90, 0.80),
                variant("mlp-fp16", "mlp-fp32", 2000, 0.90, 0.4, 0.95, 0.85)};
  annotate(r);
  return r;
}

const Variant& get(const Report& r, const std::string& name) {
  for (const Variant& v : r.variants)
    if (v.name == name) return v;
  throw std::runtime_error("no variant " + name);
}

TEST(Pareto, KeepsExactlyTheUndominatedPoints) {
  const std::vector<bool> on =
      pareto_frontier({{1, 0.5}, {2, 0.7}, {3, 0.6}, {4, 0.9}, {2, 0.7}, {0.5, 0.1}});
  EXPECT_EQ(on, (std::vector<bool>{true, true, false, true, true, true}));
}

TEST(Tradeoff, AnnotateDerivesDropsSlicesFrontiersAndTheBudget) {
  const Report r = sample_report();
  const Variant& int8 = get(r, "mlp-int8");
  EXPECT_NEAR(int8.accuracy_drop, 0.4, 1e-9);
  EXPECT_EQ(int8.worst_slice, "b");  // "tiny" has too few samples to count
  EXPECT_NEAR(int8.worst_slice_drop, 0.8, 1e-9);
  EXPECT_DOUBLE_EQ(int8.x_smaller, 4.0);
  EXPECT_DOUBLE_EQ(int8.x_faster.at(1), 2.0);
  EXPECT_TRUE(int8.within_budget);

  const Variant& int4 = get(r, "mlp-int4");
  EXPECT_EQ(int4.worst_slice, "b");
  EXPECT_NEAR(int4.worst_slice_drop, 5.0, 1e-9);
  EXPECT_FALSE(int4.within_budget) << "the slice cliff must put it over budget";
  EXPECT_TRUE(int4.pareto_size);
  EXPECT_FALSE(get(r, "mlp-nf4").pareto_size);
  EXPECT_TRUE(get(r, "mlp-fp16").pareto_latency);
  EXPECT_FALSE(get(r, "mlp-fp32").pareto_latency);

  const Variant& original = get(r, "mlp-fp32");
  EXPECT_EQ(original.worst_slice, "b");  // an original's weakest slice
  EXPECT_TRUE(original.within_budget);
  EXPECT_EQ(r.best.at("mlp-fp32").smallest, "mlp-int8");
  EXPECT_EQ(r.best.at("mlp-fp32").fastest, "mlp-fp16");
}

FusionSummary sample_fusion() {
  FusionSummary f;
  f.model = "mlp-fp32";
  f.graph_ops_unfused = 12;
  f.graph_ops_fused = 10;
  f.max_abs_diff = 2e-6;
  f.latency_ms = {{1, {0.09, 0.06}}, {32, {1.2, 1.0}}};
  return f;
}

TEST(Tradeoff, JsonRoundTripKeepsEveryField) {
  Report r = sample_report();
  r.fusion.push_back(sample_fusion());
  const nlohmann::json j = to_json(r);
  const Report back = report_from_json(j, "report.json");
  EXPECT_EQ(to_json(back), j);
  EXPECT_EQ(j["variants"][1]["latency_ms"]["32"]["median"], 5.0);
  EXPECT_EQ(j["best"]["mlp-fp32"]["smallest"], "mlp-int8");
  EXPECT_DOUBLE_EQ(j["fusion"][0]["latency_ms"]["1"]["speedup"].get<double>(), 1.5);
  // A report written before fusion was measured still reads.
  nlohmann::json old = j;
  old.erase("fusion");
  EXPECT_TRUE(report_from_json(old, "report.json").fusion.empty());
}

TEST(Tradeoff, BadJsonNamesTheFileAndField) {
  nlohmann::json j = to_json(sample_report());
  j["variants"][2].erase("bytes");
  try {
    report_from_json(j, "out/report.json");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("out/report.json variants[2]"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("bytes"), std::string::npos);
  }
  j = to_json(sample_report());
  j["variants"][1]["base"] = "missing";
  EXPECT_THROW(report_from_json(j, "r.json"), InputError);
  j = to_json(sample_report());
  j["schema"] = "other";
  EXPECT_THROW(report_from_json(j, "r.json"), InputError);
  Report with_fusion = sample_report();
  with_fusion.fusion.push_back(sample_fusion());
  j = to_json(with_fusion);
  j["fusion"][0]["latency_ms"]["one"] = j["fusion"][0]["latency_ms"]["1"];
  try {
    report_from_json(j, "r.json");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("r.json fusion[0] latency_ms: key 'one'"),
              std::string::npos)
        << e.what();
  }
}

int count(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<int>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

TEST(Tradeoff, HtmlHasTwoScattersAndASliceMapPerModel) {
  Report r = sample_report();
  Report two = r;
  for (Variant v : r.variants) {
    v.name = "cnn" + v.name.substr(3);
    if (!v.base.empty()) v.base = "cnn-fp32";
    two.variants.push_back(v);
  }
  two.variants[2].name = "mlp-<int4>&";  // escaped, not markup
  annotate(two);
  const std::string html = html_report(two);
  EXPECT_EQ(count(html, "data-kind=\"scatter\""), 4);
  EXPECT_EQ(count(html, "data-kind=\"heatmap\""), 2);
  EXPECT_EQ(count(html, "<circle "), 20);  // 5 variants × 2 charts × 2 models
  EXPECT_EQ(count(html, "class=\"frontier\""), 4);
  EXPECT_EQ(count(html, "class=\"cell\""), 2 * 5 * 3);  // variants × slices per model
  EXPECT_EQ(html.find("<int4>"), std::string::npos);
  EXPECT_NE(html.find("mlp-&lt;int4&gt;&amp;"), std::string::npos);
  EXPECT_NE(html.find("id=\"cnn-fp32-accuracy-vs-size\""), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);  // self-contained, no script
  EXPECT_EQ(html.find("http://www.w3.org/2000/svg\"", 0) == std::string::npos, false);
  EXPECT_EQ(count(html, "src=\"http"), 0);
}

TEST(Tradeoff, MarkdownHasTheTableVerdictsSlicesAndFusion) {
  Report r = sample_report();
  EXPECT_EQ(markdown_report(r).find("Operator fusion"), std::string::npos);  // nothing folded
  r.fusion.push_back(sample_fusion());
  EXPECT_NE(html_report(r).find("<section id=\"fusion\">"), std::string::npos);
  const std::string md = markdown_report(r);
  EXPECT_NE(md.find("| mlp-fp32 | 12 -> 10 | 2e-06 | 1 | 0.090 | 0.060 | 1.50x |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| mlp-int4"), std::string::npos);
  EXPECT_NE(md.find("smallest mlp-int8 (4.00x smaller)"), std::string::npos);
  EXPECT_NE(md.find("### mlp-fp32"), std::string::npos);
}

TEST(SvgChart, TicksAreNiceAndCoverTheRange) {
  EXPECT_EQ(linear_ticks(0, 10), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(linear_ticks(61.3, 72.1), (std::vector<double>{62, 64, 66, 68, 70, 72}));
  EXPECT_EQ(log_ticks(150, 4000), (std::vector<double>{200, 500, 1000, 2000}));
  EXPECT_EQ(log_ticks(1, 1e6), (std::vector<double>{1, 10, 100, 1000, 1e4, 1e5, 1e6}));
  EXPECT_TRUE(linear_ticks(1, 1).empty());
}

}  // namespace
}  // namespace qz::tradeoff
