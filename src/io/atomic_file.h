// Output that is never half-written: bytes go to a temporary file in the destination's folder,
// which is flushed, fsync'ed and renamed over the destination on commit(). Until then the
// previous file (or none) stays in place. Temporary files of an interrupted process are removed
// by remove_pending_temporaries(), which the CLI's SIGINT handler calls.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace qz::io {

class AtomicFile {
 public:
  // Creates the temporary file beside `path`; throws InputError when the folder is not writable.
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the temporary file unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Appends bytes; throws InputError on a write failure (disk full, ...).
  void write(const void* data, size_t size);
  void write(std::string_view text) { write(text.data(), text.size()); }
  // Flushes, fsyncs and renames onto the destination.
  void commit();

 private:
  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
};

// Fails fast, before long work, when `path` could not be written later: its folder is missing
// or not writable, or the path names a folder.
void check_output_path(const std::string& path);

// Writes a whole text file atomically.
void write_file_atomically(const std::string& path, std::string_view content);

// Unlinks the temporary files of every AtomicFile still open (async-signal-safe).
void remove_pending_temporaries();

}  // namespace qz::io
