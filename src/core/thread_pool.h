// A small persistent thread pool for the compute kernels. Batch-1 layers take tens of
// microseconds, so a worker spins briefly on an atomic generation counter before it sleeps
// (std::atomic::wait, a futex on Linux): back-to-back layer calls never pay a wake-up.
//
// One job runs at a time. A call made while a job is running (from a worker, or from another
// thread) runs inline on the calling thread, so nesting cannot deadlock.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace qz {

class ThreadPool {
 public:
  // `threads` counts the calling thread: a pool of 1 runs everything inline.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls fn(task) once for every task in [0, tasks), spread over the pool and the caller;
  // returns when all have finished. An exception from fn is rethrown here (the first one).
  void run(int64_t tasks, const std::function<void(int64_t)>& fn);

 private:
  void worker_loop();
  void work_on_current_job();

  std::vector<std::thread> workers_;
  std::mutex job_mutex_;  // held by the thread that owns the running job
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
  const std::function<void(int64_t)>* fn_ = nullptr;
  int64_t tasks_ = 0;
  std::atomic<int64_t> next_task_{0};
  std::atomic<bool> job_open_{false};   // workers may join the current job
  std::atomic<int> active_workers_{0};  // workers inside the current job
  std::mutex error_mutex_;
  std::exception_ptr error_;
};

// The pool the kernels use; its size is set by set_compute_threads (default: all cores).
ThreadPool& compute_pool();

// Resizes the kernels' pool (n ≥ 1). Not to be called while kernels are running.
void set_compute_threads(int n);

// Splits [0, n) into at most one chunk per thread, each a multiple of `grain` (except the last),
// and calls fn(begin, end) for each chunk on the compute pool.
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace qz
