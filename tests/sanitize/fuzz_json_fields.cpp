// libFuzzer target: any text through the bounded JSON parser and the typed field readers that
// configs, recipes and model metadata go through. Only InputError may come out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/json_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json j = qz::parse_json(text, "fuzz", 16);
    if (!j.is_object()) return 0;
    // Each reader on the fields a config or recipe would have; any may refuse.
    for (const char* key : {"epochs", "group", "bits", "hidden", "method", "sparsity", "steps"}) {
      try {
        qz::json_int(j, key, "fuzz", -1000, 1000);
      } catch (const qz::InputError&) {
      }
      try {
        qz::json_number(j, key, "fuzz", 0.0, 1.0);
      } catch (const qz::InputError&) {
      }
      try {
        qz::json_string(j, key, "fuzz");
      } catch (const qz::InputError&) {
      }
      try {
        qz::json_int_list(j, key, "fuzz", 1, 1 << 16, 64);
      } catch (const qz::InputError&) {
      }
    }
    qz::json_only_keys(j, {"method", "steps", "description"}, "fuzz");
  } catch (const qz::InputError&) {
  }
  return 0;
}
