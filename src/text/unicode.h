// The Unicode a tokenizer needs: UTF-8 to code points and back, and each code point's general
// category (from scripts/gen_unicode_tables.py, Python's Unicode data) for the pre-tokenizers'
// \p{..} classes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qz::text {

// General categories, in the generator's order (Cn, unassigned, is 0).
enum class Category : uint8_t {
  Cn,
  Lu,
  Ll,
  Lt,
  Lm,
  Lo,
  Mn,
  Mc,
  Me,
  Nd,
  Nl,
  No,
  Pc,
  Pd,
  Ps,
  Pe,
  Pi,
  Pf,
  Po,
  Sm,
  Sc,
  Sk,
  So,
  Zs,
  Zl,
  Zp,
  Cc,
  Cf,
  Cs,
  Co,
};
Category general_category(uint32_t cp);
// The category's two-letter name ("Lu") and its major class letter ('L').
const char* category_name(Category c);
char major_class(Category c);
bool is_letter(uint32_t cp);
bool is_number(uint32_t cp);
// Unicode's White_Space property (what \s means in the pre-tokenizers' regexes).
bool is_whitespace(uint32_t cp);
const char* unicode_version();

// A decoded code point and where its bytes are.
struct CodePoint {
  uint32_t value;
  uint32_t offset;  // byte offset in the text
  uint32_t length;  // bytes
};
// Decodes UTF-8; an invalid byte becomes U+FFFD of length 1, so every byte is covered once.
std::vector<CodePoint> decode_utf8(std::string_view text);
// Byte length of the UTF-8 sequence a lead byte starts (1 for an invalid lead byte).
size_t utf8_length(unsigned char lead);
void append_utf8(std::string& out, uint32_t cp);

}  // namespace qz::text
