#include "io/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace qz::io {

struct MappedFile::Mapping {
  void* addr = nullptr;
  size_t length = 0;
  std::vector<std::byte> owned;
  ~Mapping() {
    if (addr != nullptr) munmap(addr, length);
  }
};

MappedFile MappedFile::open(const std::string& path, const std::string& tag) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  QZ_CHECK(fd >= 0, "{} {}: cannot open: {}", tag, path, std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw InputError(fmt::format("{} {}: not a regular file", tag, path));
  }
  MappedFile file;
  file.size_ = static_cast<uint64_t>(st.st_size);
  file.mapping_ = std::make_shared<Mapping>();
  if (file.size_ > 0) {
    void* addr = mmap(nullptr, file.size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (addr == MAP_FAILED) {
      ::close(fd);
      throw InputError(fmt::format("{} {}: mmap failed: {}", tag, path, std::strerror(errno)));
    }
    file.mapping_->addr = addr;
    file.mapping_->length = file.size_;
    file.data_ = static_cast<const std::byte*>(addr);
  }
  ::close(fd);
  return file;
}

MappedFile MappedFile::from_bytes(std::vector<std::byte> bytes) {
  MappedFile file;
  file.mapping_ = std::make_shared<Mapping>();
  file.mapping_->owned = std::move(bytes);
  file.size_ = file.mapping_->owned.size();
  file.data_ = file.mapping_->owned.data();
  return file;
}

}  // namespace qz::io
