#include "io/gguf.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <map>
#include <set>

#include "core/error.h"

namespace qz::io {

namespace {

constexpr uint32_t kMaxDims = 4;  // GGML_MAX_DIMS

// Reads little-endian fields from [pos, size), every read checked against the bytes left.
class Cursor {
 public:
  Cursor(const std::byte* base, uint64_t size, const std::string& where)
      : base_(base), size_(size), where_(where) {}

  uint64_t pos() const { return pos_; }
  uint64_t left() const { return size_ - pos_; }

  template <typename T>
  T read(const char* what) {
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, base_ + pos_, sizeof(T));  // GGUF is little-endian, as are our targets
    pos_ += sizeof(T);
    return v;
  }

  std::string string(const char* what) {
    const auto n = read<uint64_t>(what);
    need(n, what);
    std::string s(reinterpret_cast<const char*>(base_ + pos_), n);
    pos_ += n;
    return s;
  }

  void need(uint64_t n, const char* what) const {
    QZ_CHECK(n <= left(), "[gguf] {}: {} at byte {} needs {} bytes, {} are left", where_, what,
             pos_, n, left());
  }

 private:
  const std::byte* base_;
  uint64_t size_;
  uint64_t pos_ = 0;
  const std::string& where_;
};

// Bytes one element of a scalar type takes in the file, at least (a string: its 8-byte length);
// 0 for an array.
uint64_t scalar_bytes(GgufType t) {
  switch (t) {
    case GgufType::U8:
    case GgufType::I8:
    case GgufType::Bool:
      return 1;
    case GgufType::U16:
    case GgufType::I16:
      return 2;
    case GgufType::U32:
    case GgufType::I32:
    case GgufType::F32:
      return 4;
    case GgufType::U64:
    case GgufType::I64:
    case GgufType::F64:
    case GgufType::String:
      return 8;
    case GgufType::Array:
      break;
  }
  return 0;
}

GgufType value_type(uint32_t raw, const std::string& where, const std::string& key) {
  QZ_CHECK(raw <= static_cast<uint32_t>(GgufType::F64),
           "[gguf] {}: key '{}': unknown value type {}", where, key, raw);
  return static_cast<GgufType>(raw);
}

// Appends one element of scalar type `t` to `v`.
void read_scalar(Cursor& c, GgufType t, GgufValue& v, const std::string& where,
                 const std::string& key) {
  switch (t) {
    case GgufType::U8:
      v.ints.push_back(c.read<uint8_t>("a u8 value"));
      return;
    case GgufType::I8:
      v.ints.push_back(c.read<int8_t>("an i8 value"));
      return;
    case GgufType::Bool: {
      const auto b = c.read<uint8_t>("a bool value");
      QZ_CHECK(b <= 1, "[gguf] {}: key '{}': bool value {} (expected 0 or 1)", where, key, b);
      v.ints.push_back(b);
      return;
    }
    case GgufType::U16:
      v.ints.push_back(c.read<uint16_t>("a u16 value"));
      return;
    case GgufType::I16:
      v.ints.push_back(c.read<int16_t>("an i16 value"));
      return;
    case GgufType::U32:
      v.ints.push_back(c.read<uint32_t>("a u32 value"));
      return;
    case GgufType::I32:
      v.ints.push_back(c.read<int32_t>("an i32 value"));
      return;
    case GgufType::I64:
      v.ints.push_back(c.read<int64_t>("an i64 value"));
      return;
    case GgufType::U64: {
      const auto u = c.read<uint64_t>("a u64 value");
      QZ_CHECK(u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()),
               "[gguf] {}: key '{}': u64 value {} is past 2^63", where, key, u);
      v.ints.push_back(static_cast<int64_t>(u));
      return;
    }
    case GgufType::F32:
      v.floats.push_back(c.read<float>("an f32 value"));
      return;
    case GgufType::F64:
      v.floats.push_back(c.read<double>("an f64 value"));
      return;
    case GgufType::String:
      v.strings.push_back(c.string("a string value"));
      return;
    case GgufType::Array:
      break;
  }
  throw InputError(
      fmt::format("[gguf] {}: key '{}': arrays of arrays are not supported", where, key));
}

}  // namespace

const char* gguf_type_name(GgufType type) {
  static const char* names[] = {"u8",   "i8",     "u16",   "i16", "u32", "i32", "f32",
                                "bool", "string", "array", "u64", "i64", "f64"};
  const auto i = static_cast<uint32_t>(type);
  return i < std::size(names) ? names[i] : "?";
}

size_t GgufValue::size() const {
  return is_array() ? strings.size() + ints.size() + floats.size() : 1;
}

int64_t GgufTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

