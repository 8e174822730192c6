// Our tokenizer against llama.cpp's own tokenizer test suite: each models/ggml-vocab-NAME.gguf
// with its .inp (texts separated by "\n__ggml_vocab_test__\n") and .out (the expected ids, one
// line per text), as llama.cpp's tests/test-tokenizer-0 reads them (no BOS, control tokens not
// parsed). tests/text/llama_vocab_tests.sh fetches llama.cpp's source and points
// QZ_LLAMA_VOCABS at its models/ folder; without it these tests skip.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "io/gguf.h"
#include "io/read_file.h"
#include "text/tokenizer.h"

namespace qz::text {
namespace {

struct VocabCase {
  std::string text;
  std::vector<int32_t> ids;
};

std::vector<VocabCase> read_cases(const std::string& inp, const std::string& out) {
  const std::string raw = io::read_file(inp);
  const std::string sep = "\n__ggml_vocab_test__\n";
  std::vector<std::string> texts;
  size_t pos = 0;
  while (pos < raw.size()) {
    const size_t next = raw.find(sep, pos);
    if (next == std::string::npos) {
      texts.push_back(raw.substr(pos));
      break;
    }
    texts.push_back(raw.substr(pos, next - pos));
    pos = next + sep.size();
  }
  std::istringstream lines(io::read_file(out));
  std::vector<VocabCase> cases;
  std::string line;
  for (size_t i = 0; std::getline(lines, line); ++i) {
    EXPECT_LT(i, texts.size()) << out << ": more lines than " << inp << " has texts";
    if (i >= texts.size()) break;
    VocabCase c{texts[i], {}};
    std::istringstream ids(line);
    for (int64_t id = 0; ids >> id;) c.ids.push_back(static_cast<int32_t>(id));
    cases.push_back(std::move(c));
  }
  EXPECT_EQ(cases.size(), texts.size()) << inp;
  return cases;
}

class LlamaVocab : public ::testing::TestWithParam<std::string> {};

TEST_P(LlamaVocab, ReproducesEveryExpectedTokenization) {
  const char* dir = std::getenv("QZ_LLAMA_VOCABS");
  if (dir == nullptr)
    GTEST_SKIP() << "QZ_LLAMA_VOCABS not set (tests/text/llama_vocab_tests.sh sets it)";
  const std::string base = std::string(dir) + "/ggml-vocab-" + GetParam() + ".gguf";
  ASSERT_TRUE(std::filesystem::exists(base)) << base;
  const Tokenizer tokenizer = Tokenizer::from_gguf(io::GgufFile::open(base));
  const std::vector<VocabCase> cases = read_cases(base + ".inp", base + ".out");
  ASSERT_GE(cases.size(), 30u) << base;
  size_t failures = 0;
  for (const VocabCase& c : cases) {
    const std::vector<int32_t> got = tokenizer.encode(c.text);
    EXPECT_EQ(got, c.ids) << GetParam() << ": text '" << c.text << "'";
    failures += got != c.ids;
    // Decoding gives the text back: SentencePiece drops the space it put in front, and control
    // tokens are not parsed here, so every byte of the text is in the ids.
    EXPECT_EQ(tokenizer.decode(got), c.text) << GetParam();
  }
  EXPECT_EQ(failures, 0u) << GetParam() << ": " << failures << " of " << cases.size();
}

INSTANTIATE_TEST_SUITE_P(LlamaCpp, LlamaVocab,
                         ::testing::Values("llama-bpe", "llama-spm", "qwen2", "gpt-2", "phi-3"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& ch : n) ch = ch == '-' ? '_' : ch;
                           return n;
                         });

}  // namespace
}  // namespace qz::text
