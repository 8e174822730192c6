#include "io/read_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace qz::io {

std::string read_file(const std::string& path, uint64_t max_bytes) {
  std::error_code ec;
  QZ_CHECK(std::filesystem::is_regular_file(path, ec), "{}: no such file", path);
  const uint64_t size = std::filesystem::file_size(path, ec);
  QZ_CHECK(!ec, "{}: cannot read size: {}", path, ec.message());
  QZ_CHECK(size <= max_bytes, "{}: file is {} bytes, more than the limit {}", path, size,
           max_bytes);
  std::ifstream in(path, std::ios::binary);
  QZ_CHECK(in.good(), "{}: cannot open: {}", path, std::strerror(errno));
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  QZ_CHECK(in.gcount() == static_cast<std::streamsize>(size), "{}: short read", path);
  return data;
}

}  // namespace qz::io
