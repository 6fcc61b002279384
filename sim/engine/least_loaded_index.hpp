#pragma once
/// @file
/// The replica with the fewest outstanding requests in a range of replicas, the lowest index on ties (what a
/// scan from the range's start finds), in O(log n) per query and per change: a segment tree of (load, index)
/// minima. A least-loaded router asks it once per request; with 1,250 replicas a scan was a quarter of a
/// fully detailed fleet's run (issue 10).

#include <utility>
#include <vector>

namespace clustersim {

class LeastLoadedIndex {
 public:
  /// `n` replicas, all at load 0.
  explicit LeastLoadedIndex(int n = 0);

  /// Sets replica `i`'s load.
  void set(int i, int load);

  /// The replica of [begin, end) with the smallest load, the lowest index among equals; begin < end <= n.
  int argmin(int begin, int end) const;

  int size() const { return n_; }

 private:
  using Entry = std::pair<int, int>;  ///< (load, index): the smaller pair is the replica a scan picks
  int n_ = 0;
  int leaves_ = 1;  ///< a power of two >= n
  std::vector<Entry> tree_;
};

}  // namespace clustersim
