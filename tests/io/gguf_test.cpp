// GGUF reader: typed metadata, tensor infos and their bytes from a hand-built image, and one
// named error for each way a file can be malformed.
#include "io/gguf.h"

#include <gtest/gtest.h>

#include <cstring>

#include "core/error.h"

namespace qz::io {
namespace {

// Writes a GGUF image field by field (little-endian, as the format is).
class GgufImage {
 public:
  template <typename T>
  GgufImage& raw(T v) {
    const auto* p = reinterpret_cast<const std::byte*>(&v);
    bytes.insert(bytes.end(), p, p + sizeof(T));
    return *this;
  }
  GgufImage& str(const std::string& s) {
    raw<uint64_t>(s.size());
    for (char c : s) bytes.push_back(static_cast<std::byte>(c));
    return *this;
  }
  GgufImage& header(uint64_t tensors, uint64_t kvs, uint32_t version = 3) {
    str_magic();
    return raw<uint32_t>(version).raw<uint64_t>(tensors).raw<uint64_t>(kvs);
  }
  GgufImage& key(const std::string& k, GgufType t) {
    return str(k).raw<uint32_t>(static_cast<uint32_t>(t));
  }
  GgufImage& tensor(const std::string& name, std::vector<int64_t> dims, uint32_t type,
                    uint64_t offset) {
    str(name).raw<uint32_t>(static_cast<uint32_t>(dims.size()));
    for (int64_t d : dims) raw<int64_t>(d);
    return raw<uint32_t>(type).raw<uint64_t>(offset);
  }
  GgufImage& pad_to(size_t alignment) {
    while (bytes.size() % alignment != 0) bytes.push_back(std::byte{0});
    return *this;
  }
  GgufImage& zeros(size_t n) {
    bytes.resize(bytes.size() + n);
    return *this;
  }
  std::vector<std::byte> bytes;

