// Language-model tokenizers, torch-free: byte-level BPE (GPT-2, Llama 3, Qwen2: a regex
// pre-tokenizer, bytes mapped to printable code points, merges by rank) and SentencePiece-style
// BPE (Llama 2, Mistral, TinyLlama, Phi-3: spaces as U+2581, a leading space, merges by score,
// unknown characters as <0xNN> byte tokens). Encoding follows llama.cpp's tokenizer exactly
// (tests/text: its ggml-vocab test suites): added tokens split the text first, longest first;
// control tokens only when asked to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/regex.h"

namespace qz::io {
class GgufFile;
}

namespace qz::text {

// As GGUF's tokenizer.ggml.token_type numbers them.
enum class TokenKind : int32_t {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  UserDefined = 4,
  Unused = 5,
  Byte = 6,
};

enum class TokenizerModel { ByteLevelBpe, SentencePieceBpe };

// Everything a tokenizer is made of; the loaders (GGUF metadata, tokenizer.json) fill it and
// Tokenizer validates it.
struct TokenizerSpec {
  TokenizerModel model = TokenizerModel::ByteLevelBpe;
  std::vector<std::string> tokens;
  std::vector<TokenKind> kinds;                             // empty: all Normal
  std::vector<float> scores;                                // SentencePiece merges; empty: none
  std::vector<std::pair<std::string, std::string>> merges;  // byte-level BPE, by rank
  std::vector<std::string> split_patterns;  // byte-level pre-tokenizer, applied in order
  bool ignore_merges = false;               // a pre-token that is a token is kept whole (Llama 3)
  bool add_space_prefix = true;  // SentencePiece: ' ' before the text and after added tokens
  bool add_bos = false;
  std::optional<int32_t> bos_id;
  std::optional<int32_t> eos_id;
  std::optional<int32_t> unk_id;
  std::string label;  // names the source in errors
};

class Tokenizer {
 public:
  explicit Tokenizer(TokenizerSpec spec);
  // From a GGUF file's tokenizer.ggml.* metadata; InputError naming the file and key.
  static Tokenizer from_gguf(const io::GgufFile& file);

  // Token ids of `text` (UTF-8; invalid bytes are encoded as bytes). parse_special: control
  // tokens written in the text become those tokens (user-defined ones always do).
  std::vector<int32_t> encode(std::string_view text, bool parse_special = false,
                              bool add_bos = false) const;
  // The text of `ids`; control tokens are left out unless `with_special`.
  std::string decode(const std::vector<int32_t>& ids, bool with_special = false) const;

  TokenizerModel model() const { return spec_.model; }
  size_t vocab_size() const { return spec_.tokens.size(); }
  const std::string& token(int32_t id) const { return spec_.tokens.at(static_cast<size_t>(id)); }
  TokenKind kind(int32_t id) const;
  std::optional<int32_t> bos_id() const { return spec_.bos_id; }
  std::optional<int32_t> eos_id() const { return spec_.eos_id; }
  bool adds_bos() const { return spec_.add_bos; }
  std::optional<int32_t> find(std::string_view token) const;
  // One line: model, vocabulary size, merges, pre-tokenizer.
  std::string describe() const;

 private:
  using WordCache = std::unordered_map<std::string, std::vector<int32_t>>;
  void encode_text(std::string_view text, bool after_special, std::vector<int32_t>& out,
                   WordCache& cache) const;
  void encode_word(const std::string& word, std::vector<int32_t>& out) const;
  void encode_sentencepiece(std::string_view text, bool after_special,
                            std::vector<int32_t>& out) const;
  // BPE over the code points of `word`, merging the best-priority adjacent pair (lowest rank,
  // or highest score) first, leftmost on ties; returns the pieces' byte lengths.
  std::vector<size_t> merge(const std::string& word) const;
  std::optional<double> pair_priority(std::string_view left, std::string_view right) const;

  TokenizerSpec spec_;
  std::unordered_map<std::string, int32_t> ids_;
  std::unordered_map<uint64_t, int32_t> merge_rank_;  // (left id << 32 | right id) -> rank
  std::vector<Regex> splits_;
  std::vector<int32_t> specials_;        // added tokens, longest first
  std::vector<int32_t> byte_tokens_;     // SentencePiece <0xNN>, -1 when absent
  std::vector<std::string> byte_chars_;  // byte-level BPE: byte -> its printable code point
  std::unordered_map<uint32_t, uint8_t> char_bytes_;  // and back
};

}  // namespace qz::text
