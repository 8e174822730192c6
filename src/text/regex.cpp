#include "text/regex.h"

#include <utility>
#include <vector>

#include "core/error.h"
#include "text/unicode.h"

namespace qz::text {

// One item of a character class: a code-point range, a general category (or its major class),
// or one of \s \d \w; `negated` inverts the item itself (\S, \P{L}).
struct ClassItem {
  enum Kind { Range, Category, Major, Space, Digit, Word } kind = Range;
  uint32_t lo = 0;
  uint32_t hi = 0;
  bool negated = false;
};

struct RegexNode {
  enum Kind { Char, Sequence, Alternation, Repeat, Look, Begin, End } kind = Sequence;
  // Char: a class (a literal is a one-code-point range; '.' is everything but \n).
  std::vector<ClassItem> items;
  bool class_negated = false;
  bool fold_case = false;
  // Sequence, Alternation: children; Repeat, Look: children[0].
  std::vector<std::unique_ptr<RegexNode>> children;
  size_t min = 0;
  size_t max = 0;
  bool greedy = true;
  bool negative = false;  // Look
};

namespace {

bool item_matches(const ClassItem& item, uint32_t cp) {
  bool hit = false;
  switch (item.kind) {
    case ClassItem::Range:
      hit = cp >= item.lo && cp <= item.hi;
      break;
    case ClassItem::Category:
      hit = static_cast<uint32_t>(general_category(cp)) == item.lo;
      break;
    case ClassItem::Major:
      hit = static_cast<uint32_t>(major_class(general_category(cp))) == item.lo;
      break;
    case ClassItem::Space:
      hit = is_whitespace(cp);
      break;
    case ClassItem::Digit:
      hit = general_category(cp) == Category::Nd;
      break;
    case ClassItem::Word: {
      const Category c = general_category(cp);
      hit = major_class(c) == 'L' || c == Category::Mn || c == Category::Nd || c == Category::Pc;
      break;
    }
  }
  return hit != item.negated;
}

uint32_t ascii_fold(uint32_t cp) {
  return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
}

bool char_matches(const RegexNode& node, uint32_t cp) {
  bool hit = false;
  for (const ClassItem& item : node.items) {
    if (item_matches(item, cp) || (node.fold_case && item.kind == ClassItem::Range &&
                                   (item_matches(item, ascii_fold(cp)) ||
                                    (cp >= 'a' && cp <= 'z' && item_matches(item, cp - 32))))) {
      hit = true;
      break;
    }
  }
  return hit != node.class_negated;
}

// A non-owning callable reference: the continuation of a backtracking match.
class Continuation {
 public:
  template <class F>
  explicit Continuation(const F& f)
      : object_(&f),
        call_([](const void* o, size_t pos) { return (*static_cast<const F*>(o))(pos); }) {}
  bool operator()(size_t pos) const { return call_(object_, pos); }

 private:
  const void* object_;
  bool (*call_)(const void*, size_t);
};

class Matcher {
 public:
  explicit Matcher(std::span<const uint32_t> cps) : cps_(cps) {}

  bool match(const RegexNode& node, size_t pos, const Continuation& k) const {
    switch (node.kind) {
      case RegexNode::Char:
        return pos < cps_.size() && char_matches(node, cps_[pos]) && k(pos + 1);
      case RegexNode::Sequence:
        return sequence(node, 0, pos, k);
      case RegexNode::Alternation:
        for (const auto& child : node.children) {
          if (match(*child, pos, k)) return true;
        }
        return false;
      case RegexNode::Repeat:
        if (node.children[0]->kind == RegexNode::Char) return repeat_char(node, pos, k);
        return repeat(node, 0, pos, k);
      case RegexNode::Look: {
        const auto accept = [](size_t) { return true; };
        const bool hit = match(*node.children[0], pos, Continuation(accept));
        return hit != node.negative && k(pos);
      }
      case RegexNode::Begin:
        return pos == 0 && k(pos);
      case RegexNode::End:
        return pos == cps_.size() && k(pos);
    }
    return false;
  }

 private:
  bool sequence(const RegexNode& node, size_t i, size_t pos, const Continuation& k) const {
    if (i == node.children.size()) return k(pos);
    const auto rest = [&](size_t p) { return sequence(node, i + 1, p, k); };
    return match(*node.children[i], pos, Continuation(rest));
  }

  // A repeated single character: count the run once, then back off (or grow, when lazy).
  bool repeat_char(const RegexNode& node, size_t pos, const Continuation& k) const {
    const RegexNode& c = *node.children[0];
    size_t n = 0;
    while (n < node.max && pos + n < cps_.size() && char_matches(c, cps_[pos + n])) ++n;
    if (n < node.min) return false;
    if (node.greedy) {
      for (size_t i = n + 1; i-- > node.min;) {
        if (k(pos + i)) return true;
      }
      return false;
    }
    for (size_t i = node.min; i <= n; ++i) {
      if (k(pos + i)) return true;
    }
    return false;
  }

