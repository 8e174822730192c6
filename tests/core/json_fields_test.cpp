#include "core/json_fields.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace qz {
namespace {

using nlohmann::json;

TEST(JsonFields, ReadsValidFields) {
  const json j = {{"n", 5}, {"x", 0.5}, {"s", "hi"}, {"l", {1, 2, 3}}};
  EXPECT_EQ(json_int(j, "n", "cfg", 0, 10), 5);
  EXPECT_DOUBLE_EQ(json_number(j, "x", "cfg", 0, 1), 0.5);
  EXPECT_EQ(json_string(j, "s", "cfg"), "hi");
  EXPECT_EQ(json_int_list(j, "l", "cfg", 0, 9, 3), (std::vector<int64_t>{1, 2, 3}));
}

TEST(JsonFields, ErrorsNameTheSourceAndField) {
  const json j = {{"n", 50}, {"s", 3}, {"l", {1, -2}}};
  try {
    json_int(j, "n", "model.json", 0, 10);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("model.json"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("'n'"), std::string::npos);
  }
  EXPECT_THROW(json_int(j, "missing", "cfg", 0, 1), InputError);
  EXPECT_THROW(json_string(j, "s", "cfg"), InputError);
  EXPECT_THROW(json_int_list(j, "l", "cfg", 0, 9, 8), InputError);
  EXPECT_THROW(json_int_list(j, "l", "cfg", -9, 9, 1), InputError);
  EXPECT_THROW(json_only_keys(j, {"n", "s"}, "cfg"), InputError);
}

TEST(JsonFields, RejectsDeepNestingAndBadSyntax) {
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  EXPECT_THROW(parse_json(deep, "deep.json"), InputError);
  EXPECT_THROW(parse_json("{\"a\": ", "cut.json"), InputError);
  EXPECT_NO_THROW(parse_json("[[[1]]]", "ok.json"));
}

}  // namespace
}  // namespace qz
