// libFuzzer target: any text as the 'config' a model file carries, through the bounded JSON
// parser and the config validator. Only InputError may come out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/json_fields.h"
#include "io/model_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json valid = qz::io::validate_config(qz::parse_json(text, "fuzz"), "fuzz");
    // What model construction reads next from a valid config must be there.
    if (valid["arch"] != "transformer") qz::io::flat_input_size(valid);
  } catch (const qz::InputError&) {
  }
  return 0;
}
