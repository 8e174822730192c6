#include "core/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <memory>

namespace qz {
namespace {

// How long an idle worker polls for the next job before it sleeps.
constexpr auto kSpin = std::chrono::microseconds(200);

std::unique_ptr<ThreadPool>& pool_slot() {
  static std::unique_ptr<ThreadPool> pool;
  return pool;
}

std::mutex& pool_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  stop_.store(true);
  generation_.fetch_add(1);
  generation_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::work_on_current_job() {
  for (;;) {
    const int64_t task = next_task_.fetch_add(1);
    if (task >= tasks_) return;
    try {
      (*fn_)(task);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }
}

void ThreadPool::worker_loop() {
  uint64_t seen = 0;
  for (;;) {
    uint64_t now = generation_.load(std::memory_order_acquire);
    const auto spin_until = std::chrono::steady_clock::now() + kSpin;
    while (now == seen && std::chrono::steady_clock::now() < spin_until) {
      std::this_thread::yield();
      now = generation_.load(std::memory_order_acquire);
    }
    if (now == seen) {
      generation_.wait(seen, std::memory_order_acquire);
      continue;
    }
    seen = now;
    if (stop_.load()) return;
    // Join the job only while it is open: the caller never waits for a worker that was not
    // scheduled in time (on a loaded machine it may wake long after the caller did all tasks).
    active_workers_.fetch_add(1);
    if (job_open_.load()) work_on_current_job();
    active_workers_.fetch_sub(1);
  }
}

void ThreadPool::run(int64_t tasks, const std::function<void(int64_t)>& fn) {
  if (tasks <= 0) return;
  std::unique_lock<std::mutex> lock(job_mutex_, std::try_to_lock);
  if (workers_.empty() || tasks == 1 || !lock.owns_lock()) {
    for (int64_t t = 0; t < tasks; ++t) fn(t);
    return;
  }
  fn_ = &fn;
  tasks_ = tasks;
  error_ = nullptr;
  next_task_.store(0);
  job_open_.store(true);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  work_on_current_job();
  // Every task is claimed: close the job, then wait only for the workers inside it, before
  // fn_ may go out of scope. A worker arriving later sees the job closed and leaves.
  job_open_.store(false);
  while (active_workers_.load() != 0) std::this_thread::yield();
  if (error_) std::rethrow_exception(error_);
}

ThreadPool& compute_pool() {
  std::lock_guard<std::mutex> lock(pool_mutex());
  auto& pool = pool_slot();
  if (!pool)
    pool = std::make_unique<ThreadPool>(
        static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  return *pool;
}

void set_compute_threads(int n) {
  std::lock_guard<std::mutex> lock(pool_mutex());
  auto& pool = pool_slot();
  if (pool && pool->threads() == std::max(n, 1)) return;
  pool.reset();
  pool = std::make_unique<ThreadPool>(std::max(n, 1));
}

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  grain = std::max<int64_t>(grain, 1);
  ThreadPool& pool = compute_pool();
  const int64_t units = (n + grain - 1) / grain;
  const int64_t chunks = std::min<int64_t>(units, pool.threads());
  const int64_t per_chunk = (units + chunks - 1) / chunks * grain;
  pool.run(chunks, [&](int64_t c) {
    const int64_t begin = c * per_chunk;
    const int64_t end = std::min(n, begin + per_chunk);
    if (begin < end) fn(begin, end);
  });
}

}  // namespace qz
