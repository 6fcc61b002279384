#include "models/scheduling/server_pool.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace clustersim {

ServerPool::ServerPool(const std::vector<int>& servers, std::vector<int> group_of, std::vector<int> pod_of)
    : group_of_(std::move(group_of)), pod_of_(std::move(pod_of)) {
  if (group_of_.size() != pod_of_.size())
    throw std::invalid_argument("server pool: group_of and pod_of differ in size");
  owned_.assign(group_of_.size(), 0);
  is_free_.assign(group_of_.size(), 0);
  universe_.assign(group_of_.size(), 0);
  std::vector<int> group_size;
  for (int s : servers) {
    if (s < 0 || s >= static_cast<int>(group_of_.size()))
      throw std::invalid_argument("server pool: server " + std::to_string(s) + " has no group");
    if (owned_[s]) throw std::invalid_argument("server pool: server " + std::to_string(s) + " given twice");
    const int g = group_of_[s], p = pod_of_[s];
    if (g < 0 || p < 0) throw std::invalid_argument("server pool: negative group or pod");
    if (g >= static_cast<int>(free_in_group_.size())) {
      free_in_group_.resize(g + 1);
      group_size.resize(g + 1, 0);
    }
    if (p >= static_cast<int>(free_in_pod_.size())) {
      free_in_pod_.resize(p + 1, 0);
      groups_of_pod_.resize(p + 1);
    }
    if (free_in_group_[g].empty() && group_size[g] == 0) groups_of_pod_[p].push_back(g);
    free_in_group_[g].insert(s);
    group_size[g] += 1;
    free_in_pod_[p] += 1;
    owned_[s] = is_free_[s] = universe_[s] = 1;
  }
  total_ = free_ = static_cast<int>(servers.size());
  largest_group_ = largest_group(group_of_);
}

std::vector<int> ServerPool::take_linear(int count) {
  std::vector<int> out;
  for (int s = 0; s < static_cast<int>(is_free_.size()) && static_cast<int>(out.size()) < count; ++s)
    if (is_free_[s]) out.push_back(s);
  return out;
}

std::vector<int> ServerPool::take_from_groups(std::vector<int> groups, int count) {
  // Whole groups from the most free down while the rest needs more than any single group left; the last part
  // from the group that holds it with the fewest free servers (best fit).
  auto free_of = [&](int g) { return static_cast<int>(free_in_group_[g].size()); };
  std::stable_sort(groups.begin(), groups.end(), [&](int a, int b) { return free_of(a) > free_of(b); });
  std::vector<int> out;
  std::vector<int> chosen;
  int need = count;
  size_t i = 0;
  while (need > 0 && i < groups.size()) {
    // The best-fit group among those not used yet, if one holds what is left.
    int best = -1;
    for (size_t k = i; k < groups.size(); ++k)
      if (free_of(groups[k]) >= need && (best < 0 || free_of(groups[k]) < free_of(best))) best = groups[k];
    if (best >= 0) {
      chosen.push_back(best);
      need = 0;
      break;
    }
    chosen.push_back(groups[i]);
    need -= free_of(groups[i]);
    ++i;
  }
  need = count;
  for (int g : chosen) {
    auto it = free_in_group_[g].begin();
    while (need > 0 && it != free_in_group_[g].end()) {
      out.push_back(*it);
      ++it;
      --need;
    }
  }
  return out;
}

std::vector<int> ServerPool::take(int count, PlacementKind kind) {
  if (count < 1 || count > free_)
    throw std::invalid_argument("server pool: " + std::to_string(count) + " servers asked, " + std::to_string(free_) +
                                " free");
  std::vector<int> out;
  if (kind == PlacementKind::kLinear) {
    out = take_linear(count);
  } else {
    // One pod if one holds the job (the fewest free that does), else pods from the most free down.
    int pod = -1;
    for (int p = 0; p < static_cast<int>(free_in_pod_.size()); ++p)
      if (free_in_pod_[p] >= count && (pod < 0 || free_in_pod_[p] < free_in_pod_[pod])) pod = p;
    if (pod >= 0) {
      out = take_from_groups(groups_of_pod_[pod], count);
    } else {
      std::vector<int> pods(free_in_pod_.size());
      for (size_t p = 0; p < pods.size(); ++p) pods[p] = static_cast<int>(p);
      std::stable_sort(pods.begin(), pods.end(), [&](int a, int b) { return free_in_pod_[a] > free_in_pod_[b]; });
      int need = count;
      for (int p : pods) {
        if (need == 0) break;
        const int part = std::min(need, free_in_pod_[p]);
        if (part == 0) continue;
        std::vector<int> got = take_from_groups(groups_of_pod_[p], part);
        out.insert(out.end(), got.begin(), got.end());
        need -= part;
      }
    }
  }
  if (static_cast<int>(out.size()) != count)
    throw std::logic_error("server pool: placement found " + std::to_string(out.size()) + " of " +
                           std::to_string(count) + " servers");
  for (int s : out) {
    is_free_[s] = 0;
    free_in_group_[group_of_[s]].erase(s);
    free_in_pod_[pod_of_[s]] -= 1;
  }
  free_ -= count;
  std::sort(out.begin(), out.end());
  return out;
}

