// quantize inspect FILE [--json]: tensors, dtypes, shapes, bytes and metadata of any
// safetensors file; for a quantize model file also the kernel each quantized layer runs here;
// for a Hugging Face checkpoint folder every shard's tensors and the config it maps to; for a
// GGUF file its typed metadata and tensor infos.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/error.h"
#include "core/text_table.h"
#include "io/gguf.h"
#include "io/hf_config.h"
#include "io/safetensors.h"
#include "nn/model_file.h"
#include "nn/quantized_layer.h"

namespace qz::cli {
namespace {

struct InspectArgs {
  CommonOptions common;
  std::string file;
  bool json = false;
};

// Metadata values holding JSON are shown as JSON, other strings as they are.
nlohmann::json metadata_value(const std::string& text) {
  const auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? nlohmann::json(text) : parsed;
}

// For a quantize model file, the kernel each quantized layer runs here (null otherwise, or when
// the file does not load as a model: the tensor listing still shows what is in it).
nlohmann::json layer_kernels(const io::SafetensorsFile& file, const std::string& path) {
  const auto& meta = file.metadata();
  const auto format = meta.find("format");
  if (format == meta.end() || format->second != "quantize") return nullptr;
  try {
    const nn::ModelFile model = nn::load_model(path);
    nlohmann::json out = nlohmann::json::object();
    for (const auto& k : nn::quantized_layer_kernels(*model.model))
      out[k.layer] = k.reference_reason.empty()
                         ? nlohmann::json(k.kernel)
                         : nlohmann::json{{"kernel", k.kernel}, {"reference", k.reference_reason}};
    return out;
  } catch (const InputError&) {
    return nullptr;
  }
}

// What inspect shows of a file or of a checkpoint folder's shards.
struct Listing {
  uint64_t file_bytes = 0, header_bytes = 0;  // header_bytes: the JSON headers
  uint64_t files = 1;
  std::vector<io::TensorInfo> tensors;
  nlohmann::json metadata = nlohmann::json::object();
  nlohmann::json kernels;
};

Listing list_file(const std::string& path) {
  const io::SafetensorsFile file = io::SafetensorsFile::open(path);
  Listing out;
  out.file_bytes = file.file_size();
  out.header_bytes = file.header_size();
  out.tensors = file.tensors();
  for (const auto& [k, v] : file.metadata()) out.metadata[k] = metadata_value(v);
  out.kernels = layer_kernels(file, path);
  return out;
}

Listing list_checkpoint(const std::string& dir) {
  const io::HfConfig hf = io::read_hf_config(dir);
  Listing out;
  const auto paths = io::read_hf_shards(dir).paths;
  out.files = paths.size();
  for (const auto& path : paths) {
    const io::SafetensorsFile file = io::SafetensorsFile::open(path);
    out.file_bytes += file.file_size();
    out.header_bytes += file.header_size();
    out.tensors.insert(out.tensors.end(), file.tensors().begin(), file.tensors().end());
  }
  out.metadata = {{"architecture", hf.architecture},
                  {"torch_dtype", hf.torch_dtype},
                  {"tied_embeddings", hf.tied_embeddings},
                  {"config", hf.config}};
  return out;
}

// A GGUF value as JSON: scalars as themselves, arrays as lists.
nlohmann::json gguf_value_json(const io::GgufValue& v) {
  nlohmann::json values = nlohmann::json::array();
  for (const auto& s : v.strings) values.push_back(s);
  for (int64_t i : v.ints) values.push_back(i);
  for (double f : v.floats) values.push_back(f);
  if (v.scalar_type() == io::GgufType::Bool)
    for (auto& b : values) b = b.get<int64_t>() != 0;
  return v.is_array() ? values : values[0];
}

// A value for the table: arrays by their length and first elements.
std::string gguf_value_text(const io::GgufValue& v) {
  const nlohmann::json j = gguf_value_json(v);
  auto text = [](const nlohmann::json& e) {
    return e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  if (!v.is_array()) return text(j);
  std::string s = fmt::format("[{} × {}]", v.size(), io::gguf_type_name(v.element_type));
  for (size_t i = 0; i < std::min<size_t>(v.size(), 4); ++i) s += " " + text(j[i]);
  return v.size() > 4 ? s + " …" : s;
}

void inspect_gguf(const std::string& path, bool json) {
  const io::GgufFile file = io::GgufFile::open(path);
  uint64_t total = 0;
  for (const auto& t : file.tensors()) total += t.nbytes;
  if (json) {
    nlohmann::json j = {{"file", path},
                        {"format", "gguf"},
                        {"version", file.version()},
                        {"file_bytes", file.file_size()},
                        {"alignment", file.alignment()},
                        {"tensor_bytes", total}};
    j["metadata"] = nlohmann::json::object();
    for (const auto& kv : file.metadata()) {
      nlohmann::json entry = {{"type", io::gguf_type_name(kv.value.type)},
                              {"value", gguf_value_json(kv.value)}};
      if (kv.value.is_array()) entry["element_type"] = io::gguf_type_name(kv.value.element_type);
      j["metadata"][kv.key] = entry;
    }
    j["tensors"] = nlohmann::json::array();
    for (const auto& t : file.tensors())
      j["tensors"].push_back({{"name", t.name},
                              {"type", io::ggml_type_info(t.ggml_type)->name},
                              {"dims", t.dims},
                              {"offset", t.offset},
                              {"bytes", t.nbytes}});
    write_json_output("-", j);
    return;
  }
  TextTable kv_table({"key", "type", "value"});
  for (const auto& kv : file.metadata())
    kv_table.add_row({kv.key, io::gguf_type_name(kv.value.type), gguf_value_text(kv.value)});
  fmt::print("{}: GGUF version {}, {} bytes ({} in {} tensors), alignment {}\n\n{}", path,
             file.version(), file.file_size(), total, file.tensors().size(), file.alignment(),
             kv_table.to_text());
  if (file.tensors().empty()) return;
  TextTable table({"tensor", "type", "dims (innermost first)", "bytes"});
  for (const auto& t : file.tensors())
    table.add_row({t.name, io::ggml_type_info(t.ggml_type)->name,
                   fmt::format("[{}]", fmt::join(t.dims, ", ")), std::to_string(t.nbytes)});
  fmt::print("\n{}", table.to_text());
}

void run_inspect(const InspectArgs& a) {
  apply_common_options(a.common);
  if (io::GgufFile::has_magic(a.file)) return inspect_gguf(a.file, a.json);
  const bool folder = io::is_hf_checkpoint_dir(a.file);
  const Listing listing = folder ? list_checkpoint(a.file) : list_file(a.file);
  uint64_t total = 0;
  for (const auto& t : listing.tensors) total += t.nbytes();
  const nlohmann::json& metadata = listing.metadata;
  if (a.json) {
    nlohmann::json j;
    j["file"] = a.file;
    j["file_bytes"] = listing.file_bytes;
    j["header_bytes"] = listing.header_bytes;
    j["tensor_bytes"] = total;
    j["tensors"] = nlohmann::json::array();
    for (const auto& t : listing.tensors)
      j["tensors"].push_back({{"name", t.name},
                              {"dtype", io::dtype_name(t.dtype)},
                              {"shape", t.shape},
                              {"bytes", t.nbytes()}});
    j["metadata"] = metadata;
    j["kernels"] = listing.kernels;
    write_json_output("-", j);
    return;
  }
  TextTable table({"tensor", "dtype", "shape", "bytes"});
  for (const auto& t : listing.tensors)
    table.add_row({t.name, std::string(io::dtype_name(t.dtype)),
                   fmt::format("[{}]", fmt::join(t.shape, ", ")), std::to_string(t.nbytes())});
  fmt::print("{}: {} bytes ({} header, {} in {} tensors)\n\n{}", a.file, listing.file_bytes,
             8 * listing.files + listing.header_bytes, total, listing.tensors.size(),
             table.to_text());
  const nlohmann::json& kernels = listing.kernels;
  if (kernels.is_object() && !kernels.empty()) {
    TextTable kt({"layer", "kernel on this CPU"});
    for (const auto& [layer, k] : kernels.items())
      kt.add_row({layer, k.is_string() ? k.get<std::string>()
                                       : fmt::format("{} (scalar reference: {})",
                                                     k["kernel"].get<std::string>(),
                                                     k["reference"].get<std::string>())});
    fmt::print("\n{}", kt.to_text());
  }
  if (!metadata.empty()) {
    fmt::print("\nmetadata:\n");
    for (const auto& [k, v] : metadata.items()) fmt::print("  {}: {}\n", k, v.dump());
  }
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "inspect",
      "List the tensors and metadata of a safetensors file, a Hugging Face checkpoint folder or a "
      "GGUF file");
  cmd->add_option("file", args->file,
                  "A .safetensors file, a Hugging Face checkpoint folder or a .gguf file")
      ->required();
  cmd->add_flag("--json", args->json, "Print JSON instead of a table");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_inspect(*args); });
}

}  // namespace qz::cli
