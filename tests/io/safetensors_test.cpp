#include "io/safetensors.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "io/atomic_file.h"

namespace qz::io {
namespace {

std::vector<std::byte> bytes_of(const std::vector<float>& v) {
  std::vector<std::byte> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// A file image with the given header text and `buffer` data bytes.
std::vector<std::byte> image(const std::string& header, size_t buffer) {
  std::vector<std::byte> out(8 + header.size() + buffer, std::byte{0});
  const uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::byte>((n >> (8 * i)) & 0xFF);
  std::memcpy(out.data() + 8, header.data(), header.size());
  return out;
}

std::string error_of(std::vector<std::byte> bytes) {
  try {
    SafetensorsFile::from_bytes(std::move(bytes), "bad.safetensors");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Safetensors, RoundTripsTensorsAndMetadata) {
  std::vector<TensorData> tensors;
  tensors.push_back({"b.weight", Dtype::F32, {2, 3}, bytes_of({1, 2, 3, 4, 5, 6})});
  tensors.push_back({"a.codes", Dtype::U8, {5}, std::vector<std::byte>(5, std::byte{7})});
  tensors.push_back({"c.scalar", Dtype::F64, {}, std::vector<std::byte>(8, std::byte{1})});
  tensors.push_back({"d.empty", Dtype::F16, {0, 4}, {}});
  const auto bytes = serialize_safetensors(tensors, {{"format", "quantize"}, {"note", "é"}});
  const SafetensorsFile f = SafetensorsFile::from_bytes(bytes, "mem");
  ASSERT_EQ(f.tensors().size(), 4u);
  EXPECT_EQ(f.metadata().at("note"), "é");
  const TensorInfo& w = f.get("b.weight");
  EXPECT_EQ(w.shape, (std::vector<int64_t>{2, 3}));
  float back[6];
  std::memcpy(back, f.bytes(w).data(), 24);
  EXPECT_EQ(back[5], 6.0f);
  EXPECT_EQ(f.get("c.scalar").shape.size(), 0u);
  EXPECT_EQ(f.get("d.empty").nbytes(), 0u);
  EXPECT_EQ(f.find("nope"), nullptr);
  EXPECT_THROW(f.get("nope"), InputError);
}

TEST(Safetensors, LayoutFollowsTheReferenceWriter) {
  std::vector<TensorData> tensors;
  tensors.push_back({"z", Dtype::U8, {3}, std::vector<std::byte>(3)});
  tensors.push_back({"a", Dtype::F32, {1}, bytes_of({1})});
  tensors.push_back({"m", Dtype::F64, {1}, std::vector<std::byte>(8)});
  const auto bytes = serialize_safetensors(tensors, {});
  const SafetensorsFile f = SafetensorsFile::from_bytes(bytes, "mem");
  // Header padded with spaces to a multiple of 8; larger dtypes first; tensors tile from 0.
  EXPECT_EQ(f.header_size() % 8, 0u);
  EXPECT_EQ(static_cast<char>(bytes[8 + f.header_size() - 1]), ' ');
  ASSERT_EQ(f.tensors().size(), 3u);
  EXPECT_EQ(f.tensors()[0].name, "m");
  EXPECT_EQ(f.tensors()[0].begin, 0u);
  EXPECT_EQ(f.tensors()[1].name, "a");
  EXPECT_EQ(f.tensors()[2].name, "z");
  EXPECT_EQ(f.tensors()[2].end, 15u);
}

TEST(Safetensors, WriterRejectsInconsistentInput) {
  std::vector<TensorData> dup = {{"x", Dtype::U8, {1}, std::vector<std::byte>(1)},
                                 {"x", Dtype::U8, {1}, std::vector<std::byte>(1)}};
  EXPECT_THROW(serialize_safetensors(dup, {}), InputError);
  std::vector<TensorData> wrong = {{"x", Dtype::F32, {2}, std::vector<std::byte>(4)}};
  EXPECT_THROW(serialize_safetensors(wrong, {}), InputError);
}

struct BadCase {
  const char* what;
  std::vector<std::byte> bytes;
  const char* expect;  // a phrase the one-line message must contain
};

TEST(Safetensors, MalformedFilesGiveOneLineErrors) {
  const std::string ok_entry = R"("t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
  std::vector<BadCase> cases = {
      {"empty", {}, "shorter than the 8-byte header length"},
      {"header beyond file", image("{}", 0), ""},
      {"invalid json", image("{\"t\": [", 0), "not valid JSON"},
      {"not an object", image("[1,2]    ", 0), "must start with"},
      {"unknown dtype", image(R"({"t":{"dtype":"F7","shape":[1],"data_offsets":[0,1]}})", 1),
       "unknown dtype 'F7'"},
      {"shape/offset mismatch",
       image(R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8), "need 12"},
      {"gap", image(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12), "gap"},
      {"overlap",
       image("{" + ok_entry + R"(,"u":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8),
       "overlaps"},
      {"buffer too long", image("{" + ok_entry + "}", 12), "tensors cover 8 bytes"},
      {"offset past end", image(R"({"t":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}})", 2),
       "tensors cover"},
      {"negative shape", image(R"({"t":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}})", 0),
       "non-negative"},
      {"overflowing shape",
       image(R"({"t":{"dtype":"F64","shape":[4294967296,4294967296,16],"data_offsets":[0,0]}})", 0),
       "overflows"},
      {"duplicate name", image("{" + ok_entry + "," + ok_entry + "}", 8), "duplicate key"},
      {"deep nesting",
       image(R"({"__metadata__":)" + std::string(40, '[') + std::string(40, ']') + "}", 0),
       "nested deeper"},
      {"metadata not strings", image(R"({"__metadata__":{"a":1}})", 0), "must be a string"},
      {"unknown field", image(R"({"t":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"x":1}})", 1),
       "unknown field 'x'"},
      {"rank too large",
       image(
           R"({"t":{"dtype":"U8","shape":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"data_offsets":[0,1]}})",
           1),
       "rank 17"},
  };
  // Header length field larger than the file.
  cases[1].bytes[0] = std::byte{0xFF};
  for (auto& c : cases) {
    const std::string msg = error_of(c.bytes);
    EXPECT_FALSE(msg.empty()) << c.what << ": accepted";
    EXPECT_NE(msg.find("bad.safetensors"), std::string::npos) << c.what << ": " << msg;
    EXPECT_NE(msg.find(c.expect), std::string::npos) << c.what << ": " << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << c.what << ": not one line";
  }
}

TEST(Safetensors, HeaderLengthLimitIsEnforced) {
  auto bytes = image("{}      ", 0);
  const uint64_t huge = 200'000'000;
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<std::byte>((huge >> (8 * i)) & 0xFF);
  EXPECT_NE(error_of(bytes).find("exceeds the limit"), std::string::npos);
}

TEST(Safetensors, OpensFilesFromDiskAndNamesMissingOnes) {
  const auto dir = std::filesystem::temp_directory_path() / "qz_st_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "m.safetensors").string();
  write_safetensors(path, {{"w", Dtype::F32, {2}, bytes_of({1.5f, -2})}}, {{"k", "v"}});
  const SafetensorsFile f = SafetensorsFile::open(path);
  EXPECT_EQ(f.metadata().at("k"), "v");
  EXPECT_EQ(f.file_size(), std::filesystem::file_size(path));
  EXPECT_THROW(SafetensorsFile::open((dir / "missing.safetensors").string()), InputError);
  EXPECT_THROW(SafetensorsFile::open(dir.string()), InputError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace qz::io
