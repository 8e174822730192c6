#include "nn/model_file.h"

#include <fmt/ranges.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "core/error.h"
#include "core/json_fields.h"
#include "io/hf_config.h"
#include "io/safetensors.h"
#include "nn/hf_checkpoint.h"
#include "nn/layer_formats.h"
#include "nn/make_model.h"
#include "nn/tensor_bytes.h"

namespace qz::nn {
namespace {

constexpr const char* kFormat = "quantize";
constexpr const char* kFormatVersion = "1";

std::map<std::string, LayerFactory>& registry() {
  static std::map<std::string, LayerFactory> factories;
  return factories;
}
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

// Every tensor the model saves: parameters and buffers under their module paths.
std::vector<std::pair<std::string, torch::Tensor>> state_tensors(Model& model) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& item : model.named_parameters()) out.emplace_back(item.key(), item.value());
  for (const auto& item : model.named_buffers()) out.emplace_back(item.key(), item.value());
  return out;
}

nlohmann::json metadata_json(const io::SafetensorsFile& file, const std::string& key) {
  auto it = file.metadata().find(key);
  QZ_CHECK(it != file.metadata().end(), "[model] {}: __metadata__ has no '{}'", file.path(), key);
  return parse_json(it->second, fmt::format("[model] {}: __metadata__ '{}'", file.path(), key));
}

}  // namespace

void register_layer_format(const std::string& format, LayerFactory factory) {
  std::lock_guard lock(registry_mutex());
  registry()[format] = std::move(factory);
}

void save_model(Model& model, const std::string& path, const nlohmann::json& provenance,
                const nlohmann::json& metrics) {
  std::map<std::string, io::Dtype> overrides;
  for (const auto& slot : model.layers())
    for (const auto& [local, dtype] : slot.get()->file_dtypes())
      overrides[slot.name() + "." + local] = dtype;
  std::vector<io::TensorData> tensors;
  for (const auto& [name, tensor] : state_tensors(model)) {
    auto it = overrides.find(name);
    tensors.push_back(to_tensor_data(
        name, tensor, it == overrides.end() ? std::nullopt : std::optional(it->second)));
  }
  nlohmann::json layers = nlohmann::json::object();
  for (const auto& slot : model.layers()) layers[slot.name()] = slot.get()->scheme();
  const std::map<std::string, std::string> metadata = {
      {"format", kFormat},
      {"format_version", kFormatVersion},
      {"config", model.config().dump()},
      {"quantization_config", nlohmann::json{{"layers", layers}}.dump()},
      {"provenance", provenance.dump()},
      {"metrics", metrics.dump()},
  };
  io::write_safetensors(path, tensors, metadata);
}

ModelFile load_model(const std::string& path) {
  register_builtin_layer_formats();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    QZ_CHECK(io::is_hf_checkpoint_dir(path),
             "[model] {}: a folder is read as a Hugging Face checkpoint, but it has no "
             "config.json",
             path);
    return load_hf_checkpoint(path);
  }
  const io::SafetensorsFile file = io::SafetensorsFile::open(path);
  auto format = file.metadata().find("format");
  QZ_CHECK(format != file.metadata().end() && format->second == kFormat,
           "[model] {}: not a quantize model file (__metadata__ 'format' is not \"{}\")", path,
           kFormat);
  const nlohmann::json config = metadata_json(file, "config");
  ModelFile out;
  out.path = path;
  out.file_bytes = file.file_size();
  out.model = make_model(config, path + ": __metadata__ 'config'");
  if (file.metadata().count("provenance")) out.provenance = metadata_json(file, "provenance");
  if (file.metadata().count("metrics")) out.metrics = metadata_json(file, "metrics");

  // Swap in each layer's stored scheme before reading tensors.
  const nlohmann::json qconfig = metadata_json(file, "quantization_config");
  QZ_CHECK(qconfig.is_object() && qconfig.contains("layers") && qconfig["layers"].is_object(),
           "[model] {}: quantization_config must hold a 'layers' object", path);
  for (const auto& [name, scheme] : qconfig["layers"].items()) {
    const LayerSlot* slot = out.model->find_layer(name);
    QZ_CHECK(slot != nullptr, "[model] {}: quantization_config names unknown layer '{}'", path,
             name);
    QZ_CHECK(scheme.is_object() && scheme.contains("format") && scheme["format"].is_string(),
             "[model] {}: layer '{}': scheme needs a string 'format'", path, name);
    const std::string fmt_name = scheme["format"];
    if (fmt_name == "fp32") continue;
    LayerFactory factory;
    {
      std::lock_guard lock(registry_mutex());
      auto it = registry().find(fmt_name);
      QZ_CHECK(it != registry().end(), "[model] {}: layer '{}': unknown format '{}'", path, name,
               fmt_name);
      factory = it->second;
    }
    try {
      slot->replace(factory(scheme, *slot->get()));
    } catch (const InputError& e) {  // the scheme's own complaint, placed in the file
      throw InputError(fmt::format("[model] {}: layer '{}': {}", path, name, e.what()));
    }
  }

  // Every model tensor must be in the file with its dtype and shape; nothing else may be.
  std::set<std::string> expected;
  torch::NoGradGuard guard;
  for (auto& [name, tensor] : state_tensors(*out.model)) {
    expected.insert(name);
    const io::TensorInfo& info = file.get(name);
    const torch::ScalarType want = tensor.scalar_type();
    QZ_CHECK(to_torch_dtype(info.dtype) == want, "[model] {}: tensor '{}': dtype {} (expected {})",
             path, name, io::dtype_name(info.dtype), io::dtype_name(to_file_dtype(want)));
    QZ_CHECK(info.shape == tensor.sizes().vec(),
             "[model] {}: tensor '{}': shape [{}] (expected [{}])", path, name,
             fmt::join(info.shape, ","), fmt::join(tensor.sizes().vec(), ","));
    copy_from_file(tensor, file, info);
    require_finite(tensor, fmt::format("[model] {}: tensor '{}'", path, name));
  }
  for (const auto& info : file.tensors())
    QZ_CHECK(expected.count(info.name), "[model] {}: unexpected tensor '{}' for this architecture",
             path, info.name);
  for (const auto& slot : out.model->layers())
    slot.get()->after_load(fmt::format("[model] {}: layer '{}'", path, slot.name()));
  out.model->eval();
  return out;
}

}  // namespace qz::nn