const GgmlTypeInfo* ggml_type_info(uint32_t type) {
  static const std::map<uint32_t, GgmlTypeInfo> types = {
      {0, {"F32", 1, 4}},       {1, {"F16", 1, 2}},       {2, {"Q4_0", 32, 18}},
      {3, {"Q4_1", 32, 20}},    {6, {"Q5_0", 32, 22}},    {7, {"Q5_1", 32, 24}},
      {8, {"Q8_0", 32, 34}},    {9, {"Q8_1", 32, 36}},    {10, {"Q2_K", 256, 84}},
      {11, {"Q3_K", 256, 110}}, {12, {"Q4_K", 256, 144}}, {13, {"Q5_K", 256, 176}},
      {14, {"Q6_K", 256, 210}}, {15, {"Q8_K", 256, 292}}, {20, {"IQ4_NL", 32, 18}},
      {24, {"I8", 1, 1}},       {25, {"I16", 1, 2}},      {26, {"I32", 1, 4}},
      {27, {"I64", 1, 8}},      {28, {"F64", 1, 8}},      {30, {"BF16", 1, 2}},
      {39, {"MXFP4", 32, 17}}};
  auto it = types.find(type);
  return it == types.end() ? nullptr : &it->second;
}

bool GgufFile::has_magic(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char magic[4] = {};
  const bool ok = ::read(fd, magic, 4) == 4 && std::memcmp(magic, "GGUF", 4) == 0;
  ::close(fd);
  return ok;
}

GgufFile GgufFile::open(const std::string& path) {
  GgufFile file;
  file.path_ = path;
  file.mapped_ = MappedFile::open(path, "[gguf]");
  file.base_ = file.mapped_.data();
  file.size_ = file.mapped_.size();
  file.parse();
  return file;
}

GgufFile GgufFile::from_bytes(std::vector<std::byte> bytes, const std::string& label) {
  GgufFile file;
  file.path_ = label;
  file.mapped_ = MappedFile::from_bytes(std::move(bytes));
  file.base_ = file.mapped_.data();
  file.size_ = file.mapped_.size();
  file.parse();
  return file;
}

