#include "data/idx_loader.h"

#include <fmt/ranges.h>

#include <filesystem>

#include "core/error.h"
#include "io/read_file.h"

namespace qz::data {
namespace {

constexpr int64_t kMaxDim = 1 << 24;

uint32_t read_be32(const std::string& b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) |
         (uint32_t(uint8_t(b[at + 2])) << 8) | uint32_t(uint8_t(b[at + 3]));
}

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

IdxArray parse_idx(const std::string& bytes, const std::string& path) {
  QZ_CHECK(bytes.size() >= 4, "[idx] {}: file is {} bytes, too short for the 4-byte magic", path,
           bytes.size());
  QZ_CHECK(bytes[0] == 0 && bytes[1] == 0,
           "[idx] {} byte 0: wrong magic (expected two zero bytes, a type byte and a rank byte)",
           path);
  QZ_CHECK(uint8_t(bytes[2]) == 0x08,
           "[idx] {} byte 2: element type 0x{:02x} unsupported (expected 0x08, unsigned byte)",
           path, uint8_t(bytes[2]));
  const int rank = uint8_t(bytes[3]);
  QZ_CHECK(rank >= 1 && rank <= 4, "[idx] {} byte 3: rank {} unsupported (expected 1 to 4)", path,
           rank);
  const size_t header = 4 + 4 * static_cast<size_t>(rank);
  QZ_CHECK(bytes.size() >= header, "[idx] {}: truncated header ({} bytes, expected {})", path,
           bytes.size(), header);
  IdxArray out;
  uint64_t total = 1;
  for (int i = 0; i < rank; ++i) {
    const uint32_t dim = read_be32(bytes, 4 + 4 * i);
    QZ_CHECK(dim >= 1 && dim <= kMaxDim, "[idx] {} byte {}: dimension {} is {} (expected 1..{})",
             path, 4 + 4 * i, i, dim, kMaxDim);
    total *= dim;
    QZ_CHECK(total <= (uint64_t{1} << 34), "[idx] {}: array too large", path);
    out.dims.push_back(dim);
  }
  QZ_CHECK(bytes.size() - header == total,
           "[idx] {} byte {}: {} data bytes, expected {} for dimensions {} (truncated or padded)",
           path, header, bytes.size() - header, total, fmt::join(out.dims, "x"));
  out.data.assign(bytes.begin() + static_cast<ptrdiff_t>(header), bytes.end());
  return out;
}

Dataset load_idx(const std::string& paths, const DataOptions& options) {
  const size_t comma = paths.find(',');
  const std::string images_path = paths.substr(0, comma);
  const std::string labels_path =
      comma == std::string::npos ? labels_path_for(images_path) : paths.substr(comma + 1);
  const IdxArray images = parse_idx(io::read_file(images_path), images_path);
  const IdxArray labels = parse_idx(io::read_file(labels_path), labels_path);
  QZ_CHECK(images.dims.size() == 3, "[idx] {}: images must have rank 3 [N,H,W], got rank {}",
           images_path, images.dims.size());
  QZ_CHECK(labels.dims.size() == 1, "[idx] {}: labels must have rank 1 [N], got rank {}",
           labels_path, labels.dims.size());
  QZ_CHECK(labels.dims[0] == images.dims[0], "[idx] {}: {} labels for {} images in {}", labels_path,
           labels.dims[0], images.dims[0], images_path);
  Dataset d;
  d.spec = "idx:" + paths;
  d.task = nn::Task::Classification;
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
