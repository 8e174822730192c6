// quantize inspect FILE [--json]: tensors, dtypes, shapes, bytes and metadata of any
// safetensors file; for a quantize model file also the kernel each quantized layer runs here.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/error.h"
#include "core/text_table.h"
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

void run_inspect(const InspectArgs& a) {
  apply_common_options(a.common);
  const io::SafetensorsFile file = io::SafetensorsFile::open(a.file);
  uint64_t total = 0;
  for (const auto& t : file.tensors()) total += t.nbytes();
  nlohmann::json metadata = nlohmann::json::object();
  for (const auto& [k, v] : file.metadata()) metadata[k] = metadata_value(v);
  if (a.json) {
    nlohmann::json j;
    j["file"] = a.file;
    j["file_bytes"] = file.file_size();
    j["header_bytes"] = file.header_size();
    j["tensor_bytes"] = total;
    j["tensors"] = nlohmann::json::array();
    for (const auto& t : file.tensors())
      j["tensors"].push_back({{"name", t.name},
                              {"dtype", io::dtype_name(t.dtype)},
                              {"shape", t.shape},
                              {"bytes", t.nbytes()}});
    j["metadata"] = metadata;
    j["kernels"] = layer_kernels(file, a.file);
    write_json_output("-", j);
    return;
  }
  TextTable table({"tensor", "dtype", "shape", "bytes"});
  for (const auto& t : file.tensors())
    table.add_row({t.name, std::string(io::dtype_name(t.dtype)),
                   fmt::format("[{}]", fmt::join(t.shape, ", ")), std::to_string(t.nbytes())});
  fmt::print("{}: {} bytes ({} header, {} in {} tensors)\n\n{}", a.file, file.file_size(),
             8 + file.header_size(), total, file.tensors().size(), table.to_text());
  const nlohmann::json kernels = layer_kernels(file, a.file);
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
  CLI::App* cmd = app.add_subcommand("inspect", "List a safetensors file's tensors and metadata");
  cmd->add_option("file", args->file, "A .safetensors file")->required();
  cmd->add_flag("--json", args->json, "Print JSON instead of a table");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_inspect(*args); });
}

}  // namespace qz::cli
