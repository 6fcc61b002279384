#pragma once
/// @file
/// Tidal sharing between the workloads of a pool: the servers an autoscaled inference service parks are lent to
/// the pool's training jobs (JobScheduler) and taken back when the service grows again (the jobs on them are
/// preempted and resume later). The service knows its plan before the run (open-loop demand), so it posts every
/// change here at launch; the scheduler applies each at its time.

#include <algorithm>
#include <vector>

namespace clustersim {

struct LendingEvent {
  double time_s = 0;
  int pool = 0;              ///< index of site_pools
  std::vector<int> servers;  ///< server ids
  bool lend = true;          ///< true: to the training jobs; false: taken back
};

class ServerLending {
 public:
  void post(LendingEvent e) { events_.push_back(std::move(e)); }
  /// Every change, in time order (posting order at equal times).
  std::vector<LendingEvent> events() const {
    std::vector<LendingEvent> out = events_;
    std::stable_sort(out.begin(), out.end(),
                     [](const LendingEvent& a, const LendingEvent& b) { return a.time_s < b.time_s; });
    return out;
  }
  bool empty() const { return events_.empty(); }

 private:
  std::vector<LendingEvent> events_;
};

}  // namespace clustersim
