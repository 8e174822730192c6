// Distillation with no student given trains one about 4x smaller than the teacher, on every
// architecture.
#include <gtest/gtest.h>

#include "io/model_config.h"
#include "nn/make_model.h"
#include "workflow/run_recipe.h"

namespace qz::workflow {
namespace {

TEST(DefaultStudent, HasAboutAQuarterOfTheTeachersParameters) {
  for (const auto& [arch, shape, classes] :
       {std::tuple<std::string, std::vector<int64_t>, int64_t>{"mlp", {1, 16, 16}, 12},
        {"cnn", {1, 16, 16}, 12},
        {"transformer", {64}, 256}}) {
    const nlohmann::json teacher = io::default_config(arch, shape, classes, 64);
    const int64_t params = nn::make_model(teacher, "test")->parameter_count();
    const nlohmann::json student = default_student(teacher, params);
    const int64_t student_params = nn::make_model(student, "test")->parameter_count();
    const double ratio = static_cast<double>(params) / static_cast<double>(student_params);
    EXPECT_GT(ratio, 3.0) << arch << " " << student.dump();
    EXPECT_LT(ratio, 5.5) << arch << " " << student.dump();
    EXPECT_EQ(student["arch"], teacher["arch"]);
  }
}

}  // namespace
}  // namespace qz::workflow
