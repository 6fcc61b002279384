#include "sim/collectives/collective.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "common/cross_rail_routes.hpp"
#include "common/host_properties.hpp"
#include "sim/collectives/binary_tree.hpp"
#include "sim/collectives/collective_plan.hpp"
#include "sim/collectives/point_to_point.hpp"

namespace sg4 = simgrid::s4u;

namespace clustersim {

namespace {

enum MailboxKind { kRingBox, kUpBox, kDownBox, kAllToAllBox, kShiftBox, kMailboxKinds };

}  // namespace

const char* collective_op_name(CollectiveOp op) {
  switch (op) {
    case CollectiveOp::kAllReduce: return "all-reduce";
    case CollectiveOp::kReduceScatter: return "reduce-scatter";
    case CollectiveOp::kAllGather: return "all-gather";
    case CollectiveOp::kAllToAll: return "all-to-all";
  }
  return "?";
}

const char* collective_algo_name(CollectiveAlgo a) {
  switch (a) {
    case CollectiveAlgo::kAuto: return "auto";
    case CollectiveAlgo::kRing: return "ring";
    case CollectiveAlgo::kTree: return "tree";
    case CollectiveAlgo::kHierarchical: return "hierarchical";
    case CollectiveAlgo::kDirect: return "direct";
  }
  return "?";
}

CollectiveGroup::CollectiveGroup(CollectiveGroupParams params) : params_(std::move(params)) {
  if (params_.servers.empty()) throw std::invalid_argument("collective group '" + params_.name + "' has no server");
  if (params_.ranks_per_server < 1 || params_.communicator_gpus_per_server < 1 ||
      params_.ranks_per_server % params_.communicator_gpus_per_server != 0)
    throw std::invalid_argument("collective group '" + params_.name +
                                "': communicator_gpus_per_server must divide ranks_per_server");
  if (params_.server_bandwidth_Bps <= 0 && size() > 1) {
    const char* recorded = params_.servers[0]->get_property(kServerInjectionProperty);
    if (recorded != nullptr) {
      params_.server_bandwidth_Bps = std::stod(recorded);
    } else {  // a platform built elsewhere (tests): the first link of the route to the second server
      std::vector<sg4::Link*> links;
      double latency_s = 0;
      params_.servers[0]->route_to(params_.servers[1], links, &latency_s);
      if (!links.empty()) params_.server_bandwidth_Bps = links.front()->get_bandwidth();
    }
  }
  if (params_.server_bandwidth_Bps <= 0) params_.server_bandwidth_Bps = 1;  // one server: nothing on the wire
  mailboxes_.assign(static_cast<size_t>(kMailboxKinds) * size(), nullptr);
  const char* flag = size() > 1 && params_.servers[0] != nullptr  // groups without a platform (tests): none
                         ? params_.servers[0]->get_property(kPhaseSynchronousProperty)
                         : nullptr;
  if (flag != nullptr && std::strcmp(flag, "1") == 0) {
    phase_rates_ = std::make_shared<PhaseRateTable>();
    phase_rates_->groups.push_back(params_.servers);
    phase_rates_->rate_Bps.assign(kMailboxKinds, 0.0);
  }
}

sg4::Mailbox* CollectiveGroup::mailbox(int kind, int server) {
  sg4::Mailbox*& box = mailboxes_[static_cast<size_t>(kind) * size() + server];
  if (box == nullptr)
    box = sg4::Mailbox::by_name(params_.name + "#" + std::to_string(kind) + "#" + std::to_string(server));
  return box;
}

void CollectiveGroup::keep_unwaited(int index, std::vector<sg4::CommPtr> sends) {
  // The previous call's sends ended before the caller's barrier; dropping them now frees them quietly.
  if (unwaited_.empty()) unwaited_.resize(size());
  unwaited_[index] = std::move(sends);
}

CollectiveAlgo CollectiveGroup::choose_for(CollectiveOp op, double bytes_per_rank, double server_bandwidth_Bps) const {
  if (op == CollectiveOp::kAllToAll) return CollectiveAlgo::kDirect;
  std::vector<CollectiveAlgo> candidates = {CollectiveAlgo::kRing};
  if (op == CollectiveOp::kAllReduce) candidates.push_back(CollectiveAlgo::kTree);
  if (params_.communicator_gpus_per_server > 1) candidates.push_back(CollectiveAlgo::kHierarchical);
  CollectiveAlgo best = CollectiveAlgo::kRing;
  double best_s = std::numeric_limits<double>::infinity();
  for (CollectiveAlgo a : candidates) {
    const double t = plan_collective(params_, size(), op, a, bytes_per_rank).ideal_time_s(server_bandwidth_Bps);
    if (t < best_s) {
      best_s = t;
      best = a;
    }
  }
  return best;
}

CollectiveAlgo CollectiveGroup::choose(CollectiveOp op, double bytes_per_rank) const {
  return choose_for(op, bytes_per_rank, params_.server_bandwidth_Bps);
}

double CollectiveGroup::tree_ring_crossover_bytes() const {
  // Both ideal times are affine in the size: t = a + b B. Tree wins while a_ring - a_tree > (b_tree - b_ring) B.
  constexpr double kProbe = 1e9;
  auto line = [&](CollectiveAlgo a) {
    const double t0 = ideal_time_s(CollectiveOp::kAllReduce, 0, params_.server_bandwidth_Bps, a);
    return std::make_pair(
        t0, (ideal_time_s(CollectiveOp::kAllReduce, kProbe, params_.server_bandwidth_Bps, a) - t0) / kProbe);
  };
  const auto [a_ring, b_ring] = line(CollectiveAlgo::kRing);
  const auto [a_tree, b_tree] = line(CollectiveAlgo::kTree);
  if (a_ring <= a_tree || b_tree <= b_ring) return 0;
  return (a_ring - a_tree) / (b_tree - b_ring);
}

double CollectiveGroup::ideal_time_s(CollectiveOp op, double bytes_per_rank, double server_bandwidth_Bps,
                                     CollectiveAlgo algo) const {
  if (algo == CollectiveAlgo::kAuto) algo = choose_for(op, bytes_per_rank, server_bandwidth_Bps);
  return plan_collective(params_, size(), op, algo, bytes_per_rank).ideal_time_s(server_bandwidth_Bps);
}

CollectiveTiming CollectiveGroup::run(int index, CollectiveOp op, double bytes_per_rank, CollectiveAlgo algo) {
  const double t0 = sg4::Engine::get_clock();
  if (algo == CollectiveAlgo::kAuto) algo = choose(op, bytes_per_rank);
  const CollectivePlan plan = plan_collective(params_, size(), op, algo, bytes_per_rank);
  CollectiveTiming timing;
  timing.algorithm = plan.algorithm;
  if (plan.intra_before_s > 0) sg4::this_actor::sleep_for(plan.intra_before_s);
  if (plan.wire_bytes > 0) {
    switch (plan.algorithm) {
      case CollectiveAlgo::kTree: timing.network_s = tree_phases(index, plan.wire_bytes / 4); break;
      case CollectiveAlgo::kDirect: timing.network_s = direct_phase(index, plan.wire_bytes); break;
      default: timing.network_s = ring_phase(index, plan.wire_bytes); break;
    }
  }
  const double after_s = plan.intra_after_s + plan.latency_s;
  if (params_.caller_synchronizes)
    timing.deferred_s = after_s;
  else if (after_s > 0)
    sg4::this_actor::sleep_for(after_s);
  timing.analytic_s = plan.analytic_s();
  timing.total_s = sg4::Engine::get_clock() - t0;
  return timing;
}

double CollectiveGroup::ring_phase(int index, double bytes) {
  const double t0 = sg4::Engine::get_clock();
  sg4::CommPtr send = start_flow(mailbox(kRingBox, (index + 1) % size()), bytes, phase_rate_Bps(kRingBox));
  mailbox(kRingBox, index)->get<int>();
  if (params_.caller_synchronizes)
    keep_unwaited(index, {send});
  else
    send->wait();
  return sg4::Engine::get_clock() - t0;
}

double CollectiveGroup::tree_phases(int index, double flow_bytes) {
  const double t0 = sg4::Engine::get_clock();
  const auto trees = double_binary_tree_node(size(), index);
  const bool mirror = params_.mirror_tree_broadcast;
  int* sink[4];
  std::vector<sg4::CommPtr> comms;
  // Up (reduce): to the parent in each tree, from every child. Mirrored: both phases' bytes, and done.
  std::vector<sg4::CommPtr> up_sends;
  for (const TreeNode& t : trees)
    if (t.parent >= 0)
      up_sends.push_back(
          start_flow(mailbox(kUpBox, t.parent), mirror ? 2 * flow_bytes : flow_bytes, phase_rate_Bps(kUpBox)));
  int received = 0;
  for (const TreeNode& t : trees)
    for (int child : t.children)
      if (child >= 0) comms.push_back(mailbox(kUpBox, index)->get_async<int>(&sink[received++]));
  if (mirror && params_.caller_synchronizes)
    keep_unwaited(index, up_sends);  // the last phase: the parents wait for them, the caller's barrier follows
  else
    comms.insert(comms.begin(), up_sends.begin(), up_sends.end());
  sg4::Comm::wait_all(comms);
  if (mirror) return sg4::Engine::get_clock() - t0;
  comms.clear();
  // Down (broadcast): to every child, from the parent in each tree. The sends stay referenced until the
  // return even when not waited for (caller_synchronizes): the receivers wait for them.
  received = 0;
  std::vector<sg4::CommPtr> sends;
  for (const TreeNode& t : trees)
    for (int child : t.children)
      if (child >= 0) sends.push_back(start_flow(mailbox(kDownBox, child), flow_bytes, phase_rate_Bps(kDownBox)));
  for (const TreeNode& t : trees)
    if (t.parent >= 0) comms.push_back(mailbox(kDownBox, index)->get_async<int>(&sink[received++]));
  if (params_.caller_synchronizes)
    keep_unwaited(index, sends);
  else
    comms.insert(comms.begin(), sends.begin(), sends.end());
  sg4::Comm::wait_all(comms);
  return sg4::Engine::get_clock() - t0;
}

double CollectiveGroup::direct_phase(int index, double wire_bytes) {
  const int n = size();
  const std::vector<int> offsets = all_to_all_offsets(n);
  std::vector<sg4::Mailbox*> send_to;
  send_to.reserve(offsets.size());
  for (int offset : offsets) send_to.push_back(mailbox(kAllToAllBox, (index + offset) % n));
  return exchange_flows(send_to, mailbox(kAllToAllBox, index), static_cast<int>(offsets.size()),
                        wire_bytes / static_cast<double>(offsets.size()), phase_rate_Bps(kAllToAllBox));
}

double CollectiveGroup::shift(int index, double bytes) {
  const double t0 = sg4::Engine::get_clock();
  if (size() < 2) return 0;
  if (params_.caller_synchronizes) {
    if (index + 1 < size())
      keep_unwaited(index, {start_flow(mailbox(kShiftBox, index + 1), bytes, phase_rate_Bps(kShiftBox))});
    if (index > 0) mailbox(kShiftBox, index)->get<int>();
    return sg4::Engine::get_clock() - t0;
  }
  std::vector<sg4::Mailbox*> send_to;
  if (index + 1 < size()) send_to.push_back(mailbox(kShiftBox, index + 1));
  exchange_flows(send_to, mailbox(kShiftBox, index), index > 0 ? 1 : 0, bytes, phase_rate_Bps(kShiftBox));
  sg4::this_actor::sleep_for(params_.alpha_s);
  return sg4::Engine::get_clock() - t0;
}

namespace {

/// The (from, to) indices of every flow of one phase of mailbox kind `kind` in a group of `n` servers.
std::vector<std::pair<int, int>> phase_pairs(int kind, int n) {
  std::vector<std::pair<int, int>> pairs;
  for (int i = 0; i < n; ++i) {
    switch (kind) {
      case kRingBox: pairs.emplace_back(i, (i + 1) % n); break;
      case kShiftBox:
        if (i + 1 < n) pairs.emplace_back(i, i + 1);
        break;
      case kAllToAllBox:
        for (int offset : all_to_all_offsets(n)) pairs.emplace_back(i, (i + offset) % n);
        break;
      default:  // the tree's phases: up to the parents, down to the children
        for (const TreeNode& t : double_binary_tree_node(n, i)) {
          if (kind == kUpBox && t.parent >= 0) pairs.emplace_back(i, t.parent);
          if (kind == kDownBox)
            for (int child : t.children)
              if (child >= 0) pairs.emplace_back(i, child);
        }
    }
  }
  return pairs;
}

/// Every flow's fair share of its busiest link, the phase's flows (of every group) alone on the fabric; the phase
/// moves at the least (-1 when nothing crosses a link). All-to-all on a rail-optimized fabric without PXN: the
/// shares on the cross-rail routes (common/cross_rail_routes.hpp), where the data really goes.
double joint_phase_rate_Bps(const std::vector<std::vector<sg4::Host*>>& groups, int kind) {
  std::unordered_map<const sg4::Link*, double> load;
  std::vector<sg4::Link*> links;
  double latency_s = 0;
  const bool first = !groups.empty() && !groups[0].empty() && groups[0][0] != nullptr;
  CrossRailRoutes* cross =
      kind == kAllToAllBox && first && groups[0][0]->get_property(kCrossRailAllToAllProperty) != nullptr
          ? cross_rail_routes()
          : nullptr;
  auto for_each_route = [&](const std::function<void(const sg4::Link*, double)>& visit) {
    for (const auto& servers : groups)
      for (const auto& [a, b] : phase_pairs(kind, static_cast<int>(servers.size()))) {
        links.clear();
        double weight = 1;
        if (cross != nullptr)
          weight = cross->cross_rail_route(servers[a], servers[b], links);
        else
          servers[a]->route_to(servers[b], links, &latency_s);
        for (const sg4::Link* l : links) visit(l, weight);
      }
  };
  for_each_route([&](const sg4::Link* l, double weight) { load[l] += weight; });
  double rate = std::numeric_limits<double>::infinity();
  for_each_route([&](const sg4::Link* l, double) { rate = std::min(rate, l->get_bandwidth() / load[l]); });
  return std::isfinite(rate) ? rate : -1;
}

}  // namespace

void CollectiveGroup::share_phase_rates(std::vector<CollectiveGroup>& groups) {
  auto table = std::make_shared<PhaseRateTable>();
  for (CollectiveGroup& g : groups)
    if (g.phase_rates_ != nullptr) table->groups.push_back(g.params_.servers);
  if (table->groups.empty()) return;
  table->rate_Bps.assign(kMailboxKinds, 0.0);
  for (CollectiveGroup& g : groups)
    if (g.phase_rates_ != nullptr) g.phase_rates_ = table;
}

double CollectiveGroup::phase_rate_Bps(int kind) {
  if (phase_rates_ == nullptr) return -1;
  double& rate = phase_rates_->rate_Bps[kind];
  if (rate == 0) rate = joint_phase_rate_Bps(phase_rates_->groups, kind);
  return rate;
}

double CollectiveGroup::send_recv(int index, int from, int to, double bytes) {
  const double t0 = sg4::Engine::get_clock();
  if (from == to) {
    if (index == from)
      sg4::this_actor::sleep_for(alpha_beta_time_s(bytes, params_.scaleup_bandwidth_Bps, params_.scaleup_alpha_s));
    return sg4::Engine::get_clock() - t0;
  }
  if (index != from && index != to) return 0;
  sg4::Mailbox* box = sg4::Mailbox::by_name(params_.name + "#p2p#" + std::to_string(from) + ">" + std::to_string(to));
  if (index == from)
    send_flow(box, bytes);
  else
    receive_flow(box);
  sg4::this_actor::sleep_for(params_.alpha_s);
  return sg4::Engine::get_clock() - t0;
}

}  // namespace clustersim
