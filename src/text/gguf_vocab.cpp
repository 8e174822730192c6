// Tokenizer::from_gguf: a tokenizer from GGUF metadata (tokenizer.ggml.*), as llama.cpp reads
// it. The pre-tokenizer is named (tokenizer.ggml.pre); its regexes are the ones llama.cpp and
// the models' tokenizer.json files use.
#include <fmt/format.h>

#include <map>

#include "core/error.h"
#include "io/gguf.h"
#include "text/tokenizer.h"

namespace qz::text {
namespace {

constexpr const char* kGpt2Split =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
constexpr const char* kLlama3Split =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr const char* kQwen2Split =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

struct PreTokenizer {
  std::vector<std::string> splits;
  bool ignore_merges;
  bool add_bos;
};

// tokenizer.ggml.pre names llama.cpp gives these pre-tokenizers.
const std::map<std::string, PreTokenizer>& pre_tokenizers() {
  static const std::map<std::string, PreTokenizer> table = [] {
    std::map<std::string, PreTokenizer> t;
    for (const char* name :
         {"llama3", "llama-v3", "llama-bpe", "smaug-bpe", "dbrx", "falcon3", "pixtral"})
      t[name] = {{kLlama3Split}, true, true};
    for (const char* name : {"qwen2", "stablelm2", "hunyuan"})
      t[name] = {{kQwen2Split}, false, false};
    for (const char* name : {"gpt-2", "mpt", "olmo", "jais"})
      t[name] = {{kGpt2Split}, false, false};
    for (const char* name : {"starcoder", "refact", "command-r", "smollm", "codeshell", "exaone"})
      t[name] = {{R"(\p{N})", kGpt2Split}, false, false};
    return t;
  }();
  return table;
}

std::string known_pre_tokenizers() {
  std::string s;
  for (const auto& [name, _] : pre_tokenizers()) s += (s.empty() ? "" : ", ") + name;
  return s;
}

std::optional<int32_t> optional_id(const io::GgufFile& file, const std::string& key) {
  if (!file.find(key)) return std::nullopt;
  const int64_t id = file.get_int(key);
  QZ_CHECK(id >= 0 && id < (int64_t{1} << 31), "[gguf] {}: {}: token id {} out of range",
           file.path(), key, id);
  return static_cast<int32_t>(id);
}

bool optional_bool(const io::GgufFile& file, const std::string& key, bool fallback) {
  const io::GgufValue* v = file.find(key);
  if (v == nullptr) return fallback;
  QZ_CHECK(!v->is_array() && v->type == io::GgufType::Bool && v->ints.size() == 1,
           "[gguf] {}: {}: {} (expected a bool)", file.path(), key, io::gguf_type_name(v->type));
  return v->ints[0] != 0;
}

}  // namespace

Tokenizer Tokenizer::from_gguf(const io::GgufFile& file) {
  const std::string& path = file.path();
  QZ_CHECK(file.find("tokenizer.ggml.model"),
           "[gguf] {}: no tokenizer.ggml.model: the file carries no tokenizer", path);
  const std::string model = file.get_string("tokenizer.ggml.model");
  TokenizerSpec spec;
  spec.label = path;
  spec.tokens = file.get_strings("tokenizer.ggml.tokens");
  if (const io::GgufValue* types = file.find("tokenizer.ggml.token_type")) {
    QZ_CHECK(types->is_array() && !types->ints.empty(),
             "[gguf] {}: tokenizer.ggml.token_type: expected an array of integers", path);
    for (const int64_t t : types->ints) {
      QZ_CHECK(t >= 1 && t <= 6, "[gguf] {}: tokenizer.ggml.token_type: type {} (expected 1-6)",
               path, t);
      spec.kinds.push_back(static_cast<TokenKind>(t));
    }
  }
  if (const io::GgufValue* scores = file.find("tokenizer.ggml.scores")) {
    QZ_CHECK(scores->is_array() && scores->floats.size() == scores->size(),
             "[gguf] {}: tokenizer.ggml.scores: expected an array of floats", path);
    for (const double s : scores->floats) spec.scores.push_back(static_cast<float>(s));
  }
  spec.bos_id = optional_id(file, "tokenizer.ggml.bos_token_id");
  spec.eos_id = optional_id(file, "tokenizer.ggml.eos_token_id");
  spec.unk_id = optional_id(file, "tokenizer.ggml.unknown_token_id");
  if (model == "llama") {
    spec.model = TokenizerModel::SentencePieceBpe;
    spec.add_space_prefix = optional_bool(file, "tokenizer.ggml.add_space_prefix", true);
    spec.add_bos = optional_bool(file, "tokenizer.ggml.add_bos_token", true);
  } else if (model == "gpt2") {
    spec.model = TokenizerModel::ByteLevelBpe;
    const std::string pre =
        file.find("tokenizer.ggml.pre") ? file.get_string("tokenizer.ggml.pre") : "";
    const auto it = pre_tokenizers().find(pre);
    QZ_CHECK(it != pre_tokenizers().end(),
             "[gguf] {}: tokenizer.ggml.pre '{}': unsupported pre-tokenizer (supported: {})", path,
             pre, known_pre_tokenizers());
    spec.split_patterns = it->second.splits;
    spec.ignore_merges = it->second.ignore_merges;
    spec.add_bos = optional_bool(file, "tokenizer.ggml.add_bos_token", it->second.add_bos);
    for (const std::string& m : file.get_strings("tokenizer.ggml.merges")) {
      const size_t space = m.find(' ', 1);
      QZ_CHECK(space != std::string::npos && space + 1 < m.size(),
               "[gguf] {}: tokenizer.ggml.merges: '{}' (expected 'left right')", path, m);
      spec.merges.emplace_back(m.substr(0, space), m.substr(space + 1));
    }
  } else {
    throw InputError(fmt::format(
        "[gguf] {}: tokenizer.ggml.model '{}': unsupported tokenizer (supported: gpt2, llama)",
        path, model));
  }
  return Tokenizer(std::move(spec));
}

}  // namespace qz::text
