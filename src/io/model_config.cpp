#include "io/model_config.h"

#include "core/error.h"
#include "core/json_fields.h"
#include "io/rope_scaling.h"

namespace qz::io {

using nlohmann::json;

namespace {
constexpr int64_t kMaxDim = 1 << 16;
constexpr int64_t kMaxVocab = 1 << 20;

// A boolean field, false when absent.
bool json_flag(const json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key)) return false;
  QZ_CHECK(obj[key].is_boolean(), "{}: field '{}': expected true or false", where, key);
  return obj[key].get<bool>();
}

json validate_transformer(const json& config, const std::string& w) {
  json_only_keys(config,
                 {"arch", "vocab", "d_model", "n_layers", "n_heads", "d_ff", "max_seq", "rope_base",
                  "block_heads", "block_d_ff", "head_dim", "n_kv_heads", "norm_eps", "qkv_bias",
                  "qk_norm", "rope_scaling", "eos_ids"},
                 w);
  json out = config;
  json_int(config, "vocab", w, 2, kMaxVocab);
  const int64_t d = json_int(config, "d_model", w, 2, kMaxDim);
  const int64_t layers = json_int(config, "n_layers", w, 1, 256);
  const int64_t heads = json_int(config, "n_heads", w, 1, 1024);
  if (config.contains("head_dim")) {
    // Qwen3 and Gemma-style models: heads of their own size, q and o wider or narrower than d.
    const int64_t hd = json_int(config, "head_dim", w, 2, 1024);
    QZ_CHECK(hd % 2 == 0, "{}: field 'head_dim': rotary pairs need an even head size, got {}", w,
             hd);
  } else {
    QZ_CHECK(d % heads == 0 && (d / heads) % 2 == 0,
             "{}: field 'n_heads': d_model {} must split into {} heads of even size", w, d, heads);
  }
  // Grouped-query attention: every n_heads / n_kv_heads query heads share one key/value head.
  const int64_t kv_heads =
      config.contains("n_kv_heads") ? json_int(config, "n_kv_heads", w, 1, heads) : heads;
  QZ_CHECK(heads % kv_heads == 0,
           "{}: field 'n_kv_heads': {} key/value heads do not divide {} query heads", w, kv_heads,
           heads);
  QZ_CHECK(kv_heads == heads || !config.contains("block_heads"),
           "{}: field 'block_heads': heads are pruned only without grouped-query attention", w);
  const int64_t d_ff = json_int(config, "d_ff", w, 1, kMaxDim * 4);
  // Per-block widths left by structured pruning: as many entries as blocks, none wider.
  for (const auto& [key, widest] :
       {std::pair<const char*, int64_t>{"block_heads", heads}, {"block_d_ff", d_ff}}) {
    if (!config.contains(key)) continue;
    const auto widths = json_int_list(config, key, w, 1, widest, 256);
    QZ_CHECK(static_cast<int64_t>(widths.size()) == layers,
             "{}: field '{}': expected one entry per block ({}), got {}", w, key, layers,
             widths.size());
  }
  json_int(config, "max_seq", w, 1, 1 << 20);
  // The tokens that end a generated sequence (an imported checkpoint's eos ids).
  if (config.contains("eos_ids")) {
    const int64_t vocab = config["vocab"];
    QZ_CHECK(!json_int_list(config, "eos_ids", w, 0, vocab - 1, 16).empty(),
             "{}: field 'eos_ids': expected 1 to 16 token ids", w);
  }
  if (!out.contains("rope_base")) out["rope_base"] = 10000.0;
  json_number(out, "rope_base", w, 1.0, 1e9);
  if (!out.contains("norm_eps")) out["norm_eps"] = 1e-5;
  json_number(out, "norm_eps", w, 0.0, 1.0);
  json_flag(config, "qkv_bias", w);
  json_flag(config, "qk_norm", w);
  if (config.contains("rope_scaling")) validate_rope_scaling(config["rope_scaling"], w);
  return out;
}
}  // namespace

const std::vector<std::string>& known_archs() {
  static const std::vector<std::string> archs = {"mlp", "cnn", "transformer"};
  return archs;
}

json default_config(const std::string& arch, const std::vector<int64_t>& input_shape,
                    int64_t outputs, int64_t max_seq) {
  if (arch == "mlp")
    return {{"arch", "mlp"},
            {"input_shape", input_shape},
            {"num_classes", outputs},
            {"hidden", {512, 512}}};
  if (arch == "cnn")
    return {{"arch", "cnn"},
            {"input_shape", input_shape},
            {"num_classes", outputs},
            {"channels", {32, 64}},
            {"hidden", 256}};
  if (arch == "transformer")
    return {{"arch", "transformer"}, {"vocab", outputs},    {"d_model", 128},
            {"n_layers", 3},         {"n_heads", 4},        {"d_ff", 352},
            {"max_seq", max_seq},    {"rope_base", 10000.0}};
  throw InputError(
      fmt::format("[config] unknown architecture '{}' (expected mlp, cnn or transformer)", arch));
}

json validate_config(const json& config, const std::string& where) {
  QZ_CHECK(config.is_object(), "[config] {}: expected a JSON object", where);
  const std::string w = "[config] " + where;
  const std::string arch = json_string(config, "arch", w);
  if (arch == "mlp" || arch == "cnn") {
    json out = config;
    const auto shape = json_int_list(config, "input_shape", w, 1, kMaxDim, 3);
    QZ_CHECK(!shape.empty(), "{}: field 'input_shape': expected 1 to 3 dimensions", w);
    json_int(config, "num_classes", w, 2, kMaxDim);
    if (arch == "mlp") {
      json_only_keys(config, {"arch", "input_shape", "num_classes", "hidden"}, w);
      json_int_list(config, "hidden", w, 1, kMaxDim, 16);
    } else {
      json_only_keys(config,
                     {"arch", "input_shape", "num_classes", "channels", "hidden", "batch_norm"}, w);
      QZ_CHECK(!config.contains("batch_norm") || config["batch_norm"].is_boolean(),
               "{}: field 'batch_norm': expected true or false", w);
      QZ_CHECK(shape.size() == 3, "{}: field 'input_shape': a cnn needs [channels, height, width]",
               w);
      const auto channels = json_int_list(config, "channels", w, 1, 4096, 4);
      QZ_CHECK(!channels.empty(), "{}: field 'channels': expected at least one conv stage", w);
      const int64_t shrink = int64_t{1} << channels.size();
      QZ_CHECK(shape[1] % shrink == 0 && shape[2] % shrink == 0,
               "{}: field 'input_shape': height and width must divide by {} for {} pooling stages",
               w, shrink, channels.size());
      json_int(config, "hidden", w, 1, kMaxDim);
    }
    return out;
  }
  if (arch == "transformer") return validate_transformer(config, w);
  throw InputError(
      fmt::format("{}: field 'arch': unknown architecture '{}' (expected mlp, cnn or "
                  "transformer)",
                  w, arch));
}

int64_t flat_input_size(const json& config) {
  int64_t n = 1;
  for (const auto& d : config.at("input_shape")) n *= d.get<int64_t>();
  return n;
}

}  // namespace qz::io
