#include "text/unicode.h"

#include <algorithm>
#include <array>
#include <iterator>

namespace qz::text {
namespace {

struct CategoryRange {
  uint32_t first;
  uint32_t last;
  uint8_t category;
};
#include "text/unicode_tables.inc"

constexpr std::array<const char*, 30> kCategoryNames = {
    "Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps",
    "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co"};

}  // namespace

Category general_category(uint32_t cp) {
  const auto* end = std::end(kCategoryRanges);
  const auto* it = std::upper_bound(std::begin(kCategoryRanges), end, cp,
                                    [](uint32_t v, const CategoryRange& r) { return v < r.first; });
  if (it == std::begin(kCategoryRanges)) return Category::Cn;
  --it;
  return cp <= it->last ? static_cast<Category>(it->category) : Category::Cn;
}

const char* category_name(Category c) {
  return kCategoryNames.at(static_cast<size_t>(c));
}
char major_class(Category c) {
  return category_name(c)[0];
}
bool is_letter(uint32_t cp) {
  return major_class(general_category(cp)) == 'L';
}
bool is_number(uint32_t cp) {
  return major_class(general_category(cp)) == 'N';
}

bool is_whitespace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

const char* unicode_version() {
  return kUnicodeVersion;
}

size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

std::vector<CodePoint> decode_utf8(std::string_view text) {
  std::vector<CodePoint> out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t n = utf8_length(lead);
    uint32_t cp = 0xFFFD;
    size_t used = 1;
    if (n == 1) {
      if (lead < 0x80) cp = lead;
    } else if (i + n <= text.size()) {
      uint32_t v = lead & (0x7F >> n);
      bool ok = true;
      for (size_t k = 1; k < n && ok; ++k) {
        const auto c = static_cast<unsigned char>(text[i + k]);
        ok = (c & 0xC0) == 0x80;
        v = (v << 6) | (c & 0x3F);
      }
      // Overlong forms, surrogates and values past U+10FFFF are invalid too.
      static constexpr std::array<uint32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
      if (ok && v >= kMin.at(n) && v <= 0x10FFFF && (v < 0xD800 || v > 0xDFFF)) {
        cp = v;
        used = n;
      }
    }
    out.push_back({cp, static_cast<uint32_t>(i), static_cast<uint32_t>(used)});
    i += used;
  }
  return out;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace qz::text