  bool repeat(const RegexNode& node, size_t count, size_t pos, const Continuation& k) const {
    const auto again = [&](size_t p) { return p != pos && repeat(node, count + 1, p, k); };
    if (!node.greedy && count >= node.min && k(pos)) return true;
    if (count < node.max && match(*node.children[0], pos, Continuation(again))) return true;
    return node.greedy && count >= node.min && k(pos);
  }

  std::span<const uint32_t> cps_;
};

class Parser {
 public:
  Parser(const std::string& pattern, const std::string& label)
      : pattern_(pattern), label_(label), cps_(decode_utf8(pattern)) {}

  std::unique_ptr<RegexNode> parse() {
    auto root = alternation(false);
    if (pos_ < cps_.size()) fail("unbalanced ')'");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(fmt::format("[tokenizer] {}: regex /{}/ at character {}: {}", label_, pattern_,
                                 pos_, what));
  }
  bool at_end() const { return pos_ >= cps_.size(); }
  uint32_t peek() const { return at_end() ? 0 : cps_[pos_].value; }
  uint32_t next() {
    if (at_end()) fail("unexpected end of pattern");
    return cps_[pos_++].value;
  }

  std::unique_ptr<RegexNode> alternation(bool fold) {
    auto alt = std::make_unique<RegexNode>();
    alt->kind = RegexNode::Alternation;
    alt->children.push_back(sequence(fold));
    while (!at_end() && peek() == '|') {
      ++pos_;
      alt->children.push_back(sequence(fold));
    }
    if (alt->children.size() == 1) return std::move(alt->children[0]);
    return alt;
  }

  std::unique_ptr<RegexNode> sequence(bool fold) {
    auto seq = std::make_unique<RegexNode>();
    seq->kind = RegexNode::Sequence;
    while (!at_end() && peek() != '|' && peek() != ')') {
      auto atom_node = atom(fold);
      seq->children.push_back(quantified(std::move(atom_node)));
    }
    return seq;
  }

  std::unique_ptr<RegexNode> quantified(std::unique_ptr<RegexNode> atom_node) {
    if (at_end()) return atom_node;
    size_t lo = 0;
    size_t hi = 0;
    const uint32_t c = peek();
    if (c == '?') {
      lo = 0, hi = 1;
    } else if (c == '*') {
      lo = 0, hi = SIZE_MAX;
    } else if (c == '+') {
      lo = 1, hi = SIZE_MAX;
    } else if (c == '{') {
      ++pos_;
      lo = number();
      hi = lo;
      if (peek() == ',') {
        ++pos_;
        hi = peek() == '}' ? SIZE_MAX : number();
      }
      if (peek() != '}') fail("expected '}' closing a repeat count");
      if (hi < lo) fail("repeat count {n,m} with m < n");
    } else {
      return atom_node;
    }
    ++pos_;
    if (atom_node->kind == RegexNode::Look || atom_node->kind == RegexNode::Begin ||
        atom_node->kind == RegexNode::End)
      fail("a quantifier after an assertion");
    auto rep = std::make_unique<RegexNode>();
    rep->kind = RegexNode::Repeat;
    rep->min = lo;
    rep->max = hi;
    if (!at_end() && peek() == '?') {
      rep->greedy = false;
      ++pos_;
    } else if (!at_end() && peek() == '+') {
      fail("possessive quantifiers are not supported");
    }
    rep->children.push_back(std::move(atom_node));
    return rep;
  }

  size_t number() {
    if (at_end() || peek() < '0' || peek() > '9') fail("expected a number in a repeat count");
    size_t v = 0;
    while (!at_end() && peek() >= '0' && peek() <= '9') {
      v = v * 10 + (next() - '0');
      if (v > 100000) fail("repeat count too large");
    }
    return v;
  }

  std::unique_ptr<RegexNode> char_node(std::vector<ClassItem> items, bool negated, bool fold) {
    auto n = std::make_unique<RegexNode>();
    n->kind = RegexNode::Char;
    n->items = std::move(items);
    n->class_negated = negated;
    n->fold_case = fold;
    return n;
  }

  std::unique_ptr<RegexNode> atom(bool fold) {
    const uint32_t c = next();
    switch (c) {
      case '(':
        return group(fold);
      case '[':
        return bracket(fold);
      case '.':
        return char_node({{ClassItem::Range, '\n', '\n'}}, true, false);
      case '^': {
        auto n = std::make_unique<RegexNode>();
        n->kind = RegexNode::Begin;
        return n;
      }
      case '$': {
        auto n = std::make_unique<RegexNode>();
        n->kind = RegexNode::End;
        return n;
      }
      case '\\':
        return char_node({escape()}, false, fold);
      case '*':
      case '+':
      case '?':
      case '{':
        fail("a quantifier with nothing to repeat");
      default:
        return char_node({{ClassItem::Range, c, c}}, false, fold);
    }
  }

