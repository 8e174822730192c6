#include "core/text_table.h"

#include <gtest/gtest.h>

namespace qz {
namespace {

TEST(TextTable, AlignsColumnsAndRightAlignsNumbers) {
  TextTable t({"name", "bytes"});
  t.add_row({"a", "5"});
  t.add_row({"longer", "12345"});
  EXPECT_EQ(t.to_text(),
            "name    bytes\n"
            "-------------\n"
            "a           5\n"
            "longer  12345\n");
}

TEST(TextTable, Markdown) {
  TextTable t({"x", "y"});
  t.add_row({"1", "2"});
  EXPECT_EQ(t.to_markdown(), "| x | y |\n|---|---|\n| 1 | 2 |\n");
  TextTable piped({"max |diff|"});
  piped.add_row({"a|b"});
  EXPECT_EQ(piped.to_markdown(), "| max \\|diff\\| |\n|---|\n| a\\|b |\n");
}

}  // namespace
}  // namespace qz
