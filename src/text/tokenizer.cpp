#include "text/tokenizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <queue>

#include "core/error.h"
#include "text/unicode.h"

namespace qz::text {
namespace {

constexpr const char* kSpaceMark = "\xE2\x96\x81";  // U+2581, SentencePiece's space

uint64_t pair_key(int32_t left, int32_t right) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

// GPT-2's byte-to-code-point map: printable Latin-1 bytes stand for themselves, the others take
// the code points from U+0100 on, in byte order.
std::vector<uint32_t> byte_level_code_points() {
  std::vector<uint32_t> cps(256);
  uint32_t next = 256;
  for (uint32_t b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
    cps[b] = printable ? b : next++;
  }
  return cps;
}

std::string replace_all(std::string_view s, std::string_view from, std::string_view to) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t hit = s.find(from, pos);
    out.append(s.substr(pos, hit == std::string_view::npos ? std::string_view::npos : hit - pos));
    if (hit == std::string_view::npos) return out;
    out.append(to);
    pos = hit + from.size();
  }
}

}  // namespace

Tokenizer::Tokenizer(TokenizerSpec spec) : spec_(std::move(spec)) {
  const std::string& label = spec_.label;
  const size_t n = spec_.tokens.size();
  QZ_CHECK(n > 0 && n < (size_t{1} << 31), "[tokenizer] {}: vocabulary of {} tokens", label, n);
  QZ_CHECK(spec_.kinds.empty() || spec_.kinds.size() == n,
           "[tokenizer] {}: {} token kinds for {} tokens", label, spec_.kinds.size(), n);
  QZ_CHECK(spec_.scores.empty() || spec_.scores.size() == n,
           "[tokenizer] {}: {} token scores for {} tokens", label, spec_.scores.size(), n);
  for (const auto& id : {spec_.bos_id, spec_.eos_id, spec_.unk_id}) {
    QZ_CHECK(!id || (*id >= 0 && static_cast<size_t>(*id) < n),
             "[tokenizer] {}: special token id {} outside the vocabulary of {}", label, *id, n);
  }
  ids_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    // The first of duplicate strings wins, as in llama.cpp's token_to_id.
    ids_.emplace(spec_.tokens[i], static_cast<int32_t>(i));
    const TokenKind k = kind(static_cast<int32_t>(i));
    if ((k == TokenKind::Control || k == TokenKind::UserDefined || k == TokenKind::Unknown) &&
        !spec_.tokens[i].empty())
      specials_.push_back(static_cast<int32_t>(i));
  }
  std::stable_sort(specials_.begin(), specials_.end(),
                   [&](int32_t a, int32_t b) { return token(a).size() > token(b).size(); });
  if (spec_.model == TokenizerModel::ByteLevelBpe) {
    const std::vector<uint32_t> cps = byte_level_code_points();
    byte_chars_.resize(256);
    for (uint32_t b = 0; b < 256; ++b) {
      append_utf8(byte_chars_[b], cps[b]);
      char_bytes_[cps[b]] = static_cast<uint8_t>(b);
    }
    merge_rank_.reserve(spec_.merges.size());
    for (size_t r = 0; r < spec_.merges.size(); ++r) {
      const auto& [a, b] = spec_.merges[r];
      const auto left = find(a);
      const auto right = find(b);
      const auto merged = find(a + b);
      QZ_CHECK(left && right && merged,
               "[tokenizer] {}: merge {} '{} {}': expected both sides and their join in the "
               "vocabulary",
               label, r, a, b);
      merge_rank_.emplace(pair_key(*left, *right), static_cast<int32_t>(r));
    }
    for (const std::string& pattern : spec_.split_patterns) splits_.emplace_back(pattern, label);
  } else {
    byte_tokens_.assign(256, -1);
    for (uint32_t b = 0; b < 256; ++b) {
      if (const auto id = find(fmt::format("<0x{:02X}>", b))) byte_tokens_[b] = *id;
    }
  }
}

TokenKind Tokenizer::kind(int32_t id) const {
  return spec_.kinds.empty() ? TokenKind::Normal : spec_.kinds.at(static_cast<size_t>(id));
}

