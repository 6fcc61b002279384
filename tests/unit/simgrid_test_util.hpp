#pragma once
// Helpers for unit tests that build a SimGrid engine (one engine per TEST, so one process per TEST):
// the engine configured as the simulator runs it (CM02, no cross-traffic, no TCP window), and timed flows.
// With these settings a lone flow takes sum(link latencies) + bytes / bottleneck bandwidth.

#include <simgrid/s4u.hpp>

#include "common/child_process.hpp"
#include "sim/engine/engine_config.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace clustersim::test {

using clustersim::run_in_child;  // common/child_process.hpp: one engine per process

inline std::unique_ptr<simgrid::s4u::Engine> make_engine() { return create_engine("clustersim_tests"); }

/// Starts one `bytes` flow per (src, dst) pair at time 0, runs the engine; returns each flow's end time.
inline std::vector<double> run_flows(simgrid::s4u::Engine& e,
                                     const std::vector<std::pair<simgrid::s4u::Host*, simgrid::s4u::Host*>>& flows,
                                     double bytes) {
  namespace sg4 = simgrid::s4u;
  static int payload = 0;
  auto done = std::make_shared<std::vector<double>>(flows.size(), -1.0);
  for (size_t i = 0; i < flows.size(); ++i) {
    const std::string box = "flow-" + std::to_string(i);
    sg4::Actor::create("send-" + std::to_string(i), flows[i].first,
                       [box, bytes] { sg4::Mailbox::by_name(box)->put_async(&payload, bytes)->wait(); });
    sg4::Actor::create("recv-" + std::to_string(i), flows[i].second, [box, i, done] {
      sg4::Mailbox::by_name(box)->get<int>();
      (*done)[i] = sg4::Engine::get_clock();
    });
  }
  e.run();
  return *done;
}

/// Names of the links on the route from `src` to `dst`; the route's latency goes to `latency_s` if given.
inline std::vector<std::string> route_names(simgrid::s4u::Host* src, simgrid::s4u::Host* dst,
                                            double* latency_s = nullptr) {
  std::vector<simgrid::s4u::Link*> links;
  double route_latency_s = 0;
  src->route_to(dst, links, &route_latency_s);
  if (latency_s != nullptr) *latency_s = route_latency_s;
  std::vector<std::string> names;
  for (auto* l : links) names.push_back(l->get_name());
  return names;
}

/// The fair share of the busiest link, min over links of bandwidth / (appearances over all routes of `flows`; a
/// routed platform repeats a link once per connection that crosses it): on an idle fabric the flows through that
/// link end last, at bytes / this.
inline double bottleneck_share_Bps(const std::vector<std::pair<simgrid::s4u::Host*, simgrid::s4u::Host*>>& flows) {
  std::map<const simgrid::s4u::Link*, int> load;
  std::vector<simgrid::s4u::Link*> links;
  for (const auto& [a, b] : flows) {
    links.clear();
    a->route_to(b, links, nullptr);
    for (const simgrid::s4u::Link* l : links) ++load[l];
  }
  double share = 1e300;
  for (const auto& [l, n] : load) share = std::min(share, l->get_bandwidth() / n);
  return share;
}

}  // namespace clustersim::test
