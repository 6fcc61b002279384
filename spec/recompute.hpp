#pragma once
/// @file
/// Activation recomputation modes (Korthikanti et al. 2022, arXiv 2205.05198).

namespace clustersim {

enum class Recompute { kNone, kSelective, kFull };

/// "none", "selective", "full".
const char* recompute_name(Recompute r);

}  // namespace clustersim
