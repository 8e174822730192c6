// libFuzzer target: any text as a recipe file, through parsing, validation and defaults.
// Only InputError may come out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "io/recipe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto steps = qz::io::parse_recipe(text, "fuzz");
    qz::io::recipe_json(steps);  // what provenance records of a valid recipe
  } catch (const qz::InputError&) {
  }
  return 0;
}
