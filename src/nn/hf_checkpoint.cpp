#include "nn/hf_checkpoint.h"

#include <fmt/ranges.h>

#include <map>
#include <set>

#include "core/error.h"
#include "io/hf_config.h"
#include "io/safetensors.h"
#include "nn/make_model.h"
#include "nn/tensor_bytes.h"

namespace qz::nn {
namespace {

struct Located {
  const io::SafetensorsFile* file;
  const io::TensorInfo* info;
};

}  // namespace

ModelFile load_hf_checkpoint(const std::string& dir) {
  const io::HfConfig hf = io::read_hf_config(dir);
  const io::HfShards shards = io::read_hf_shards(dir);
  std::vector<io::SafetensorsFile> files;
  files.reserve(shards.paths.size());
  for (const auto& path : shards.paths) files.push_back(io::SafetensorsFile::open(path));

  // Every checkpoint tensor, found once; the index, when there is one, must agree.
  std::map<std::string, Located> tensors;
  ModelFile out;
  for (const auto& file : files) {
    out.file_bytes += file.file_size();
    for (const auto& info : file.tensors()) {
      auto [it, fresh] = tensors.emplace(info.name, Located{&file, &info});
      QZ_CHECK(fresh, "[model] {}: tensor '{}' is also in {}", file.path(), info.name,
               it->second.file->path());
      if (shards.shard_of.empty()) continue;
      auto listed = shards.shard_of.find(info.name);
      QZ_CHECK(listed != shards.shard_of.end() && listed->second == file.path(),
               "[model] {}: tensor '{}' is not where model.safetensors.index.json puts it ({})",
               file.path(), info.name,
               listed == shards.shard_of.end() ? "nowhere" : listed->second);
    }
  }
  for (const auto& [name, path] : shards.shard_of)
    QZ_CHECK(tensors.count(name), "[model] {}: tensor '{}' listed by the index is missing", path,
             name);

  out.path = dir;
  out.model = make_model(hf.config, dir + "/config.json");
  out.provenance = {{"source", "huggingface"},
                    {"architecture", hf.architecture},
                    {"torch_dtype", hf.torch_dtype},
                    {"checkpoint", dir}};
  std::set<std::string> used;
  torch::NoGradGuard guard;
  for (auto& item : out.model->named_parameters()) {
    const std::string& ours = item.key();
    std::string name = io::hf_tensor_name(ours);
    // A tied head is the embedding read twice; some exporters also save it as lm_head.
    if (ours == "head.weight" && hf.tied_embeddings && !tensors.count(name))
      name = io::hf_tensor_name("embed.weight");
    auto it = tensors.find(name);
    QZ_CHECK(it != tensors.end(), "[model] {}: tensor '{}' is missing ({} has it)",
             shards.shard_of.empty() ? files.front().path() : dir, name, hf.architecture);
    const auto& [file, info] = it->second;
    const std::string where = fmt::format("[model] {}: tensor '{}'", file->path(), name);
    QZ_CHECK(info->dtype == io::Dtype::BF16 || info->dtype == io::Dtype::F16 ||
                 info->dtype == io::Dtype::F32,
             "{}: dtype {} (expected BF16, F16 or F32)", where, io::dtype_name(info->dtype));
    torch::Tensor& tensor = item.value();
    QZ_CHECK(info->shape == tensor.sizes().vec(), "{}: shape [{}] (expected [{}])", where,
             fmt::join(info->shape, ","), fmt::join(tensor.sizes().vec(), ","));
    copy_from_file(tensor, *file, *info);
    require_finite(tensor, where);
    used.insert(name);
  }
  for (const auto& [name, located] : tensors)
    QZ_CHECK(used.count(name) || io::hf_tensor_ignorable(name),
             "[model] {}: unexpected tensor '{}' for {} with this config.json",
             located.file->path(), name, hf.architecture);
  out.model->eval();
  return out;
}

}  // namespace qz::nn
