#include "data/idx_loader.h"

#include <filesystem>

#include "core/error.h"
#include "io/idx_format.h"
#include "io/read_file.h"

namespace qz::data {
namespace {

std::string labels_path_for(const std::string& images) {
  const std::filesystem::path p(images);
  std::string name = p.filename().string();
  const size_t at = name.find("images");
  QZ_CHECK(at != std::string::npos,
           "[idx] {}: cannot infer the labels file (name has no 'images'); use idx:IMAGES,LABELS",
           images);
  name.replace(at, 6, "labels");
  const size_t idx3 = name.find("idx3");
  if (idx3 != std::string::npos) name.replace(idx3, 4, "idx1");
  return (p.parent_path() / name).string();
}

}  // namespace

Dataset load_idx(const std::string& paths, const DataOptions& options) {
  const size_t comma = paths.find(',');
  const std::string images_path = paths.substr(0, comma);
  const std::string labels_path =
      comma == std::string::npos ? labels_path_for(images_path) : paths.substr(comma + 1);
  const io::IdxArray images = io::parse_idx(io::read_file(images_path), images_path);
  const io::IdxArray labels = io::parse_idx(io::read_file(labels_path), labels_path);
  QZ_CHECK(images.dims.size() == 3, "[idx] {}: images must have rank 3 [N,H,W], got rank {}",
           images_path, images.dims.size());
  QZ_CHECK(labels.dims.size() == 1, "[idx] {}: labels must have rank 1 [N], got rank {}",
           labels_path, labels.dims.size());
  QZ_CHECK(labels.dims[0] == images.dims[0], "[idx] {}: {} labels for {} images in {}", labels_path,
           labels.dims[0], images.dims[0], images_path);
  Dataset d;
  d.spec = "idx:" + paths;
  d.task = Task::Classification;
  const int64_t n = images.dims[0], h = images.dims[1], w = images.dims[2];
  d.input_shape = {1, h, w};
  int64_t classes = 0;
  for (uint8_t l : labels.data) classes = std::max<int64_t>(classes, l + 1);
  QZ_CHECK(classes >= 2, "[idx] {}: labels must name at least two classes", labels_path);
  d.num_classes = classes;
  d.slices = class_slices(classes);
  Split all;
  all.inputs =
      torch::from_blob(const_cast<uint8_t*>(images.data.data()), {n, 1, h, w}, torch::kUInt8)
          .to(torch::kFloat32)
          .div_(255.0f);
  all.targets = torch::from_blob(const_cast<uint8_t*>(labels.data.data()), {n}, torch::kUInt8)
                    .to(torch::kInt64);
  all.slices = all.targets.unsqueeze(1).clone();
  split_randomly(all, options, d);
  return d;
}

}  // namespace qz::data
