#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "core/error.h"
#include "io/mapped_file.h"
#include "io/safetensors.h"

namespace qz::io {

int64_t TensorInfo::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

namespace {

using nlohmann::json;

// Rejects duplicate keys and nesting deeper than `max_depth` while nlohmann parses.
class StrictJsonCallback {
 public:
  StrictJsonCallback(const std::string& where, size_t max_depth)
      : where_(where), max_depth_(max_depth) {}

  bool operator()(int depth, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        QZ_CHECK(static_cast<size_t>(depth) < max_depth_,
                 "[safetensors] {}: header JSON nested deeper than {} levels", where_, max_depth_);
        if (event == json::parse_event_t::object_start) keys_.emplace_back();
        break;
      case json::parse_event_t::object_end:
        if (!keys_.empty()) keys_.pop_back();
        break;
      case json::parse_event_t::key: {
        const std::string key = parsed.get<std::string>();
        QZ_CHECK(!keys_.empty() && keys_.back().insert(key).second,
                 "[safetensors] {}: duplicate key '{}' in header", where_, key);
        break;
      }
      default:
        break;
    }
    return true;
  }

 private:
  const std::string& where_;
  size_t max_depth_;
  std::vector<std::set<std::string>> keys_;
};

uint64_t read_u64_le(const std::byte* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

uint64_t json_offset(const json& v, const std::string& where, const std::string& name) {
  QZ_CHECK(v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0),
           "[safetensors] {}: tensor '{}': data_offsets must be non-negative integers", where,
           name);
  return v.get<uint64_t>();
}

TensorInfo parse_tensor_entry(const std::string& name, const json& entry, const std::string& where,
                              const SafetensorsLimits& limits) {
  QZ_CHECK(entry.is_object(), "[safetensors] {}: tensor '{}': expected an object", where, name);
  for (const auto& [key, _] : entry.items())
    QZ_CHECK(key == "dtype" || key == "shape" || key == "data_offsets",
             "[safetensors] {}: tensor '{}': unknown field '{}' (expected dtype, shape, "
             "data_offsets)",
             where, name, key);
  QZ_CHECK(entry.contains("dtype") && entry["dtype"].is_string(),
           "[safetensors] {}: tensor '{}': missing string field 'dtype'", where, name);
  QZ_CHECK(entry.contains("shape") && entry["shape"].is_array(),
           "[safetensors] {}: tensor '{}': missing array field 'shape'", where, name);
  QZ_CHECK(entry.contains("data_offsets") && entry["data_offsets"].is_array() &&
               entry["data_offsets"].size() == 2,
           "[safetensors] {}: tensor '{}': 'data_offsets' must be [begin, end]", where, name);

  TensorInfo t;
  t.name = name;
  const std::string dtype = entry["dtype"].get<std::string>();
  auto parsed = parse_dtype(dtype);
  QZ_CHECK(parsed.has_value(),
           "[safetensors] {}: tensor '{}': unknown dtype '{}' (expected one of {})", where, name,
           dtype, all_dtype_names());
  t.dtype = *parsed;

  const json& shape = entry["shape"];
  QZ_CHECK(shape.size() <= limits.max_rank, "[safetensors] {}: tensor '{}': rank {} exceeds {}",
           where, name, shape.size(), limits.max_rank);
  uint64_t numel = 1;
  for (const json& d : shape) {
    QZ_CHECK(d.is_number_unsigned() || (d.is_number_integer() && d.get<int64_t>() >= 0),
             "[safetensors] {}: tensor '{}': shape entries must be non-negative integers", where,
             name);
    const uint64_t dim = d.get<uint64_t>();
    QZ_CHECK(dim <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) &&
                 (dim == 0 || numel <= std::numeric_limits<uint64_t>::max() / dim),
             "[safetensors] {}: tensor '{}': shape product overflows", where, name);
    numel *= dim;
    t.shape.push_back(static_cast<int64_t>(dim));
  }
  const uint64_t elem = dtype_size(t.dtype);
  QZ_CHECK(numel <= std::numeric_limits<uint64_t>::max() / elem,
           "[safetensors] {}: tensor '{}': byte size overflows", where, name);
  t.begin = json_offset(entry["data_offsets"][0], where, name);
  t.end = json_offset(entry["data_offsets"][1], where, name);
  QZ_CHECK(t.begin <= t.end, "[safetensors] {}: tensor '{}': data_offsets begin {} > end {}", where,
           name, t.begin, t.end);
  QZ_CHECK(
      t.end - t.begin == numel * elem,
      "[safetensors] {}: tensor '{}': data_offsets span {} bytes but shape and dtype {} need {}",
      where, name, t.end - t.begin, dtype, numel * elem);
  return t;
}

}  // namespace

