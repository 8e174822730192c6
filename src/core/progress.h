// Progress display for long work: a redrawn bar with rate and ETA on a terminal, plain
// throttled lines otherwise (logs, CI), nothing under --quiet. Always on stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace qz {

// Global switch set by --quiet.
void set_progress_quiet(bool quiet);
bool progress_quiet();

class Progress {
 public:
  // `label` names the work, `total` counts its units (steps, batches, samples).
  Progress(std::string label, int64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Reports `done` units finished; `info` is a short status such as "loss 0.31 acc 92.1%".
  void update(int64_t done, const std::string& info = "");
  // Ends the display with a final line.
  void finish(const std::string& info = "");

 private:
  void draw(bool final_line);

  std::string label_;
  int64_t total_;
  int64_t done_ = 0;
  std::string info_;
  bool tty_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// Formats seconds as "1m05s" / "12.3s".
std::string format_duration(double seconds);

}  // namespace qz