void ServerPool::give_back(const std::vector<int>& servers) {
  for (int s : servers) {
    if (s < 0 || s >= static_cast<int>(owned_.size()) || !owned_[s] || is_free_[s])
      throw std::invalid_argument("server pool: server " + std::to_string(s) + " given back but not taken");
    is_free_[s] = 1;
    free_in_group_[group_of_[s]].insert(s);
    free_in_pod_[pod_of_[s]] += 1;
    free_ += 1;
    if (draining_.erase(s) > 0) withdraw({s});
  }
}

void ServerPool::withdraw(const std::vector<int>& servers) {
  for (int s : servers) {
    if (s < 0 || s >= static_cast<int>(owned_.size()) || !owned_[s] || !is_free_[s])
      throw std::invalid_argument("server pool: server " + std::to_string(s) + " withdrawn but not free");
    owned_[s] = is_free_[s] = 0;
    free_in_group_[group_of_[s]].erase(s);
    free_in_pod_[pod_of_[s]] -= 1;
    free_ -= 1;
    total_ -= 1;
  }
}

bool ServerPool::reclaim(int server) {
  if (server < 0 || server >= static_cast<int>(owned_.size()) || !owned_[server])
    throw std::invalid_argument("server pool: server " + std::to_string(server) + " reclaimed but not in the pool");
  if (is_free_[server]) {
    withdraw({server});
    return true;
  }
  draining_.insert(server);
  auto used = used_gpus_.find(server);  // a shared server takes no new small job
  if (used != used_gpus_.end()) partial_.erase({gpus_per_server_ - used->second, server});
  return false;
}

void ServerPool::restore(const std::vector<int>& servers) {
  for (int s : servers) {
    if (s < 0 || s >= static_cast<int>(universe_.size()) || !universe_[s])
      throw std::invalid_argument("server pool: server " + std::to_string(s) + " is not the pool's");
    if (draining_.erase(s) > 0) {
      auto used = used_gpus_.find(s);
      if (used != used_gpus_.end() && used->second < gpus_per_server_)
        partial_.insert({gpus_per_server_ - used->second, s});
      continue;
    }
    if (owned_[s]) throw std::invalid_argument("server pool: server " + std::to_string(s) + " restored twice");
    owned_[s] = is_free_[s] = 1;
    free_in_group_[group_of_[s]].insert(s);
    free_in_pod_[pod_of_[s]] += 1;
    free_ += 1;
    total_ += 1;
  }
}

int ServerPool::take_gpus(int gpus, int gpus_per_server, PlacementKind kind) {
  if (gpus < 1 || gpus >= gpus_per_server)
    throw std::invalid_argument("server pool: " + std::to_string(gpus) + " GPUs is not part of a " +
                                std::to_string(gpus_per_server) + "-GPU server");
  gpus_per_server_ = gpus_per_server;
  int server = -1;
  const auto fit = partial_.lower_bound({gpus, -1});  // the fewest free GPUs that hold the job
  if (fit != partial_.end()) {
    server = fit->second;
    partial_.erase(fit);
  } else {
    if (free_ < 1) return -1;
    server = take(1, kind).front();
  }
  const int used = (used_gpus_[server] += gpus);
  if (used < gpus_per_server) partial_.insert({gpus_per_server - used, server});
  return server;
}

void ServerPool::give_back_gpus(int server, int gpus) {
  auto it = used_gpus_.find(server);
  if (it == used_gpus_.end() || it->second < gpus || gpus < 1)
    throw std::invalid_argument("server pool: " + std::to_string(gpus) + " GPUs of server " + std::to_string(server) +
                                " given back but not taken");
  partial_.erase({gpus_per_server_ - it->second, server});
  it->second -= gpus;
  if (it->second == 0) {
    used_gpus_.erase(it);
    give_back({server});
  } else if (!draining_.count(server)) {
    partial_.insert({gpus_per_server_ - it->second, server});
  }
}

std::vector<int> ServerPool::partial_free_gpus() const {
  std::vector<int> out;
  for (const auto& [free, server] : partial_) out.push_back(free);
  return out;
}

int largest_group(const std::vector<int>& group_of) {
  std::map<int, int> group_size;
  for (int g : group_of) group_size[g] += 1;
  int largest = 1;
  for (const auto& [g, n] : group_size) largest = std::max(largest, n);
  return largest;
}

PlacementSpread placement_spread(const std::vector<int>& servers, const std::vector<int>& group_of,
                                 const std::vector<int>& pod_of, int largest) {
  std::set<int> groups, pods;
  for (int s : servers) {
    groups.insert(group_of.at(s));
    pods.insert(pod_of.at(s));
  }
  PlacementSpread out;
  out.groups = static_cast<int>(groups.size());
  out.pods = static_cast<int>(pods.size());
  out.min_groups = (static_cast<int>(servers.size()) + largest - 1) / largest;
  return out;
}

}  // namespace clustersim
