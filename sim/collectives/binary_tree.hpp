#pragma once
/// @file
/// NCCL's double binary tree (src/graph/trees.cc, ncclGetBtree / ncclGetDtree), over ranks 0..n-1.
/// Tree 1 is an in-order binary tree: a rank's level is its lowest set bit, so odd ranks are leaves and
/// rank 0 is the root with a single child (the largest power of two below n). Tree 2 is tree 1 mirrored
/// (rank -> n-1-rank) for even n and shifted by one for odd n, so that the leaves of one tree are the
/// interior nodes of the other and every rank sends and receives about the same bytes in each phase.

#include <array>

namespace clustersim {

struct TreeNode {
  int parent = -1;                      ///< -1 at the root
  std::array<int, 2> children{-1, -1};  ///< -1 where absent
};

/// Position of `rank` in NCCL's binary tree over `n` ranks.
TreeNode binary_tree_node(int n, int rank);

/// Position of `rank` in both trees of NCCL's double binary tree over `n` ranks.
std::array<TreeNode, 2> double_binary_tree_node(int n, int rank);

}  // namespace clustersim
