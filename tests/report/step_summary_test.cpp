// Typed step reports: the JSON a model file stores keeps its keys, and the printed summary
// reads the same fields.
#include "report/step_summary.h"

#include <gtest/gtest.h>

namespace qz::report {
namespace {

using compress::StepReport;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(StepSummary, DistillStoresAndPrintsBothStudents) {
  compress::DistillStep d;
  d.teacher_parameters = 4000;
  d.student_parameters = 1000;
  d.transfer_samples = 300;
  d.distilled = {0.91, 1.5};
  d.alone = compress::StudentResult{0.87, 1.7};
  d.student_config = {{"arch", "mlp"}};
  const StepReport step{d};
  const auto j = step.to_json();
  EXPECT_EQ(j.at("transfer_samples"), 300);
  EXPECT_DOUBLE_EQ(j.at("student_test_accuracy").get<double>(), 0.91);
  EXPECT_DOUBLE_EQ(j.at("student_alone_test_perplexity").get<double>(), 1.7);
  EXPECT_EQ(j.at("student_config").at("arch"), "mlp");
  EXPECT_EQ(step.layer_count(), 0);
  const std::string text = step_summary(step);
  EXPECT_TRUE(has(text, "student 1000 parameters (teacher 4000, 300 transfer samples)")) << text;
  EXPECT_TRUE(has(text, "test 91.00% with the teacher, 87.00% trained alone")) << text;
  EXPECT_TRUE(has(text, "perplexity 1.5000 with the teacher, 1.7000 trained alone")) << text;

  d.alone.reset();
  d.distilled.perplexity.reset();
  d.transfer_samples = 0;
  const StepReport plain{d};
  EXPECT_FALSE(plain.to_json().contains("transfer_samples"));
  EXPECT_FALSE(plain.to_json().contains("student_alone_test_accuracy"));
  EXPECT_FALSE(has(step_summary(plain), "alone"));
  EXPECT_FALSE(has(step_summary(plain), "perplexity"));
}

TEST(StepSummary, PruningReportsSparseGptFiguresOnlyWhereMeasured) {
  compress::PruneStep p;
  p.pattern = "unstructured";
  p.layers.push_back({"fc1", 0.8, compress::SparseGptLayerReport{"fc1", 0.8, 0.01, 0.03, 0.5}});
  p.layers.push_back({"fc2", 0.5, {}});
  const StepReport step{p};
  const auto j = step.to_json();
  EXPECT_EQ(step.layer_count(), 2);
  EXPECT_DOUBLE_EQ(j["layers"][0].at("magnitude_output_mse").get<double>(), 0.03);
  EXPECT_FALSE(j["layers"][1].contains("output_mse"));
  EXPECT_EQ(j.at("finetune"), nlohmann::json({{"epochs", 0}}));
  const std::string text = step_summary(step);
  EXPECT_TRUE(has(text,
                  "pruned: fc1 sparsity 0.800 (unstructured): output MSE 0.01 (magnitude, "
                  "no update: 0.03)"))
      << text;
  EXPECT_TRUE(has(text, "pruned: fc2 sparsity 0.500 (unstructured)\n")) << text;
  EXPECT_FALSE(has(text, "fine-tuned")) << text;
}

TEST(StepSummary, FineTuneAndFoldingAreReported) {
  compress::LowRankStep l;
  l.layers.push_back({"fc1", 64, 32, 8, true, 0.125, 2048, 768});
  l.finetune = {2, 0.001, 0.9};
  StepReport step{l};
  step.fused_first = compress::FuseStep{{"bn1 into conv1"}};
  const auto j = step.to_json();
  EXPECT_EQ(j.at("finetune").at("epochs"), 2);
  EXPECT_EQ(j.at("finetune").at("teacher"), "input model");
  EXPECT_EQ(j.at("fused_first").at("folded")[0], "bn1 into conv1");
  EXPECT_EQ(j["layers"][0].at("rank"), 8);
  const std::string text = step_summary(step);
  EXPECT_TRUE(has(text, "fused first: bn1 into conv1\n")) << text;
  EXPECT_TRUE(has(text, "lowrank: fc1 [32x64] rank 8 factored (relative error 0.1250)")) << text;
  EXPECT_TRUE(has(text, "fine-tuned 2 epochs at lr 0.001")) << text;
  EXPECT_TRUE(has(text, "val 90.00%")) << text;
}

TEST(StepSummary, QuantizingStepsPrintTheLayerTable) {
  compress::LayerReport r;
  r.layer = "conv2";
  r.method = "hqq-w4";
  r.dense_bytes = 4096;
  r.weight_bytes = 640;
  r.sqnr_db = 21.5;
  compress::HqqStep h{{r}, {0.9}};
  const StepReport step{h};
  EXPECT_DOUBLE_EQ(step.to_json()["layers"][0].at("lp_error_vs_initial_zero").get<double>(), 0.9);
  const std::string text = step_summary(step);
  EXPECT_TRUE(has(text, "conv2")) << text;
  EXPECT_TRUE(has(text, "21.5")) << text;
  EXPECT_TRUE(has(text, "0.900x that of the unoptimised zero points")) << text;

  compress::GptqLayerReport g{r, 2.0, 0.25, 0.0};
  g.report.output_mse = 1.0;
  const std::string gptq = step_summary(StepReport{compress::GptqStep{{g}}});
  EXPECT_TRUE(has(gptq, "0.500")) << gptq;  // gptq/rtn
  EXPECT_TRUE(has(gptq, "250.0")) << gptq;  // ms
}

}  // namespace
}  // namespace qz::report
