#include "common/large_stack.hpp"

#include <malloc.h>
#include <pthread.h>

namespace clustersim {

namespace {

struct Job {
  const std::function<void()>* body;
  std::exception_ptr error;
};

void* run_job(void* arg) {
  auto* job = static_cast<Job*>(arg);
  try {
    (*job->body)();
  } catch (...) {
    job->error = std::current_exception();
  }
  return nullptr;
}

}  // namespace

void run_on_large_stack(const std::function<void()>& body, std::size_t stack_bytes) {
  // One arena for every thread: the simulation thread then allocates from the main arena, as the run did on the
  // main thread (a thread's own arena grows by 64 MiB heaps with mprotect calls: ~20 % slower on step-100k). The
  // calling thread only waits, so nothing contends for it.
  mallopt(M_ARENA_MAX, 1);
  Job job{&body, nullptr};
  pthread_attr_t attr;
  pthread_t thread;
  bool started = false;
  if (pthread_attr_init(&attr) == 0) {
    started = pthread_attr_setstacksize(&attr, stack_bytes) == 0 && pthread_create(&thread, &attr, run_job, &job) == 0;
    pthread_attr_destroy(&attr);
  }
  if (!started) {
    body();
    return;
  }
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace clustersim
