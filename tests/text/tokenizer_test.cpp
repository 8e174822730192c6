// The tokenizer's parts on small hand-made cases: code points and categories, the regex
// matcher, BPE by rank and by score, byte fallback, added tokens, decoding.
#include "text/tokenizer.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "text/regex.h"
#include "text/unicode.h"

namespace qz::text {
namespace {

std::vector<uint32_t> code_points(const std::string& s) {
  std::vector<uint32_t> out;
  for (const CodePoint& cp : decode_utf8(s)) out.push_back(cp.value);
  return out;
}

std::vector<std::string> split(const Regex& re, const std::string& s) {
  const std::vector<CodePoint> cps = decode_utf8(s);
  const std::vector<uint32_t> values = code_points(s);
  std::vector<std::string> out;
  for (size_t pos = 0; pos < values.size();) {
    const Regex::Match m = re.find(values, pos);
    if (m.begin == values.size()) break;
    out.push_back(s.substr(cps[m.begin].offset,
                           cps[m.end - 1].offset + cps[m.end - 1].length - cps[m.begin].offset));
    pos = m.end;
  }
  return out;
}

TEST(Unicode, DecodesUtf8AndMarksInvalidBytes) {
  const auto cps = decode_utf8("a\xC3\xA9\xF0\x9F\xA6\x99\xFF\xC3");
  ASSERT_EQ(cps.size(), 5u);
  EXPECT_EQ(cps[0].value, 'a');
  EXPECT_EQ(cps[1].value, 0xE9u);
  EXPECT_EQ(cps[2].value, 0x1F999u);
  EXPECT_EQ(cps[2].length, 4u);
  EXPECT_EQ(cps[3].value, 0xFFFDu);                      // a stray continuation byte
  EXPECT_EQ(cps[4].value, 0xFFFDu);                      // a truncated sequence
  EXPECT_EQ(decode_utf8("\xC0\x80")[0].value, 0xFFFDu);  // overlong NUL
  std::string s;
  for (const uint32_t cp : {0x41u, 0x416u, 0x20ACu, 0x1F600u}) append_utf8(s, cp);
  EXPECT_EQ(code_points(s), (std::vector<uint32_t>{0x41, 0x416, 0x20AC, 0x1F600}));
}

TEST(Unicode, KnowsCategories) {
  EXPECT_EQ(general_category('A'), Category::Lu);
  EXPECT_EQ(general_category(0x439), Category::Ll);   // Cyrillic й
  EXPECT_EQ(general_category(0x6211), Category::Lo);  // CJK 我
  EXPECT_EQ(general_category('7'), Category::Nd);
  EXPECT_EQ(general_category(0xBD), Category::No);   // ½
  EXPECT_EQ(general_category(0x301), Category::Mn);  // combining acute
  EXPECT_EQ(general_category(0x1F600), Category::So);
  EXPECT_EQ(general_category(0x10FFFF), Category::Cn);
  EXPECT_TRUE(is_whitespace(0x3000));
  EXPECT_FALSE(is_whitespace(0x200B));  // zero-width space is not White_Space
}

TEST(Regex, MatchesLeftmostFirstWithBacktracking) {
  const Regex gpt2(R"('s|'t| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)", "test");
  EXPECT_EQ(split(gpt2, "it's  12 ok!!"),
            (std::vector<std::string>{"it", "'s", " ", " 12", " ok", "!!"}));
  EXPECT_EQ(split(gpt2, "a   "), (std::vector<std::string>{"a", "   "}));
  const Regex digits(R"(\p{N}{1,3})", "test");
  EXPECT_EQ(split(digits, "1234567"), (std::vector<std::string>{"123", "456", "7"}));
  const Regex fold(R"((?i:'ll)|x)", "test");
  EXPECT_EQ(split(fold, "'LL'll"), (std::vector<std::string>{"'LL", "'ll"}));
  const Regex lazy(R"(a+?b|[^a-c]+$)", "test");
  EXPECT_EQ(split(lazy, "aab zz"), (std::vector<std::string>{"aab", " zz"}));
}

TEST(Regex, RefusesWhatItDoesNotSupport) {
  for (const char* bad : {"(a", "a)", "[abc", "\\p{Xx}", "*a", "a{3,1}", "\\1", "a++", "(?<n>a)"}) {
    EXPECT_THROW(Regex(bad, "test"), InputError) << bad;
  }
}

TokenizerSpec byte_level_spec() {
  TokenizerSpec spec;
  spec.label = "test";
  spec.model = TokenizerModel::ByteLevelBpe;
  // All 256 byte characters, then merges h+e, l+l, he+ll, Ġ+w.
  std::vector<uint32_t> cps(256);
  uint32_t next = 256;
  for (uint32_t b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
    cps[b] = printable ? b : next++;
    std::string t;
    append_utf8(t, cps[b]);
    spec.tokens.push_back(t);
  }
  for (const char* t : {"he", "ll", "hell", "Ġw", "<|end|>"}) spec.tokens.emplace_back(t);
  spec.kinds.assign(spec.tokens.size(), TokenKind::Normal);
  spec.kinds.back() = TokenKind::Control;
  spec.merges = {{"h", "e"}, {"l", "l"}, {"he", "ll"}, {"Ġ", "w"}};
  spec.split_patterns = {R"( ?\p{L}+| ?[^\s\p{L}]+|\s+)"};
  spec.bos_id = 260;
  return spec;
}

TEST(Tokenizer, ByteLevelBpeMergesByRank) {
  const Tokenizer tok(byte_level_spec());
  // "hello" -> he, ll (rank 0, 1) -> hell (rank 2) + o; " w" -> Ġw.
  EXPECT_EQ(tok.encode("hello w"), (std::vector<int32_t>{258, 'o', 259}));
  EXPECT_EQ(tok.decode(tok.encode("hello w")), "hello w");
  // Bytes outside ASCII go through the byte map and come back.
  const std::string odd = "h\xC3\xA9\xFF\n";
  EXPECT_EQ(tok.decode(tok.encode(odd)), odd);
  // A control token is text unless parse_special; decode leaves it out unless asked.
  EXPECT_EQ(tok.encode("<|end|>").size(), 7u);
  EXPECT_EQ(tok.encode("he<|end|>", true), (std::vector<int32_t>{256, 260}));
  EXPECT_EQ(tok.decode({256, 260}), "he");
  EXPECT_EQ(tok.decode({256, 260}, true), "he<|end|>");
  EXPECT_EQ(tok.encode("he", false, true), (std::vector<int32_t>{260, 256}));
  EXPECT_THROW(tok.decode({999}), InputError);
}

TEST(Tokenizer, SentencePieceMergesByScoreWithByteFallback) {
  TokenizerSpec spec;
  spec.label = "test";
  spec.model = TokenizerModel::SentencePieceBpe;
  spec.tokens = {"<unk>", "<s>", "▁", "a", "b", "▁a", "ab", "▁ab"};
  spec.scores = {0, 0, -1, -1, -1, -3, -2, -4};
  spec.kinds = {TokenKind::Unknown, TokenKind::Control, TokenKind::Normal, TokenKind::Normal,
                TokenKind::Normal,  TokenKind::Normal,  TokenKind::Normal, TokenKind::Normal};
  for (int b = 0; b < 256; ++b) {
    spec.tokens.push_back(fmt::format("<0x{:02X}>", b));
    spec.scores.push_back(0);
    spec.kinds.push_back(TokenKind::Byte);
  }
  spec.unk_id = 0;
  const Tokenizer tok(spec);
  // " ab" -> ▁ a b: "ab" (-2) merges before "▁a" (-3), then ▁+ab -> ▁ab.
  EXPECT_EQ(tok.encode("ab"), (std::vector<int32_t>{7}));
  // 'c' has no token: its byte token; é is two byte tokens.
  EXPECT_EQ(tok.encode("c"), (std::vector<int32_t>{2, 8 + 'c'}));
  EXPECT_EQ(tok.encode("é"), (std::vector<int32_t>{2, 8 + 0xC3, 8 + 0xA9}));
  EXPECT_EQ(tok.decode(tok.encode("ab cé")), "ab cé");
}

TEST(Tokenizer, RefusesInconsistentSpecs) {
  TokenizerSpec spec = byte_level_spec();
  spec.merges.emplace_back("x", "qq");  // "qq" is not a token
  EXPECT_THROW(Tokenizer{spec}, InputError);
  spec = byte_level_spec();
  spec.bos_id = 100000;
  EXPECT_THROW(Tokenizer{spec}, InputError);
  spec = byte_level_spec();
  spec.split_patterns = {"(unclosed"};
  EXPECT_THROW(Tokenizer{spec}, InputError);
}

}  // namespace
}  // namespace qz::text
