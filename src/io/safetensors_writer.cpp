#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/safetensors.h"

namespace qz::io {

std::vector<std::byte> serialize_safetensors(const std::vector<TensorData>& tensors,
                                             const std::map<std::string, std::string>& metadata) {
  // The reference writer's order: larger element size first (keeps every tensor aligned to its
  // element size inside the buffer), then by name.
  std::vector<const TensorData*> order;
  std::set<std::string> names;
  for (const TensorData& t : tensors) {
    QZ_CHECK(t.name != "__metadata__", "[safetensors] tensor name '__metadata__' is reserved");
    QZ_CHECK(names.insert(t.name).second, "[safetensors] duplicate tensor name '{}'", t.name);
    int64_t numel = 1;
    for (int64_t d : t.shape) numel *= d;
    QZ_CHECK(t.bytes.size() == static_cast<size_t>(numel) * dtype_size(t.dtype),
             "[safetensors] tensor '{}': {} bytes do not match shape and dtype {} ({} bytes)",
             t.name, t.bytes.size(), dtype_name(t.dtype), numel * dtype_size(t.dtype));
    order.push_back(&t);
  }
  std::sort(order.begin(), order.end(), [](const TensorData* a, const TensorData* b) {
    const size_t sa = dtype_size(a->dtype), sb = dtype_size(b->dtype);
    return sa != sb ? sa > sb : a->name < b->name;
  });

  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (const TensorData* t : order) {
    header[t->name] = {{"dtype", std::string(dtype_name(t->dtype))},
                       {"shape", t->shape},
                       {"data_offsets", {offset, offset + t->bytes.size()}}};
    offset += t->bytes.size();
  }
  std::string text = header.dump();
  text.resize((text.size() + 7) / 8 * 8, ' ');

  std::vector<std::byte> out;
  out.reserve(8 + text.size() + offset);
  const uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::byte>((n >> (8 * i)) & 0xFF));
  const auto* tb = reinterpret_cast<const std::byte*>(text.data());
  out.insert(out.end(), tb, tb + text.size());
  for (const TensorData* t : order) out.insert(out.end(), t->bytes.begin(), t->bytes.end());
  return out;
}

void write_safetensors(const std::string& path, const std::vector<TensorData>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  const std::vector<std::byte> bytes = serialize_safetensors(tensors, metadata);
  AtomicFile file(path);
  file.write(bytes.data(), bytes.size());
  file.commit();
}

}  // namespace qz::io
