#include "io/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace qz::io {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t entries(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(AtomicFile, CommitReplacesAndLeavesNoTemporary) {
  const fs::path dir = fs::temp_directory_path() / "qz_atomic_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path target = dir / "out.txt";
  write_file_atomically(target.string(), "first");
  write_file_atomically(target.string(), "second");
  EXPECT_EQ(slurp(target), "second");
  EXPECT_EQ(entries(dir), 1u);
  fs::remove_all(dir);
}

TEST(AtomicFile, AbandonedWriteKeepsThePreviousFile) {
  const fs::path dir = fs::temp_directory_path() / "qz_atomic_test2";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path target = dir / "model.bin";
  write_file_atomically(target.string(), "old");
  {
    AtomicFile f(target.string());
    f.write("half-writ");
    // No commit: as if the work failed part-way.
  }
  EXPECT_EQ(slurp(target), "old");
  EXPECT_EQ(entries(dir), 1u);
  {
    AtomicFile f(target.string());
    f.write("pending");
    remove_pending_temporaries();  // what the SIGINT handler does
    EXPECT_EQ(entries(dir), 1u);
  }
  fs::remove_all(dir);
}

TEST(AtomicFile, MissingFolderIsAnInputError) {
  EXPECT_THROW(AtomicFile("/nonexistent-qz-dir/x.bin"), InputError);
}

}  // namespace
}  // namespace qz::io
