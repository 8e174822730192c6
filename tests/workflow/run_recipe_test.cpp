// The recipe runner's dispatch is the registry: every registered method has a runner, and a
// one-step recipe of each method with its defaults runs on a small trained model and saves a
// file that reloads with the steps in its provenance and the step's typed report in its metrics.
#include "workflow/run_recipe.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "data/dataset.h"
#include "io/method_registry.h"
#include "nn/model_file.h"
#include "report/step_summary.h"
#include "workflow/build_model.h"

namespace qz::workflow {
namespace {

namespace fs = std::filesystem;

TEST(RunRecipe, EveryRegisteredMethodHasARunner) {
  for (const std::string& method : io::method_names()) EXPECT_TRUE(runs_method(method)) << method;
  EXPECT_FALSE(runs_method("shrink"));
}

// A one-step recipe of `method` with its defaults, training kept to one epoch.
io::RecipeStep one_step(const io::MethodSpec& m) {
  nlohmann::json step = {{"method", m.name}};
  if (m.find_option("finetune_epochs") != nullptr) step["finetune_epochs"] = 1;
  if (m.find_option("epochs") != nullptr) step["epochs"] = 1;
  if (m.find_option("baseline") != nullptr) step["baseline"] = false;
  return io::parse_recipe_step(step, "test");
}

TEST(RunRecipe, EveryRegisteredMethodRunsOnATrainedCnnAndReloads) {
  data::DataOptions d;
  d.size_scale = 0.02;
  const data::Dataset data = data::load_dataset("shapes", d);
  const fs::path dir = fs::temp_directory_path() / "qz_run_recipe_test";
  fs::create_directories(dir);
  BuildRequest b;
  b.arch = "cnn";
  b.train = train::default_train_options("cnn");
  b.train.epochs = 1;
  b.out_path = (dir / "cnn.safetensors").string();
  build_model(b, data);
  for (const io::MethodSpec& m : io::method_specs()) {
    nn::ModelFile file = nn::load_model(b.out_path);
    RecipeRequest r;
    r.in_path = b.out_path;
    r.out_path = (dir / (m.name + ".safetensors")).string();
    r.steps = {one_step(m)};
    r.calib_samples = 64;
    r.data.spec = "shapes";
    const RecipeResult res = run_recipe(file, r, data);
    ASSERT_EQ(res.steps.size(), 1u) << m.name;
    EXPECT_GT(res.compressed.accuracy, 0.0) << m.name;
    const nn::ModelFile reloaded = nn::load_model(r.out_path);
    EXPECT_EQ(reloaded.provenance.at("recipe"), io::recipe_json(r.steps)) << m.name;
    // The typed report is what the file stores and what the CLI prints, layer by layer.
    const compress::StepReport& report = res.steps[0].report;
    const nlohmann::json stored = reloaded.metrics.at("steps").at(0).at("details");
    EXPECT_EQ(stored.contains("layers") ? static_cast<int64_t>(stored["layers"].size()) : 0,
              report.layer_count())
        << m.name;
    const std::string summary = report::step_summary(report);
    EXPECT_FALSE(summary.empty()) << m.name;
    for (const auto& layer : stored.value("layers", nlohmann::json::array()))
      EXPECT_NE(summary.find(layer.at("layer").get<std::string>()), std::string::npos)
          << m.name << ": " << summary;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace qz::workflow
