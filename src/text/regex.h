// The regular expressions tokenizers split text with (tokenizer.json's Split pre-tokenizers,
// GPT-2's ByteLevel pattern, llama.cpp's per-model patterns), matched over code points with
// backtracking and leftmost-first alternation, as Oniguruma and fancy-regex do.
//
// Supported: alternation, (..), (?:..), (?i:..) (ASCII case folding), (?=..), (?!..), ^, $, .,
// classes [..] / [^..] with ranges, \p{L} \p{Lu} \P{..} (general categories), \s \S \d \D \w \W,
// \r \n \t \f \v and escaped punctuation, quantifiers ? * + {n} {n,} {n,m} (greedy or lazy).
// Anything else is an InputError naming the pattern and the position.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace qz::text {

struct RegexNode;

class Regex {
 public:
  // `label` names the pattern's source in errors.
  Regex(const std::string& pattern, const std::string& label);
  ~Regex();
  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;

  // The first non-empty match starting at or after `from`: [begin, end) in code-point indices,
  // or begin == cps.size() when there is none.
  struct Match {
    size_t begin;
    size_t end;
  };
  Match find(std::span<const uint32_t> cps, size_t from) const;
  const std::string& pattern() const { return pattern_; }

 private:
  std::string pattern_;
  std::unique_ptr<RegexNode> root_;
};

}  // namespace qz::text
