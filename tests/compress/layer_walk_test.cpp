// The shared layer walk: the exclude list is checked against the model, every selected layer
// is checked dense before the first one is replaced (a refused pass changes nothing), and the
// layers come in model order.
#include "compress/layer_walk.h"

#include <gtest/gtest.h>

#include "compress/hqq.h"
#include "compress/quantize_pass.h"
#include "compress/second_order/gptq_pass.h"
#include "core/error.h"
#include "test_models.h"

namespace qz::compress {
namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(LayerWalk, SelectsTheLayersNotExcludedInModelOrder) {
  auto model = testing::test_model("mlp");
  const auto& all = model->layers();
  ASSERT_GE(all.size(), 2u);
  const auto selected = selected_layers(*model, {"test", {all[0].name()}});
  ASSERT_EQ(selected.size(), all.size() - 1);
  for (size_t i = 0; i < selected.size(); ++i) EXPECT_EQ(selected[i]->name(), all[i + 1].name());
  EXPECT_NE(message_of([&] {
              selected_layers(*model, {"test", {"fc9"}});
            }).find("[test] --exclude names unknown layer 'fc9'"),
            std::string::npos);
}

TEST(LayerWalk, ARefusedPassReplacesNothing) {
  auto model = testing::test_model("mlp");
  const auto& layers = model->layers();
  // The last layer already quantized: HQQ and RTN need dense FP32 layers.
  QuantizePlan plan;
  plan.method = "int8";
  for (size_t i = 0; i + 1 < layers.size(); ++i) plan.exclude.push_back(layers[i].name());
  plan.show_progress = false;
  quantize_model(*model, plan, testing::test_inputs("mlp", 8));
  const std::string last = layers.back().name();
  EXPECT_FALSE(layers.back().get()->is_dense());
  for (const auto& run :
       std::vector<std::function<void()>>{[&] { hqq_model(*model, HqqOptions{}, {}, nullptr); },
                                          [&] { rtn_model(*model, GptqOptions{}, {}); }}) {
    const std::string message = message_of(run);
    EXPECT_NE(message.find("layer '" + last + "' is"), std::string::npos) << message;
    EXPECT_NE(message.find("quantize an FP32 model"), std::string::npos) << message;
    for (size_t i = 0; i + 1 < layers.size(); ++i) EXPECT_TRUE(layers[i].get()->is_dense());
  }
  // Excluding the quantized layer lets the pass run on the rest.
  rtn_model(*model, GptqOptions{}, {last});
  EXPECT_FALSE(layers.front().get()->is_dense());
}

}  // namespace
}  // namespace qz::compress
