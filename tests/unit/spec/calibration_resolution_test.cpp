// Per-GPU calibration resolved once (spec/catalog.hpp CalibrationSpec::for_accelerator) and the one bit/byte
// conversion (common/units.hpp).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/units.hpp"
#include "spec/catalog.hpp"

namespace clustersim {
namespace {

TEST(CalibrationResolution, ByGpuEntriesReplaceTheValueForThatGpuOnly) {
  CalibrationSpec c;
  c.matmul_efficiency = 0.5;
  c.serving_memory_efficiency = 0.8;
  c.by_gpu["matmul_efficiency"]["H100-SXM"] = 0.613;
  c.by_gpu["serving_memory_efficiency"]["H100-SXM"] = 0.9;
  c.by_gpu["matmul_efficiency"]["A100-SXM-80GB"] = 0.55;
  const CalibrationSpec h100 = c.for_accelerator("H100-SXM");
  EXPECT_DOUBLE_EQ(h100.matmul_efficiency, 0.613);
  EXPECT_DOUBLE_EQ(h100.serving_memory_efficiency, 0.9);
  EXPECT_DOUBLE_EQ(h100.memory_efficiency, c.memory_efficiency);  // no entry: unchanged
  EXPECT_DOUBLE_EQ(c.for_accelerator("A100-SXM-80GB").matmul_efficiency, 0.55);
  EXPECT_DOUBLE_EQ(c.for_accelerator("A100-SXM-80GB").serving_memory_efficiency, 0.8);
  const CalibrationSpec other = c.for_accelerator("MI300X");
  EXPECT_DOUBLE_EQ(other.matmul_efficiency, 0.5);
  // Resolving twice changes nothing; the source is untouched.
  EXPECT_DOUBLE_EQ(h100.for_accelerator("H100-SXM").matmul_efficiency, 0.613);
  EXPECT_DOUBLE_EQ(c.matmul_efficiency, 0.5);
}

TEST(CalibrationResolution, EveryKeyHasItsOwnMember) {
  std::set<std::string> names;
  const auto& keys = calibration_keys();
  for (const CalibrationKey& k : keys) names.insert(k.key);
  EXPECT_EQ(names.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i)
    for (size_t j = i + 1; j < keys.size(); ++j) EXPECT_NE(keys[i].member, keys[j].member) << keys[i].key;
  // Each key resolves into its own member.
  for (const CalibrationKey& k : calibration_keys()) {
    CalibrationSpec c;
    c.by_gpu[k.key]["X"] = 0.123;
    const CalibrationSpec r = c.for_accelerator("X");
    EXPECT_DOUBLE_EQ(r.*k.member, 0.123) << k.key;
  }
}

TEST(BandwidthUnits, OneBitByteConversion) {
  EXPECT_DOUBLE_EQ(kBitsPerByte, 8);
  EXPECT_DOUBLE_EQ(bytes_per_s(400e9), 50e9);
  EXPECT_DOUBLE_EQ(bits_per_s(450e9), 3.6e12);
  EXPECT_DOUBLE_EQ(bits_per_s(bytes_per_s(1.6e12)), 1.6e12);
  // What the parser reads and what the models use agree: "100GB/s" is 800 Gbit/s, 100e9 B/s.
  EXPECT_DOUBLE_EQ(bytes_per_s(parse_quantity("100GB/s", Quantity::kBandwidth).value), 100e9);
  static_assert(bytes_per_s(8) == 1, "constexpr");
}

}  // namespace
}  // namespace clustersim
