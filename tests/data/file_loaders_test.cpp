#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "data/csv_loader.h"
#include "data/dataset.h"
#include "data/idx_loader.h"
#include "data/text_loader.h"

namespace qz::data {
namespace {

namespace fs = std::filesystem;

class FileLoaders : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("qz_loaders_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& content) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

  // The InputError message of loading `spec`, "" if it loaded.
  static std::string error_of(const std::string& spec) {
    try {
      load_dataset(spec);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  static void expect_error(const std::string& spec, const std::string& file,
                           const std::string& phrase) {
    const std::string msg = error_of(spec);
    EXPECT_NE(msg.find(file), std::string::npos) << spec << ": " << msg;
    EXPECT_NE(msg.find(phrase), std::string::npos) << spec << ": " << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "not one line: " << msg;
  }

  static std::string idx(const std::vector<uint8_t>& header, size_t data_bytes) {
    std::string s(header.begin(), header.end());
    s.append(data_bytes, '\x01');
    return s;
  }

  fs::path dir_;
};

std::string csv_rows(int n, bool header) {
  std::string s = header ? "x1,x2,label\n" : "";
  for (int i = 0; i < n; ++i)
    s += std::to_string(i * 0.5) + "," + std::to_string(-i) + "," + std::to_string(i % 3) + "\n";
  return s;
}

TEST_F(FileLoaders, CsvLoadsWithOrWithoutHeaderAndSplitsDeterministically) {
  const Dataset a = load_dataset("csv:" + write("a.csv", csv_rows(100, true)));
  const Dataset b = load_dataset("csv:" + write("b.csv", csv_rows(100, false)));
  EXPECT_EQ(a.num_classes, 3);
  EXPECT_EQ(a.input_shape, (std::vector<int64_t>{2}));
  EXPECT_EQ(a.train.size() + a.val.size() + a.test.size(), 100);
  EXPECT_EQ(a.test.size(), 20);
  EXPECT_TRUE(torch::equal(a.train.targets, b.train.targets));
  EXPECT_NEAR(a.train.inputs.mean().item<float>(), 0.0f, 1e-4);  // standardised
  DataOptions other;
  other.seed = 99;
  EXPECT_FALSE(torch::equal(a.train.targets, load_dataset(a.spec, other).train.targets));
}

TEST_F(FileLoaders, CsvBadInputsNameFileAndLine) {
  expect_error("csv:" + write("ragged.csv", "1,2,0\n3,4,1\n5,0\n"), "ragged.csv", "line 3");
  expect_error("csv:" + write("nan.csv", "1,2,0\n3,abc,1\n"), "nan.csv", "line 2 column 2: 'abc'");
  expect_error("csv:" + write("label.csv", "1,2,0\n3,4,-1\n"), "label.csv",
               "label -1 out of range");
  expect_error("csv:" + write("frac.csv", "1,2,0\n3,4,1.5\n"), "frac.csv", "not an integer");
  expect_error("csv:" + write("empty.csv", ""), "empty.csv", "no data rows");
  expect_error("csv:" + write("one.csv", "1,0\n2,0\n"), "one.csv", "at least two classes");
  expect_error("csv:" + (dir_ / "missing.csv").string(), "missing.csv", "no such file");
}

TEST_F(FileLoaders, IdxLoadsImagesAndInfersLabelsFile) {
  const int n = 30;
  std::string images = idx({0, 0, 8, 3, 0, 0, 0, n, 0, 0, 0, 4, 0, 0, 0, 5}, 0);
  for (int i = 0; i < n * 20; ++i) images.push_back(static_cast<char>(i % 256));
  std::string labels = idx({0, 0, 8, 1, 0, 0, 0, n}, 0);
  for (int i = 0; i < n; ++i) labels.push_back(static_cast<char>(i % 4));
  const std::string img = write("train-images-idx3-ubyte", images);
  write("train-labels-idx1-ubyte", labels);
  const Dataset d = load_dataset("idx:" + img);
  EXPECT_EQ(d.input_shape, (std::vector<int64_t>{1, 4, 5}));
  EXPECT_EQ(d.num_classes, 4);
  EXPECT_LE(d.train.inputs.max().item<float>(), 1.0f);
}

TEST_F(FileLoaders, IdxBadInputsNameFileAndOffset) {
  const std::string labels = write("l.idx", idx({0, 0, 8, 1, 0, 0, 0, 2}, 2));
  expect_error(
      "idx:" + write("magic.idx", idx({1, 2, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, 1)) + "," +
          labels,
      "magic.idx", "byte 0: wrong magic");
  expect_error(
      "idx:" + write("trunc.idx", idx({0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 4}, 20)) + "," +
          labels,
      "trunc.idx", "truncated");
  expect_error("idx:" + write("short.idx", idx({0, 0, 8, 3, 0, 0}, 0)) + "," + labels, "short.idx",
               "truncated header");
  expect_error("idx:" + write("empty.idx", "") + "," + labels, "empty.idx", "too short");
  expect_error("idx:" + write("type.idx", idx({0, 0, 0x0D, 1, 0, 0, 0, 1}, 4)) + "," + labels,
               "type.idx", "byte 2");
}

TEST_F(FileLoaders, TextLoadsWindowsAndRejectsBinary) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "the quick brown fox jumps over the lazy dog. ";
  DataOptions o;
  o.seq_len = 32;
  const Dataset d = load_dataset("text:" + write("t.txt", text), o);
  EXPECT_EQ(d.task, Task::LanguageModel);
  EXPECT_EQ(d.train.inputs.size(1), 32);
  EXPECT_TRUE(torch::equal(d.train.inputs.narrow(1, 1, 31), d.train.targets.narrow(1, 0, 31)));

  std::string garbage = text.substr(0, 100);
  garbage += std::string("\x00\x01\xff\xfe", 4);
  expect_error("text:" + write("bin.txt", garbage), "bin.txt", "byte 100");
  expect_error("text:" + write("empty.txt", ""), "empty.txt", "empty");
  expect_error("text:" + write("short.txt", "hello"), "short.txt", "need at least");
}

}  // namespace
}  // namespace qz::data
