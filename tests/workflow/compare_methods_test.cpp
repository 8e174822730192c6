// compare's variant plan: one variant per bit width for methods with one, a single one for the
// rest, the group passed where a method takes it (not to per-channel 5–8-bit GPTQ), and bad
// requests refused before any model is loaded.
#include <gtest/gtest.h>

#include "core/error.h"
#include "workflow/compare_methods.h"

namespace qz::workflow {
namespace {

TEST(CompareMethods, PlansOneVariantPerMethodAndBitWidth) {
  CompareRequest r;
  r.in_path = "/models/tiny.safetensors";
  r.out_dir = "/out";
  r.methods = {"gptq", "hqq", "smoothquant", "int8"};
  r.bits = {3, 8};
  r.group = 32;
  EXPECT_THROW(plan_variants(r), InputError);  // hqq stores 2–4 bits only
  r.methods = {"gptq", "smoothquant", "nf4"};
  const auto v = plan_variants(r);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].name, "gptq-w3");
  EXPECT_EQ(v[0].step.options["group"], 32);
  EXPECT_EQ(v[1].name, "gptq-w8");
  EXPECT_EQ(v[1].step.options["group"], 0);  // 8-bit codes are per channel
  EXPECT_EQ(v[2].name, "smoothquant");
  EXPECT_FALSE(v[2].step.options.contains("group"));
  EXPECT_EQ(v[3].name, "nf4");
  EXPECT_EQ(v[3].step.options["group"], 32);
  EXPECT_EQ(v[0].path, "/out/tiny-gptq-w3.safetensors");

  r.group = 0;  // each method's own default
  r.methods = {"hqq"};
  r.bits = {4};
  EXPECT_EQ(plan_variants(r)[0].step.options["group"], 64);
  r.methods = {"rtn", "rtn"};
  EXPECT_THROW(plan_variants(r), InputError);
  r.methods = {};
  EXPECT_THROW(plan_variants(r), InputError);
  r.methods = {"int7"};
  EXPECT_THROW(plan_variants(r), InputError);
}

}  // namespace
}  // namespace qz::workflow
