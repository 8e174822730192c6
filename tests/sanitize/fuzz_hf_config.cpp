// libFuzzer target: any text as a Hugging Face checkpoint's config.json, through the bounded
// JSON parser, the mapping to our transformer config and the RoPE frequencies the model would
// build from it. Only InputError may come out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/json_fields.h"
#include "io/hf_config.h"
#include "io/rope_scaling.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const qz::io::HfConfig hf = qz::io::map_hf_config(qz::parse_json(text, "fuzz"), "fuzz");
    const nlohmann::json& c = hf.config;
    const int64_t head_dim =
        c.value("head_dim", c["d_model"].get<int64_t>() / c["n_heads"].get<int64_t>());
    qz::io::rope_inverse_frequencies(c["rope_base"].get<double>(), head_dim,
                                     c.value("rope_scaling", nlohmann::json()));
  } catch (const qz::InputError&) {
  }
  return 0;
}