void GgufFile::parse() {
  const std::string& where = path_;
  Cursor c(base_, size_, where);
  c.need(4, "the magic");
  QZ_CHECK(std::memcmp(base_, "GGUF", 4) == 0, "[gguf] {}: not a GGUF file (no 'GGUF' magic)",
           where);
  c.read<uint32_t>("the magic");
  version_ = c.read<uint32_t>("the version");
  QZ_CHECK(version_ == 2 || version_ == 3, "[gguf] {}: version {} (expected 2 or 3)", where,
           version_);
  const auto n_tensors = c.read<uint64_t>("the tensor count");
  const auto n_kv = c.read<uint64_t>("the key-value count");
  // Every key-value takes at least 12 bytes and every tensor info 24: bound the counts before
  // reserving anything.
  QZ_CHECK(n_kv <= c.left() / 12, "[gguf] {}: {} key-values cannot fit in {} bytes", where, n_kv,
           c.left());
  std::set<std::string> keys;
  for (uint64_t i = 0; i < n_kv; ++i) {
    GgufKeyValue kv;
    kv.key = c.string("a key");
    QZ_CHECK(keys.insert(kv.key).second, "[gguf] {}: duplicate key '{}'", where, kv.key);
    GgufValue& v = kv.value;
    v.type = value_type(c.read<uint32_t>("a value type"), where, kv.key);
    if (v.is_array()) {
      v.element_type = value_type(c.read<uint32_t>("an array type"), where, kv.key);
      const auto n = c.read<uint64_t>("an array length");
      const uint64_t each = scalar_bytes(v.element_type);
      QZ_CHECK(each != 0, "[gguf] {}: key '{}': arrays of arrays are not supported", where, kv.key);
      QZ_CHECK(n <= c.left() / each, "[gguf] {}: key '{}': array of {} {} runs past the end", where,
               kv.key, n, gguf_type_name(v.element_type));
      for (uint64_t j = 0; j < n; ++j) read_scalar(c, v.element_type, v, where, kv.key);
    } else {
      read_scalar(c, v.type, v, where, kv.key);
    }
    metadata_.push_back(std::move(kv));
  }
  if (const GgufValue* a = find("general.alignment")) {
    QZ_CHECK(a->type == GgufType::U32 && a->ints[0] > 0 && (a->ints[0] & (a->ints[0] - 1)) == 0,
             "[gguf] {}: key 'general.alignment': expected a u32 power of two", where);
    alignment_ = static_cast<uint64_t>(a->ints[0]);
  }

  QZ_CHECK(n_tensors <= c.left() / 24, "[gguf] {}: {} tensor infos cannot fit in {} bytes", where,
           n_tensors, c.left());
  std::set<std::string> names;
  for (uint64_t i = 0; i < n_tensors; ++i) {
    GgufTensor t;
    t.name = c.string("a tensor name");
    QZ_CHECK(names.insert(t.name).second, "[gguf] {}: duplicate tensor '{}'", where, t.name);
    const auto n_dims = c.read<uint32_t>("a tensor's dimension count");
    QZ_CHECK(n_dims >= 1 && n_dims <= kMaxDims,
             "[gguf] {}: tensor '{}': {} dimensions (expected 1 to {})", where, t.name, n_dims,
             kMaxDims);
    int64_t numel = 1;
    for (uint32_t d = 0; d < n_dims; ++d) {
      const auto n = c.read<int64_t>("a tensor dimension");
      QZ_CHECK(n >= 0 && (n == 0 || numel <= std::numeric_limits<int64_t>::max() / n),
               "[gguf] {}: tensor '{}': dimension {} is {} (negative, or the size overflows)",
               where, t.name, d, n);
      numel *= n;
      t.dims.push_back(n);
    }
    t.ggml_type = c.read<uint32_t>("a tensor type");
    const GgmlTypeInfo* info = ggml_type_info(t.ggml_type);
    QZ_CHECK(info != nullptr, "[gguf] {}: tensor '{}': ggml type {} is not one quantize reads",
             where, t.name, t.ggml_type);
    QZ_CHECK(t.dims[0] % info->block == 0,
             "[gguf] {}: tensor '{}': its innermost dimension {} is not a whole number of "
             "{}-element {} blocks",
             where, t.name, t.dims[0], info->block, info->name);
    QZ_CHECK(numel / info->block <= std::numeric_limits<int64_t>::max() / info->block_bytes,
             "[gguf] {}: tensor '{}': byte size overflows", where, t.name);
    t.nbytes = static_cast<uint64_t>(numel / info->block * info->block_bytes);
    t.offset = c.read<uint64_t>("a tensor offset");
    QZ_CHECK(t.offset % alignment_ == 0,
             "[gguf] {}: tensor '{}': offset {} is not a multiple of "
             "the alignment {}",
             where, t.name, t.offset, alignment_);
    tensors_.push_back(std::move(t));
  }
  // The data blob starts at the next multiple of the alignment.
  const uint64_t data = (c.pos() + alignment_ - 1) / alignment_ * alignment_;
  QZ_CHECK(tensors_.empty() || data <= size_,
           "[gguf] {}: the tensor data would start at byte {}, "
           "past the end of the {}-byte file",
           where, data, size_);
  std::vector<std::pair<uint64_t, const GgufTensor*>> spans;
  for (auto& t : tensors_) {
    QZ_CHECK(t.offset <= size_ - data && t.nbytes <= size_ - data - t.offset,
             "[gguf] {}: tensor '{}': {} bytes at offset {} run past the end of the file "
             "({} data bytes)",
             where, t.name, t.nbytes, t.offset, size_ - data);
    t.offset += data;
    spans.emplace_back(t.offset, &t);
  }
  std::sort(spans.begin(), spans.end());
  for (size_t i = 1; i < spans.size(); ++i) {
    const GgufTensor& prev = *spans[i - 1].second;
    QZ_CHECK(prev.offset + prev.nbytes <= spans[i].first,
             "[gguf] {}: tensors '{}' and '{}' overlap", where, prev.name, spans[i].second->name);
  }
}

const GgufValue* GgufFile::find(const std::string& key) const {
  for (const auto& kv : metadata_)
    if (kv.key == key) return &kv.value;
  return nullptr;
}

const GgufValue& GgufFile::require(const std::string& key, const char* expected) const {
  const GgufValue* v = find(key);
  QZ_CHECK(v != nullptr, "[gguf] {}: no key '{}' (expected {})", path_, key, expected);
  return *v;
}

std::string GgufFile::get_string(const std::string& key) const {
  const GgufValue& v = require(key, "a string");
  QZ_CHECK(v.type == GgufType::String, "[gguf] {}: key '{}': {} (expected a string)", path_, key,
           gguf_type_name(v.type));
  return v.strings[0];
}

int64_t GgufFile::get_int(const std::string& key) const {
  const GgufValue& v = require(key, "an integer");
  QZ_CHECK(!v.is_array() && !v.ints.empty() && v.type != GgufType::Bool,
           "[gguf] {}: key '{}': {} (expected an integer)", path_, key, gguf_type_name(v.type));
  return v.ints[0];
}

const std::vector<std::string>& GgufFile::get_strings(const std::string& key) const {
  const GgufValue& v = require(key, "an array of strings");
  QZ_CHECK(v.is_array() && v.element_type == GgufType::String,
           "[gguf] {}: key '{}': {} (expected an array of strings)", path_, key,
           gguf_type_name(v.type));
  return v.strings;
}

const GgufTensor* GgufFile::find_tensor(const std::string& name) const {
  for (const auto& t : tensors_)
    if (t.name == name) return &t;
  return nullptr;
}

std::span<const std::byte> GgufFile::bytes(const GgufTensor& tensor) const {
  return {base_ + tensor.offset, tensor.nbytes};
}

}  // namespace qz::io
