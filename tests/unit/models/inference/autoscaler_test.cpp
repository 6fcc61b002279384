// The autoscaler's plan (models/inference/autoscaler): sized from the last interval's rate at the target rate,
// in whole servers, clamped; scale-up serves after the start-up, scale-down at once; by hand.
#include "models/inference/autoscaler.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace clustersim {
namespace {

TEST(Autoscaler, PlanFollowsTheLastIntervalsRateInWholeServers) {
  AutoscalerParams p;
  p.min_replicas = 2;
  p.max_replicas = 10;
  p.replicas_per_server = 2;
  p.target_rate_per_replica = 1;  // one request per second per replica
  p.interval_s = 10;
  p.startup_s = 3;
  p.end_s = 40;
  // Rates per interval: 3/s, 7/s, 0.5/s, 30/s (each arrival stands for 1 request).
  std::vector<double> arrivals;
  const double rates[] = {3, 7, 0.5, 30};
  for (int i = 0; i < 4; ++i)
    for (int k = 0; k < rates[i] * 10; ++k) arrivals.push_back(10 * i + (k + 0.5) / rates[i]);
  const ReplicaPlan plan = plan_replicas(p, arrivals, 1.0);
  // t=0: the first interval's 3/s -> 3 replicas -> 2 servers = 4. t=10: 3/s seen -> 4 (no change).
  // t=20: 7/s -> 8, serving from 23. t=30: 0.5/s -> 1 -> min 2, at once.
  EXPECT_EQ(plan.time_s, (std::vector<double>{0, 20, 23, 30}));
  EXPECT_EQ(plan.allocated, (std::vector<int>{4, 8, 8, 2}));
  EXPECT_EQ(plan.active, (std::vector<int>{4, 4, 8, 2}));
  EXPECT_EQ(plan.active_at(22.9), 4);
  EXPECT_EQ(plan.active_at(23), 8);
  EXPECT_DOUBLE_EQ(plan.mean_allocated(0, 40), (4 * 20 + 8 * 10 + 2 * 10) / 40.0);
  // A sample of the arrivals counts up: half of them, each standing for 2, gives the same plan.
  std::vector<double> half;
  for (size_t i = 0; i < arrivals.size(); i += 2) half.push_back(arrivals[i]);
  EXPECT_EQ(plan_replicas(p, half, 2.0).allocated, plan.allocated);
  p.max_replicas = 6;  // the 8 is clamped
  EXPECT_EQ(plan_replicas(p, arrivals, 1.0).allocated, (std::vector<int>{4, 6, 6, 2}));
  p.startup_s = 10;  // not shorter than the interval
  EXPECT_THROW(plan_replicas(p, arrivals, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace clustersim
