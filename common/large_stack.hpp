#pragma once
/// @file
/// Runs a function on a thread of its own with a large stack, and waits for it. SimGrid's max-min solver marks
/// the constraints a change reaches by recursion (lmm::System::update_modified_cnst_set_rec, one frame per
/// constraint along a path of the coupled links): on fabrics whose flows are routed cable by cable (ECMP) the
/// path runs through most of the fabric's links, deeper than a main thread's 8 MiB (100,000 GPUs: ~32 MiB).
/// The engine's maestro runs on the thread that calls Engine::run, so the whole run goes on this one.

#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <utility>

namespace clustersim {

/// Stack of the simulation thread: reserved address space, only the pages used are committed.
inline constexpr std::size_t kSimulationStackBytes = std::size_t{1} << 30;

/// Runs `body` on a new thread with a `stack_bytes` stack and returns when it has; an exception it throws is
/// rethrown here. Falls back to running `body` on this thread when no such thread can be created.
void run_on_large_stack(const std::function<void()>& body, std::size_t stack_bytes = kSimulationStackBytes);

/// The same for a function with a result.
template <typename R>
R call_on_large_stack(const std::function<R()>& body, std::size_t stack_bytes = kSimulationStackBytes) {
  std::optional<R> result;
  run_on_large_stack([&] { result.emplace(body()); }, stack_bytes);
  return std::move(*result);
}

}  // namespace clustersim
