// libFuzzer target: the first byte picks what the rest is. 0: a regex pattern, compiled and
// matched over a fixed text. 1: text for a byte-level BPE tokenizer (GPT-2 and Llama 3 split
// patterns), which must decode back to the same bytes. 2: text for a SentencePiece tokenizer
// with byte fallback. 3: a GGUF file whose tokenizer.ggml.* metadata builds a tokenizer that
// then encodes a fixed text. Only InputError may come out.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"
#include "io/gguf.h"
#include "text/regex.h"
#include "text/tokenizer.h"
#include "text/unicode.h"

namespace {

using qz::text::Tokenizer;
using qz::text::TokenizerModel;
using qz::text::TokenizerSpec;

const std::string kSample = "Hello, y'all! 1234  \n\t\xC3\xA9\xE6\x88\x91 \xF0\x9F\x98\x81?";

Tokenizer byte_level() {
  TokenizerSpec spec;
  spec.label = "fuzz";
  uint32_t next = 256;
  for (uint32_t b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
    std::string t;
    qz::text::append_utf8(t, printable ? b : next++);
    spec.tokens.push_back(t);
  }
  for (const char* t : {"he", "ll", "hell", "\xC4\xA0w", "<|end|>"}) spec.tokens.emplace_back(t);
  spec.kinds.assign(spec.tokens.size(), qz::text::TokenKind::Normal);
  spec.kinds.back() = qz::text::TokenKind::Control;
  spec.merges = {{"h", "e"}, {"l", "l"}, {"he", "ll"}, {"\xC4\xA0", "w"}};
  spec.split_patterns = {
      R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)",
      R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"};
  return Tokenizer(spec);
}

Tokenizer sentencepiece() {
  TokenizerSpec spec;
  spec.label = "fuzz";
  spec.model = TokenizerModel::SentencePieceBpe;
  spec.tokens = {"<unk>",
                 "<s>",
                 "\xE2\x96\x81",
                 "a",
                 "b",
                 "\xE2\x96\x81"
                 "a",
                 "ab"};
  spec.scores = {0, 0, -1, -1, -1, -3, -2};
  for (int b = 0; b < 256; b += 3) {  // some bytes only: the rest fall back to <unk>
    static const char* hex = "0123456789ABCDEF";
    spec.tokens.push_back(std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">");
    spec.scores.push_back(0);
  }
  spec.unk_id = 0;
  return Tokenizer(spec);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 4) {
      case 0: {
        const qz::text::Regex re(rest, "fuzz");
        std::vector<uint32_t> cps;
        for (const auto& cp : qz::text::decode_utf8(kSample)) cps.push_back(cp.value);
        for (size_t pos = 0; pos < cps.size();) {
          const auto m = re.find(cps, pos);
          if (m.begin >= cps.size()) break;
          if (m.end <= m.begin || m.end > cps.size()) std::abort();
          pos = m.end;
        }
        break;
      }
      case 1: {
        static const Tokenizer tok = byte_level();
        if (tok.decode(tok.encode(rest, data[0] & 4)) != rest && !(data[0] & 4)) std::abort();
        break;
      }
      case 2: {
        static const Tokenizer tok = sentencepiece();
        (void)tok.decode(tok.encode(rest, data[0] & 4));
        break;
      }
      default: {
        std::vector<std::byte> bytes(size - 1);
        for (size_t i = 1; i < size; ++i) bytes[i - 1] = static_cast<std::byte>(data[i]);
        const auto file = qz::io::GgufFile::from_bytes(std::move(bytes), "fuzz");
        const Tokenizer tok = Tokenizer::from_gguf(file);
        (void)tok.decode(tok.encode(kSample));
        break;
      }
    }
  } catch (const qz::InputError&) {
  }
  return 0;
}
