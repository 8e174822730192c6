#include "core/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>

namespace qz {
namespace {
std::atomic<bool> g_quiet{false};
constexpr double kTtyRedrawSeconds = 0.1;
constexpr double kPlainLineSeconds = 10.0;
}  // namespace

void set_progress_quiet(bool quiet) {
  g_quiet = quiet;
}
bool progress_quiet() {
  return g_quiet;
}

std::string format_duration(double seconds) {
  if (seconds < 60) return fmt::format("{:.1f}s", seconds);
  const int s = static_cast<int>(std::lround(seconds));
  if (s < 3600) return fmt::format("{}m{:02d}s", s / 60, s % 60);
  return fmt::format("{}h{:02d}m", s / 3600, (s % 3600) / 60);
}

Progress::Progress(std::string label, int64_t total)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() {
  if (!finished_ && tty_ && !progress_quiet() && done_ > 0) std::fputs("\n", stderr);
}

void Progress::update(int64_t done, const std::string& info) {
  done_ = done;
  info_ = info;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_draw_).count();
  if (since < (tty_ ? kTtyRedrawSeconds : kPlainLineSeconds)) return;
  last_draw_ = now;
  draw(false);
}

void Progress::finish(const std::string& info) {
  if (finished_) return;
  finished_ = true;
  done_ = total_;
  if (!info.empty()) info_ = info;
  draw(true);
}

void Progress::draw(bool final_line) {
  if (progress_quiet()) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double frac = static_cast<double>(done_) / static_cast<double>(total_);
  const double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
  std::string timing = final_line ? fmt::format("in {}", format_duration(elapsed))
                                  : fmt::format("ETA {}", format_duration(eta));
  if (tty_) {
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(frac * kWidth);
    std::string bar(filled, '#');
    bar.resize(kWidth, '.');
    fmt::print(stderr, "\r\033[K{} [{}] {:3.0f}% {}/{} {} {}", label_, bar, frac * 100, done_,
               total_, timing, info_);
    if (final_line) fmt::print(stderr, "\n");
  } else {
    fmt::print(stderr, "{}: {:3.0f}% ({}/{}) {} {}\n", label_, frac * 100, done_, total_, timing,
               info_);
  }
  std::fflush(stderr);
}

}  // namespace qz
