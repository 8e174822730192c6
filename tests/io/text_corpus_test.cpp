// Text corpora: UTF-8 checking byte by byte, and the window count.
#include "io/text_corpus.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace qz::io {
namespace {

TEST(TextCorpus, FindsTheFirstByteThatIsNotText) {
  EXPECT_EQ(first_non_text_byte("h\xc3\xa9llo"), -1);
  EXPECT_EQ(first_non_text_byte("\xf0\x9f\x98\x80 emoji"), -1);
  EXPECT_EQ(first_non_text_byte("ab\xc3"), 2);                // truncated sequence
  EXPECT_EQ(first_non_text_byte("\xed\xa0\x80"), 0);          // UTF-16 surrogate
  EXPECT_EQ(first_non_text_byte("x\xc0\xaf"), 1);             // overlong '/'
  EXPECT_EQ(first_non_text_byte("ok\xf4\x90\x80\x80"), 2);    // above U+10FFFF
  EXPECT_EQ(first_non_text_byte(std::string("a\0b", 3)), 1);  // NUL
  EXPECT_EQ(first_non_text_byte("\xff"), 0);
}

TEST(TextCorpus, CountsWindowsAndRefusesTooLittleText) {
  EXPECT_EQ(text_windows(std::string(321, 'a'), "t.txt", 32), 10);
  EXPECT_EQ(text_windows(std::string(352, 'a'), "t.txt", 32), 10);
  EXPECT_EQ(text_windows(std::string(353, 'a'), "t.txt", 32), 11);
  auto message = [](const std::string& text, int64_t seq) {
    try {
      text_windows(text, "t.txt", seq);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message(std::string(320, 'a'), 32).find("need at least 10"), std::string::npos);
  EXPECT_NE(message("", 32).find("t.txt: file is empty"), std::string::npos);
  EXPECT_NE(message(std::string(400, 'a') + "\xfe", 32).find("byte 400"), std::string::npos);
  EXPECT_NE(message(std::string(400, 'a'), 0).find("must be positive"), std::string::npos);
}

}  // namespace
}  // namespace qz::io
