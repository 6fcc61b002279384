#include "sim/engine/least_loaded_index.hpp"

#include <xbt/asserts.h>

#include <algorithm>
#include <climits>

namespace clustersim {

LeastLoadedIndex::LeastLoadedIndex(int n) : n_(n) {
  while (leaves_ < n_) leaves_ *= 2;
  tree_.assign(2 * static_cast<size_t>(leaves_), Entry{INT_MAX, INT_MAX});
  for (int i = 0; i < n_; ++i) tree_[leaves_ + i] = {0, i};
  for (int k = leaves_ - 1; k >= 1; --k) tree_[k] = std::min(tree_[2 * k], tree_[2 * k + 1]);
}

void LeastLoadedIndex::set(int i, int load) {
  xbt_assert(i >= 0 && i < n_, "internal error: replica %d of %d in the load index", i, n_);
  int k = leaves_ + i;
  tree_[k] = {load, i};
  for (k /= 2; k >= 1; k /= 2) tree_[k] = std::min(tree_[2 * k], tree_[2 * k + 1]);
}

int LeastLoadedIndex::argmin(int begin, int end) const {
  xbt_assert(0 <= begin && begin < end && end <= n_, "internal error: load index range [%d, %d) of %d", begin, end, n_);
  Entry best{INT_MAX, INT_MAX};
  for (int lo = begin + leaves_, hi = end + leaves_; lo < hi; lo /= 2, hi /= 2) {
    if (lo & 1) best = std::min(best, tree_[lo++]);
    if (hi & 1) best = std::min(best, tree_[--hi]);
  }
  return best.second;
}

}  // namespace clustersim