std::optional<int32_t> Tokenizer::find(std::string_view token) const {
  const auto it = ids_.find(std::string(token));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

std::string Tokenizer::describe() const {
  if (spec_.model == TokenizerModel::SentencePieceBpe)
    return fmt::format(
        "SentencePiece BPE, {} tokens, {} byte tokens, space prefix {}", vocab_size(),
        std::count_if(byte_tokens_.begin(), byte_tokens_.end(), [](int32_t id) { return id >= 0; }),
        spec_.add_space_prefix ? "on" : "off");
  return fmt::format("byte-level BPE, {} tokens, {} merges, {} split pattern(s){}", vocab_size(),
                     spec_.merges.size(), splits_.size(),
                     spec_.ignore_merges ? ", ignore_merges" : "");
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool parse_special,
                                       bool add_bos) const {
  // Fragments: text ranges, or a token id (an added token found in the text). Each added token,
  // longest first, splits every text fragment it occurs in, as llama.cpp does.
  struct Fragment {
    size_t begin;
    size_t end;
    int32_t token;  // -1 for text
  };
  std::vector<Fragment> fragments;
  if (!text.empty()) fragments.push_back({0, text.size(), -1});
  for (const int32_t special : specials_) {
    const TokenKind k = kind(special);
    if (!parse_special && (k == TokenKind::Control || k == TokenKind::Unknown)) continue;
    const std::string& needle = token(special);
    std::vector<Fragment> next;
    next.reserve(fragments.size());
    for (const Fragment& f : fragments) {
      if (f.token >= 0) {
        next.push_back(f);
        continue;
      }
      size_t pos = f.begin;
      while (true) {
        const size_t hit = text.substr(0, f.end).find(needle, pos);
        if (hit == std::string_view::npos) break;
        if (hit > pos) next.push_back({pos, hit, -1});
        next.push_back({hit, hit + needle.size(), special});
        pos = hit + needle.size();
      }
      if (pos < f.end) next.push_back({pos, f.end, -1});
    }
    fragments = std::move(next);
  }
  std::vector<int32_t> out;
  if (add_bos && spec_.bos_id) out.push_back(*spec_.bos_id);
  WordCache cache;
  bool after_special = true;
  for (const Fragment& f : fragments) {
    if (f.token >= 0) {
      out.push_back(f.token);
      after_special = true;
    } else {
      encode_text(text.substr(f.begin, f.end - f.begin), after_special, out, cache);
      after_special = false;
    }
  }
  return out;
}

void Tokenizer::encode_text(std::string_view text, bool after_special, std::vector<int32_t>& out,
                            WordCache& cache) const {
  if (spec_.model == TokenizerModel::SentencePieceBpe) {
    encode_sentencepiece(text, after_special, out);
    return;
  }
  // Pre-tokenize: each pattern splits every piece into its matches and the gaps between them.
  const std::vector<CodePoint> cps = decode_utf8(text);
  std::vector<std::pair<size_t, size_t>> pieces = {{0, cps.size()}};  // code-point ranges
  std::vector<uint32_t> values;
  for (const Regex& split : splits_) {
    std::vector<std::pair<size_t, size_t>> next;
    for (const auto& [b, e] : pieces) {
      values.clear();
      for (size_t i = b; i < e; ++i) values.push_back(cps[i].value);
      size_t pos = 0;
      while (pos < values.size()) {
        const Regex::Match m = split.find(values, pos);
        if (m.begin > pos) next.emplace_back(b + pos, b + m.begin);
        if (m.begin == values.size()) break;
        next.emplace_back(b + m.begin, b + m.end);
        pos = m.end;
      }
    }
    pieces = std::move(next);
  }
  for (const auto& [b, e] : pieces) {
    if (b == e) continue;
    const size_t byte_begin = cps[b].offset;
    const size_t byte_end = cps[e - 1].offset + cps[e - 1].length;
    std::string word;
    for (size_t i = byte_begin; i < byte_end; ++i)
      word += byte_chars_[static_cast<unsigned char>(text[i])];
    auto [it, fresh] = cache.try_emplace(word);
    if (fresh) encode_word(word, it->second);
    out.insert(out.end(), it->second.begin(), it->second.end());
    if (cache.size() > 200000) cache.clear();
  }
}

void Tokenizer::encode_word(const std::string& word, std::vector<int32_t>& out) const {
  if (spec_.ignore_merges) {
    if (const auto id = find(word)) {
      out.push_back(*id);
      return;
    }
  }
  size_t pos = 0;
  for (const size_t len : merge(word)) {
    const std::string_view piece(word.data() + pos, len);
    if (const auto id = find(piece)) {
      out.push_back(*id);
    } else {
      // A piece the vocabulary lacks: its characters one by one (each byte has a token in a
      // complete byte-level vocabulary), or unk.
      for (size_t i = 0; i < len;) {
        const size_t n = std::min(utf8_length(static_cast<unsigned char>(piece[i])), len - i);
        const auto id = find(piece.substr(i, n));
        if (id) {
          out.push_back(*id);
        } else if (spec_.unk_id) {
          out.push_back(*spec_.unk_id);
        }
        i += n;
      }
    }
    pos += len;
  }
}

void Tokenizer::encode_sentencepiece(std::string_view text, bool after_special,
                                     std::vector<int32_t>& out) const {
  std::string escaped = spec_.add_space_prefix && after_special ? " " : "";
  escaped += text;
  escaped = replace_all(escaped, " ", kSpaceMark);
  size_t pos = 0;
  for (const size_t len : merge(escaped)) {
    const std::string_view piece(escaped.data() + pos, len);
    pos += len;
    if (const auto id = find(piece)) {
      out.push_back(*id);
      continue;
    }
    for (const char c : piece) {
      const int32_t id = byte_tokens_[static_cast<unsigned char>(c)];
      if (id >= 0) {
        out.push_back(id);
      } else if (spec_.unk_id) {
        out.push_back(*spec_.unk_id);
      }
    }
  }
}

std::optional<double> Tokenizer::pair_priority(std::string_view left,
                                               std::string_view right) const {
  if (spec_.model == TokenizerModel::SentencePieceBpe) {
    // The join must be a token; the higher its score, the earlier it merges.
    const std::string joined = std::string(left) + std::string(right);
    const auto id = find(joined);
    if (!id) return std::nullopt;
    return spec_.scores.empty() ? 0.0
                                : -static_cast<double>(spec_.scores[static_cast<size_t>(*id)]);
  }
  const auto l = find(left);
  const auto r = find(right);
  if (!l || !r) return std::nullopt;
  const auto it = merge_rank_.find(pair_key(*l, *r));
  if (it == merge_rank_.end()) return std::nullopt;
  return static_cast<double>(it->second);
}

std::vector<size_t> Tokenizer::merge(const std::string& word) const {
  struct Symbol {
    size_t begin;
    size_t length;  // 0 once merged into its left neighbour
    int prev;
    int next;
  };
  std::vector<Symbol> symbols;
  for (size_t i = 0; i < word.size();) {
    const size_t n = std::min(utf8_length(static_cast<unsigned char>(word[i])), word.size() - i);
    const int index = static_cast<int>(symbols.size());
    symbols.push_back({i, n, index - 1, -1});
    if (index > 0) symbols[static_cast<size_t>(index - 1)].next = index;
    i += n;
  }
  struct Candidate {
    double priority;
    int left;
    int right;
    size_t length;  // of the join when queued: a stale candidate no longer adds up
  };
  const auto later = [](const Candidate& a, const Candidate& b) {
    return a.priority > b.priority || (a.priority == b.priority && a.left > b.left);
  };
  std::priority_queue<Candidate, std::vector<Candidate>, decltype(later)> queue(later);
  const auto consider = [&](int left, int right) {
    if (left < 0 || right < 0) return;
    const Symbol& l = symbols[static_cast<size_t>(left)];
    const Symbol& r = symbols[static_cast<size_t>(right)];
    const auto p = pair_priority(std::string_view(word).substr(l.begin, l.length),
                                 std::string_view(word).substr(r.begin, r.length));
    if (p) queue.push({*p, left, right, l.length + r.length});
  };
  for (size_t i = 1; i < symbols.size(); ++i)
    consider(static_cast<int>(i - 1), static_cast<int>(i));
  while (!queue.empty()) {
    const Candidate c = queue.top();
    queue.pop();
    Symbol& l = symbols[static_cast<size_t>(c.left)];
    Symbol& r = symbols[static_cast<size_t>(c.right)];
    if (l.length == 0 || r.length == 0 || l.next != c.right || l.length + r.length != c.length)
      continue;
    l.length += r.length;
    r.length = 0;
    l.next = r.next;
    if (r.next >= 0) symbols[static_cast<size_t>(r.next)].prev = c.left;
    consider(l.prev, c.left);
    consider(c.left, l.next);
  }
  std::vector<size_t> lengths;
  for (int i = symbols.empty() ? -1 : 0; i >= 0; i = symbols[static_cast<size_t>(i)].next)
    lengths.push_back(symbols[static_cast<size_t>(i)].length);
  return lengths;
}

std::string Tokenizer::decode(const std::vector<int32_t>& ids, bool with_special) const {
  std::string out;
  for (const int32_t id : ids) {
    QZ_CHECK(id >= 0 && static_cast<size_t>(id) < vocab_size(),
             "[tokenizer] {}: token id {} outside the vocabulary of {}", spec_.label, id,
             vocab_size());
    const TokenKind k = kind(id);
    if ((k == TokenKind::Control || k == TokenKind::Unknown) && !with_special) continue;
    const std::string& t = token(id);
    if (k == TokenKind::Control || k == TokenKind::UserDefined || k == TokenKind::Unknown) {
      out += t;
    } else if (spec_.model == TokenizerModel::SentencePieceBpe) {
      const auto byte = std::find(byte_tokens_.begin(), byte_tokens_.end(), id);
      if (byte != byte_tokens_.end()) {
        out += static_cast<char>(byte - byte_tokens_.begin());
      } else {
        out += replace_all(t, kSpaceMark, " ");
      }
    } else {
      for (const CodePoint& cp : decode_utf8(t)) {
        const auto it = char_bytes_.find(cp.value);
        if (it != char_bytes_.end()) {
          out += static_cast<char>(it->second);
        } else {
          out.append(t, cp.offset, cp.length);
        }
      }
    }
  }
  // SentencePiece's space prefix is not part of the text.
  if (spec_.model == TokenizerModel::SentencePieceBpe && spec_.add_space_prefix && !out.empty() &&
      out[0] == ' ')
    out.erase(0, 1);
  return out;
}

}  // namespace qz::text
