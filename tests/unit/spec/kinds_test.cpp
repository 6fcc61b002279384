// spec/kinds: one {name, value, doc} table per string kind.

#include "spec/kinds.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace clustersim;

namespace {

// Names and values unique, docs present, name <-> value round trips; `count` = the enumerators of E.
template <typename E>
void check_table(size_t count) {
  const auto& t = kind_table<E>();
  EXPECT_EQ(t.size(), count);
  std::set<std::string> names;
  std::set<int> values;
  for (const auto& e : t) {
    EXPECT_TRUE(names.insert(e.name).second) << e.name;
    EXPECT_TRUE(values.insert(static_cast<int>(e.value)).second) << e.name;
    EXPECT_NE(std::string(e.doc), "") << e.name;
    EXPECT_EQ(kind_from_name<E>(e.name), e.value);
    EXPECT_STREQ(kind_name(e.value), e.name);
  }
  for (size_t v = 0; v < count; ++v) EXPECT_TRUE(values.count(static_cast<int>(v))) << "enumerator " << v;
  EXPECT_FALSE(kind_from_name<E>("no-such-kind").has_value());
}

}  // namespace

TEST(Kinds, EveryTableIsComplete) {
  check_table<TopologyKind>(3);
  check_table<OpticsKind>(4);
  check_table<RoutingKind>(7);
  check_table<RankOrder>(2);
  check_table<RouterKind>(3);
  check_table<KvPolicy>(2);
  check_table<ArrivalKind>(4);
  check_table<LengthDistribution>(8);
  check_table<GradReduceDtype>(2);
  check_table<Precision>(3);
  check_table<Recompute>(3);
}

TEST(Kinds, NamesAreTheYamlSpellings) {
  EXPECT_STREQ(topology_name(TopologyKind::kRailOptimized), "rail-optimized");
  EXPECT_STREQ(optics_name(OpticsKind::kLpo), "lpo");
  EXPECT_EQ(kind_names<RouterKind>(), (std::vector<std::string>{"round-robin", "least-loaded", "kv-aware"}));
  EXPECT_EQ(kind_from_name<ArrivalKind>("trace"), ArrivalKind::kTrace);
  for (const auto& e : kind_table<Precision>()) EXPECT_STREQ(e.name, precision_name(e.value));
  for (const auto& e : kind_table<Recompute>()) EXPECT_STREQ(e.name, recompute_name(e.value));
}

TEST(Kinds, EmpiricalLengthsNameTheirDataFile) {
  EXPECT_EQ(empirical_lengths_file(LengthDistribution::kServegenDeepseekR1),
            "traces/alibaba-servegen-2025/deepseek-r1-lengths.csv");
  EXPECT_EQ(empirical_lengths_file(LengthDistribution::kMlperfLlama2_70b),
            "traces/mlperf-inference-datasets/llama2-70b-lengths.csv");
  EXPECT_EQ(empirical_lengths_file(LengthDistribution::kMlperfLlama31_405b),
            "traces/mlperf-inference-datasets/llama3.1-405b-lengths.csv");
  EXPECT_EQ(empirical_lengths_file(LengthDistribution::kExponential), "");
  EXPECT_EQ(empirical_lengths_file(LengthDistribution::kFixed), "");
  EXPECT_DOUBLE_EQ(grad_reduce_element_bytes(GradReduceDtype::kBf16), 2);
  EXPECT_DOUBLE_EQ(grad_reduce_element_bytes(GradReduceDtype::kFp32), 4);
}