SafetensorsFile SafetensorsFile::open(const std::string& path, const SafetensorsLimits& limits) {
  SafetensorsFile file;
  file.path_ = path;
  file.mapped_ = MappedFile::open(path, "[safetensors]");
  file.base_ = file.mapped_.data();
  file.size_ = file.mapped_.size();
  file.parse(limits);
  return file;
}

SafetensorsFile SafetensorsFile::from_bytes(std::vector<std::byte> bytes, const std::string& label,
                                            const SafetensorsLimits& limits) {
  SafetensorsFile file;
  file.path_ = label;
  file.mapped_ = MappedFile::from_bytes(std::move(bytes));
  file.base_ = file.mapped_.data();
  file.size_ = file.mapped_.size();
  file.parse(limits);
  return file;
}

void SafetensorsFile::parse(const SafetensorsLimits& limits) {
  const std::string& where = path_;
  QZ_CHECK(size_ >= 8, "[safetensors] {}: file is {} bytes, shorter than the 8-byte header length",
           where, size_);
  header_size_ = read_u64_le(base_);
  QZ_CHECK(header_size_ <= limits.max_header_bytes,
           "[safetensors] {}: header length {} exceeds the limit {}", where, header_size_,
           limits.max_header_bytes);
  QZ_CHECK(header_size_ <= size_ - 8,
           "[safetensors] {}: header length {} runs past the end of the {}-byte file", where,
           header_size_, size_);
  QZ_CHECK(header_size_ >= 2, "[safetensors] {}: header length {} is too short for a JSON object",
           where, header_size_);
  const char* text = reinterpret_cast<const char*>(base_ + 8);
  QZ_CHECK(text[0] == '{', "[safetensors] {}: header must start with '{{' (byte 8)", where);

  json header;
  try {
    header =
        json::parse(text, text + header_size_, StrictJsonCallback(where, limits.max_json_depth));
  } catch (const json::exception& e) {
    throw InputError(
        fmt::format("[safetensors] {}: header is not valid JSON: {}", where, e.what()));
  }
  QZ_CHECK(header.is_object(), "[safetensors] {}: header must be a JSON object", where);
  QZ_CHECK(header.size() <= limits.max_tensors + 1,
           "[safetensors] {}: {} tensors exceed the limit {}", where, header.size(),
           limits.max_tensors);

  for (auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      QZ_CHECK(entry.is_object(), "[safetensors] {}: __metadata__ must be an object of strings",
               where);
      for (auto& [key, value] : entry.items()) {
        QZ_CHECK(value.is_string(), "[safetensors] {}: __metadata__ '{}' must be a string", where,
                 key);
        metadata_[key] = value.get<std::string>();
      }
      continue;
    }
    tensors_.push_back(parse_tensor_entry(name, entry, where, limits));
  }

  // Sorted by offset, the tensors must tile the buffer exactly.
  std::sort(tensors_.begin(), tensors_.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  const uint64_t buffer = size_ - 8 - header_size_;
  uint64_t cursor = 0;
  for (const TensorInfo& t : tensors_) {
    QZ_CHECK(t.begin >= cursor,
             "[safetensors] {}: tensor '{}' at [{}, {}) overlaps the tensor ending at {}", where,
             t.name, t.begin, t.end, cursor);
    QZ_CHECK(t.begin == cursor,
             "[safetensors] {}: tensor '{}' at [{}, {}) leaves a gap after offset {}", where,
             t.name, t.begin, t.end, cursor);
    cursor = t.end;
  }
  QZ_CHECK(cursor == buffer,
           "[safetensors] {}: tensors cover {} bytes but the data buffer holds {} (file size {})",
           where, cursor, buffer, size_);
  for (size_t i = 0; i < tensors_.size(); ++i) index_[tensors_[i].name] = i;
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

const TensorInfo& SafetensorsFile::get(const std::string& name) const {
  const TensorInfo* t = find(name);
  QZ_CHECK(t != nullptr, "[safetensors] {}: missing tensor '{}'", path_, name);
  return *t;
}

std::span<const std::byte> SafetensorsFile::bytes(const TensorInfo& tensor) const {
  return {base_ + 8 + header_size_ + tensor.begin, tensor.nbytes()};
}

}  // namespace qz::io
