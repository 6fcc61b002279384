#pragma once
/// @file
/// Uniform draws from a std::mt19937_64 by our own arithmetic (std::*_distribution output differs between
/// standard libraries): the same seed gives the same numbers everywhere.

#include <cstdint>
#include <random>

namespace clustersim {

/// A uniform in (0, 1]: never 0, so -ln(u) is finite.
inline double uniform_open0(std::mt19937_64& rng) { return static_cast<double>((rng() >> 11) + 1) * 0x1.0p-53; }

/// A uniform in [0, 1).
inline double uniform_open1(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// A seed for sub-stream `index` of `seed` (splitmix64 of seed + golden-ratio x (index + 1)): independent
/// streams per stream, class or component, each unchanged when others are added.
inline uint64_t substream_seed(uint64_t seed, uint64_t index) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace clustersim
