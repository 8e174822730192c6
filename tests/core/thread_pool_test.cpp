#include "core/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace qz {
namespace {

TEST(ThreadPool, RunsEveryTaskExactlyOnce) {
  for (int threads : {1, 2, 4}) {
    ThreadPool pool(threads);
    for (int64_t tasks : {1, 3, 100}) {
      std::vector<std::atomic<int>> hits(tasks);
      for (int repeat = 0; repeat < 50; ++repeat) pool.run(tasks, [&](int64_t t) { hits[t]++; });
      for (auto& h : hits) EXPECT_EQ(h.load(), 50);
    }
  }
}

TEST(ThreadPool, RethrowsTheFirstExceptionAndStaysUsable) {
  ThreadPool pool(3);
  EXPECT_THROW(pool.run(8,
                        [](int64_t t) {
                          if (t == 5) throw std::runtime_error("task 5");
                        }),
               std::runtime_error);
  std::atomic<int> count{0};
  pool.run(8, [&](int64_t) { count++; });
  EXPECT_EQ(count.load(), 8);
}

TEST(ThreadPool, NestedRunsExecuteInline) {
  ThreadPool pool(2);
  std::atomic<int> inner{0};
  pool.run(4, [&](int64_t) { pool.run(3, [&](int64_t) { inner++; }); });
  EXPECT_EQ(inner.load(), 12);
}

TEST(ParallelFor, CoversTheRangeInGrainMultiples) {
  set_compute_threads(3);
  std::vector<std::atomic<int>> hits(1000);
  std::atomic<int> bad_begin{0};
  parallel_for(1000, 48, [&](int64_t b, int64_t e) {
    if (b % 48 != 0) bad_begin++;
    for (int64_t i = b; i < e; ++i) hits[i]++;
  });
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
  EXPECT_EQ(bad_begin.load(), 0);
  set_compute_threads(static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace
}  // namespace qz
