#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/error.h"

namespace qz::io {
namespace {

// A fixed table of pending temporary paths that a signal handler can walk without locking.
// A slot is claimed (1) while its path is copied in and only then marked ready (2).
constexpr size_t kMaxPending = 64;
constexpr size_t kMaxPathBytes = 4096;
constexpr int kFree = 0, kClaimed = 1, kReady = 2;
struct PendingSlot {
  std::atomic<int> state{kFree};
  char path[kMaxPathBytes];
};
std::array<PendingSlot, kMaxPending> g_pending;

void register_pending(const std::string& path) {
  if (path.size() >= kMaxPathBytes) return;
  for (auto& slot : g_pending) {
    int expected = kFree;
    if (slot.state.compare_exchange_strong(expected, kClaimed)) {
      std::memcpy(slot.path, path.c_str(), path.size() + 1);
      slot.state.store(kReady);
      return;
    }
  }
}

void unregister_pending(const std::string& path) {
  for (auto& slot : g_pending)
    if (slot.state.load() == kReady && path == slot.path) slot.state.store(kFree);
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  namespace fs = std::filesystem;
  fs::path dest(path_);
  fs::path dir = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
  QZ_CHECK(fs::is_directory(dir), "[write] {}: folder '{}' does not exist", path_, dir.string());
  // Appended piecewise: GCC 12 misreports `"." + name + suffix` under -Wrestrict (bug 105329).
  std::string name = ".";
  name.append(dest.filename().string()).append(".tmp.XXXXXX");
  std::string templ = (dir / name).string();
  fd_ = mkstemp(templ.data());
  QZ_CHECK(fd_ >= 0, "[write] {}: cannot create a temporary file in '{}': {}", path_, dir.string(),
           std::strerror(errno));
  temp_path_ = templ;
  fchmod(fd_, 0644);
  register_pending(temp_path_);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) close(fd_);
  if (!committed_) {
    unlink(temp_path_.c_str());
  }
  unregister_pending(temp_path_);
}

void AtomicFile::write(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, p, size);
    if (n < 0 && errno == EINTR) continue;
    QZ_CHECK(n > 0, "[write] {}: write failed: {}", path_, std::strerror(errno));
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void AtomicFile::commit() {
  QZ_ASSERT(!committed_, "AtomicFile committed twice");
  QZ_CHECK(fsync(fd_) == 0, "[write] {}: fsync failed: {}", path_, std::strerror(errno));
  close(fd_);
  fd_ = -1;
  QZ_CHECK(std::rename(temp_path_.c_str(), path_.c_str()) == 0, "[write] {}: rename failed: {}",
           path_, std::strerror(errno));
  committed_ = true;
  // Make the rename itself durable.
  const auto dir = std::filesystem::path(path_).parent_path();
  const int dfd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
}

void check_output_path(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path dest(path);
  const fs::path dir = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
  QZ_CHECK(!path.empty(), "[write] empty output path");
  QZ_CHECK(fs::is_directory(dir), "[write] {}: folder '{}' does not exist", path, dir.string());
  QZ_CHECK(access(dir.c_str(), W_OK) == 0, "[write] {}: folder '{}' is not writable", path,
           dir.string());
  QZ_CHECK(!fs::is_directory(dest), "[write] {}: is a folder, expected a file name", path);
}

void write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFile file(path);
  file.write(content);
  file.commit();
}

void remove_pending_temporaries() {
  for (auto& slot : g_pending)
    if (slot.state.load() == kReady) unlink(slot.path);
}

}  // namespace qz::io