 private:
  void str_magic() {
    for (char c : std::string("GGUF")) bytes.push_back(static_cast<std::byte>(c));
  }
};

// A valid image: five kinds of metadata, an F32 [4, 2] tensor and a Q8_0 [32] one.
GgufImage valid_image() {
  GgufImage g;
  g.header(2, 5);
  g.key("general.architecture", GgufType::String).str("llama");
  g.key("general.alignment", GgufType::U32).raw<uint32_t>(64);
  g.key("llama.rope.freq_base", GgufType::F32).raw<float>(500000.0f);
  g.key("tokenizer.ggml.tokens", GgufType::Array)
      .raw<uint32_t>(static_cast<uint32_t>(GgufType::String))
      .raw<uint64_t>(3)
      .str("<s>")
      .str("a")
      .str(
          "\xe2\x96\x81"
          "b");
  g.key("tokenizer.ggml.add_bos_token", GgufType::Bool).raw<uint8_t>(1);
  g.tensor("w", {4, 2}, 0, 0);
  g.tensor("q", {32}, 8, 64);
  g.pad_to(64).zeros(64 + 34);
  return g;
}

std::string error_of(std::vector<std::byte> bytes) {
  try {
    GgufFile::from_bytes(std::move(bytes), "t.gguf");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Gguf, ReadsTypedMetadataAndTensors) {
  GgufImage g = valid_image();
  const size_t data = g.bytes.size() - 64 - 34;
  std::memcpy(g.bytes.data() + data, "\x00\x00\x80\x3f", 4);  // w[0] = 1.0f
  const GgufFile f = GgufFile::from_bytes(g.bytes, "t.gguf");
  EXPECT_EQ(f.version(), 3u);
  EXPECT_EQ(f.alignment(), 64u);
  EXPECT_EQ(f.get_string("general.architecture"), "llama");
  EXPECT_EQ(f.get_int("general.alignment"), 64);
  EXPECT_FLOAT_EQ(static_cast<float>(f.find("llama.rope.freq_base")->floats[0]), 500000.0f);
  EXPECT_EQ(f.get_strings("tokenizer.ggml.tokens"), (std::vector<std::string>{"<s>", "a",
                                                                              "\xe2\x96\x81"
                                                                              "b"}));
  EXPECT_EQ(f.find("tokenizer.ggml.add_bos_token")->ints[0], 1);
  ASSERT_EQ(f.tensors().size(), 2u);
  const GgufTensor& w = *f.find_tensor("w");
  EXPECT_EQ(w.dims, (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(w.offset, data);
  EXPECT_EQ(w.nbytes, 32u);
  float first = 0;
  std::memcpy(&first, f.bytes(w).data(), 4);
  EXPECT_EQ(first, 1.0f);
  EXPECT_EQ(f.find_tensor("q")->nbytes, 34u);  // one Q8_0 block
  EXPECT_EQ(f.find_tensor("q")->offset, data + 64);
  EXPECT_THROW(f.get_int("general.architecture"), InputError);
  EXPECT_THROW(f.get_string("missing.key"), InputError);
}

TEST(Gguf, MalformedFilesAreNamedErrors) {
  auto image = [](auto&& edit) {
    GgufImage g;
    edit(g);
    return g.bytes;
  };
  EXPECT_NE(error_of({}).find("the magic"), std::string::npos);
  auto bad_magic = valid_image().bytes;
  bad_magic[0] = std::byte{'X'};
  EXPECT_NE(error_of(bad_magic).find("no 'GGUF' magic"), std::string::npos);
  EXPECT_NE(error_of(image([](GgufImage& g) { g.header(0, 0, 4); })).find("version 4"),
            std::string::npos);
  auto truncated = valid_image().bytes;
  truncated.resize(90);  // inside the second key's name
  EXPECT_NE(error_of(truncated).find("a key at byte 77 needs 17 bytes, 13 are left"),
            std::string::npos);
  truncated.resize(40);  // too short for the five key-values it announces
  EXPECT_NE(error_of(truncated).find("5 key-values cannot fit"), std::string::npos);
  EXPECT_NE(error_of(image([](GgufImage& g) {
              g.header(0, 2);
              g.key("a", GgufType::U8).raw<uint8_t>(1);
              g.key("a", GgufType::U8).raw<uint8_t>(2);
            })).find("duplicate key 'a'"),
            std::string::npos);
  EXPECT_NE(error_of(image([](GgufImage& g) {
              g.header(0, 1);
              g.key("n", GgufType::Array).raw<uint32_t>(9).raw<uint64_t>(1);
            })).find("arrays of arrays"),
            std::string::npos);
  EXPECT_NE(error_of(image([](GgufImage& g) {
              g.header(0, 1);
              g.key("n", static_cast<GgufType>(13)).raw<uint8_t>(1);
            })).find("unknown value type 13"),
            std::string::npos);
  EXPECT_NE(error_of(image([](GgufImage& g) {
              g.header(0, 1);
              g.key("n", GgufType::Array)
                  .raw<uint32_t>(static_cast<uint32_t>(GgufType::U64))
                  .raw<uint64_t>(uint64_t{1} << 40);
            })).find("runs past the end"),
            std::string::npos);
  EXPECT_NE(error_of(image([](GgufImage& g) {
              g.header(0, 1);
              g.key("general.alignment", GgufType::U32).raw<uint32_t>(48);
            })).find("power of two"),
            std::string::npos);
  EXPECT_NE(error_of(image([](GgufImage& g) {
              g.header(0, 1);
              g.key("b", GgufType::Bool).raw<uint8_t>(2);
            })).find("expected 0 or 1"),
            std::string::npos);
  auto tensors = [&](std::vector<int64_t> dims, uint32_t type, uint64_t offset, size_t data_bytes) {
    return image([&](GgufImage& g) {
      g.header(1, 0);
      g.tensor("t", dims, type, offset);
      g.pad_to(32).zeros(data_bytes);
    });
  };
  EXPECT_EQ(error_of(tensors({8}, 0, 0, 32)), "");
  EXPECT_NE(error_of(tensors({8}, 0, 0, 31)).find("run past the end"), std::string::npos);
  EXPECT_NE(error_of(tensors({8}, 0, 4, 64)).find("not a multiple of the alignment"),
            std::string::npos);
  EXPECT_NE(error_of(tensors({8}, 99, 0, 64)).find("ggml type 99"), std::string::npos);
  EXPECT_NE(error_of(tensors({16}, 8, 0, 64)).find("32-element Q8_0 blocks"), std::string::npos);
  EXPECT_NE(error_of(tensors({8, -1}, 0, 0, 64)).find("dimension 1 is -1"), std::string::npos);
  EXPECT_NE(error_of(tensors({1, 1, 1, 1, 1}, 0, 0, 64)).find("5 dimensions"), std::string::npos);
  EXPECT_NE(error_of(image([](GgufImage& g) {
              g.header(2, 0);
              g.tensor("a", {16}, 0, 0);
              g.tensor("b", {16}, 0, 32);
              g.pad_to(32).zeros(128);
            })).find("tensors 'a' and 'b' overlap"),
            std::string::npos);
  EXPECT_NE(error_of(image([](GgufImage& g) {
              g.header(2, 0);
              g.tensor("a", {8}, 0, 0);
              g.tensor("a", {8}, 0, 32);
              g.pad_to(32).zeros(64);
            })).find("duplicate tensor 'a'"),
            std::string::npos);
}

}  // namespace
}  // namespace qz::io
