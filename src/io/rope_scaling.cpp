#include "io/rope_scaling.h"

#include <cmath>
#include <numbers>

#include "core/error.h"
#include "core/json_fields.h"

namespace qz::io {

using nlohmann::json;

void validate_rope_scaling(const json& scaling, const std::string& where) {
  const std::string w = where + ": field 'rope_scaling'";
  QZ_CHECK(scaling.is_object(), "{}: expected an object", w);
  const std::string type = json_string(scaling, "type", w);
  if (type == "linear") {
    json_only_keys(scaling, {"type", "factor"}, w);
    json_number(scaling, "factor", w, 1.0, 1e6);
    return;
  }
  QZ_CHECK(type == "llama3", "{}: field 'type': '{}' is not supported (expected linear or llama3)",
           w, type);
  json_only_keys(
      scaling,
      {"type", "factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"},
      w);
  json_number(scaling, "factor", w, 1.0, 1e6);
  const double low = json_number(scaling, "low_freq_factor", w, 1e-6, 1e6);
  const double high = json_number(scaling, "high_freq_factor", w, 1e-6, 1e6);
  QZ_CHECK(high > low, "{}: field 'high_freq_factor': {} must exceed low_freq_factor {}", w, high,
           low);
  json_int(scaling, "original_max_position_embeddings", w, 1, 1 << 24);
}

std::vector<float> rope_inverse_frequencies(double base, int64_t head_dim, const json& scaling) {
  std::vector<float> inv(static_cast<size_t>(head_dim / 2));
  for (size_t i = 0; i < inv.size(); ++i)
    inv[i] = 1.0f / std::pow(static_cast<float>(base),
                             static_cast<float>(2 * i) / static_cast<float>(head_dim));
  if (scaling.is_null()) return inv;
  const auto factor = static_cast<float>(scaling.at("factor").get<double>());
  if (scaling.at("type") == "linear") {
    for (float& f : inv) f /= factor;
    return inv;
  }
  // Llama 3: wavelengths longer than the original context / low_freq_factor slow down by
  // `factor`, shorter than context / high_freq_factor stay, and the band between blends the two.
  const auto low = static_cast<float>(scaling.at("low_freq_factor").get<double>());
  const auto high = static_cast<float>(scaling.at("high_freq_factor").get<double>());
  const auto context =
      static_cast<float>(scaling.at("original_max_position_embeddings").get<int64_t>());
  const float low_wavelen = context / low, high_wavelen = context / high;
  for (float& f : inv) {
    const float wavelen = 2.0f * std::numbers::pi_v<float> / f;
    if (wavelen > low_wavelen) {
      f /= factor;
    } else if (wavelen >= high_wavelen) {
      const float smooth = (context / wavelen - low) / (high - low);
      f = (1.0f - smooth) * f / factor + smooth * f;
    }
  }
  return inv;
}

}  // namespace qz::io
