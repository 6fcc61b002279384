#include "sim/collectives/binary_tree.hpp"

namespace clustersim {

TreeNode binary_tree_node(int n, int rank) {
  TreeNode node;
  int bit = 1;
  while (bit < n && (bit & rank) == 0) bit <<= 1;
  if (rank == 0) {
    if (n > 1) node.children[1] = bit >> 1;
    return node;
  }
  int up = (rank ^ bit) | (bit << 1);
  if (up >= n) up = rank ^ bit;
  node.parent = up;
  int lowbit = bit >> 1;
  node.children[0] = lowbit == 0 ? -1 : rank - lowbit;
  int down1 = lowbit == 0 ? -1 : rank + lowbit;
  while (down1 >= n) {
    lowbit >>= 1;
    down1 = lowbit == 0 ? -1 : rank + lowbit;
  }
  node.children[1] = down1;
  return node;
}

std::array<TreeNode, 2> double_binary_tree_node(int n, int rank) {
  // Tree 2 maps rank r to r' (mirror or shift), takes r' in tree 1, and maps the neighbours back.
  const bool odd = n % 2 == 1;
  auto to_tree2 = [&](int r) { return odd ? (r - 1 + n) % n : n - 1 - r; };
  auto from_tree2 = [&](int r) { return r < 0 ? -1 : (odd ? (r + 1) % n : n - 1 - r); };
  TreeNode second = binary_tree_node(n, to_tree2(rank));
  second.parent = from_tree2(second.parent);
  for (int& c : second.children) c = from_tree2(c);
  return {binary_tree_node(n, rank), second};
}

}  // namespace clustersim