  std::unique_ptr<RegexNode> group(bool fold) {
    bool look = false;
    bool negative = false;
    if (peek() == '?') {
      ++pos_;
      const uint32_t kind = next();
      if (kind == ':') {
      } else if (kind == 'i' && peek() == ':') {
        ++pos_;
        fold = true;
      } else if (kind == '=' || kind == '!') {
        look = true;
        negative = kind == '!';
      } else {
        fail("unsupported group kind (?" + std::string(1, static_cast<char>(kind)) + "...)");
      }
    }
    auto inner = alternation(fold);
    if (next() != ')') fail("expected ')'");
    if (!look) return inner;
    auto n = std::make_unique<RegexNode>();
    n->kind = RegexNode::Look;
    n->negative = negative;
    n->children.push_back(std::move(inner));
    return n;
  }

  // After a backslash: one class item.
  ClassItem escape() {
    const uint32_t c = next();
    switch (c) {
      case 's':
        return {ClassItem::Space, 0, 0, false};
      case 'S':
        return {ClassItem::Space, 0, 0, true};
      case 'd':
        return {ClassItem::Digit, 0, 0, false};
      case 'D':
        return {ClassItem::Digit, 0, 0, true};
      case 'w':
        return {ClassItem::Word, 0, 0, false};
      case 'W':
        return {ClassItem::Word, 0, 0, true};
      case 'p':
      case 'P':
        return property(c == 'P');
      case 'r':
        return {ClassItem::Range, '\r', '\r'};
      case 'n':
        return {ClassItem::Range, '\n', '\n'};
      case 't':
        return {ClassItem::Range, '\t', '\t'};
      case 'f':
        return {ClassItem::Range, '\f', '\f'};
      case 'v':
        return {ClassItem::Range, '\v', '\v'};
      default:
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
          fail("unsupported escape \\" + std::string(1, static_cast<char>(c)));
        return {ClassItem::Range, c, c};
    }
  }

  ClassItem property(bool negated) {
    if (next() != '{') fail("expected '{' after \\p");
    std::string name;
    while (!at_end() && peek() != '}') name += static_cast<char>(next());
    if (next() != '}') fail("expected '}' closing \\p{...}");
    if (name.size() == 1 && std::string("LMNPSZC").find(name[0]) != std::string::npos)
      return {ClassItem::Major, static_cast<uint32_t>(name[0]), 0, negated};
    for (uint32_t i = 0; i < 30; ++i) {
      if (name == category_name(static_cast<Category>(i)))
        return {ClassItem::Category, i, 0, negated};
    }
    fail("unknown Unicode property \\p{" + name + "}");
  }

  std::unique_ptr<RegexNode> bracket(bool fold) {
    bool negated = false;
    if (peek() == '^') {
      negated = true;
      ++pos_;
    }
    std::vector<ClassItem> items;
    bool first = true;
    while (true) {
      if (at_end()) fail("unterminated character class");
      uint32_t c = next();
      if (c == ']' && !first) break;
      first = false;
      if (c == '[') fail("nested character classes are not supported");
      ClassItem item{ClassItem::Range, c, c};
      if (c == '\\') item = escape();
      if (item.kind == ClassItem::Range && item.lo == item.hi && peek() == '-' &&
          pos_ + 1 < cps_.size() && cps_[pos_ + 1].value != ']') {
        ++pos_;
        uint32_t hi = next();
        if (hi == '\\') {
          const ClassItem e = escape();
          if (e.kind != ClassItem::Range) fail("a class range ending in a class escape");
          hi = e.lo;
        }
        if (hi < item.lo) fail("a class range out of order");
        item.hi = hi;
      }
      items.push_back(item);
    }
    return char_node(std::move(items), negated, fold);
  }

  const std::string& pattern_;
  const std::string& label_;
  std::vector<CodePoint> cps_;
  size_t pos_ = 0;
};

}  // namespace

Regex::Regex(const std::string& pattern, const std::string& label)
    : pattern_(pattern), root_(Parser(pattern, label).parse()) {}
Regex::~Regex() = default;
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;

Regex::Match Regex::find(std::span<const uint32_t> cps, size_t from) const {
  const Matcher matcher(cps);
  for (size_t begin = from; begin < cps.size(); ++begin) {
    size_t end = begin;
    const auto accept = [&](size_t p) {
      end = p;
      return p > begin;  // an empty match does not count: try the next alternative
    };
    if (matcher.match(*root_, begin, Continuation(accept))) return {begin, end};
  }
  return {cps.size(), cps.size()};
}

}  // namespace qz::text
