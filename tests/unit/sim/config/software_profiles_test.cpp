// Training software profiles (workload.training[].software, data/catalog/software.yaml): a job takes the profile's
// settings for the keys it does not write; what it writes wins; the resolved configuration shows the values used;
// an unknown profile is an input error with a did-you-mean.
#include <gtest/gtest.h>

#include "tests/unit/experiment_text_util.hpp"

namespace clustersim {
namespace {

const std::string kJob = R"(name: profiles
duration: 1min
cluster: {gpu: A100-SXM-80GB, servers: 4}
fabric: {tiers: 2, link: 200Gbps}
workload:
  training:
    - name: gpt
      model: megatron-gpt-1.7b
      gpus: 32
      parallelism: {tp: 1, pp: 1, dp: 32}
      global_batch: 512
      micro_batch: 16
      seq_len: 2048
      recompute: full
      software: megatron-2021
)";

TEST(SoftwareProfiles, ProfileFillsTheKeysTheJobLeavesUnset) {
  const LoadedExperiment e = load_experiment(test::write_experiment(kJob, "software_fill"));
  const TrainingJobSpec& j = e.spec.training.at(0);
  EXPECT_FALSE(j.flash_attention);
  EXPECT_FALSE(j.sequence_parallel);
  EXPECT_FALSE(j.overlap_grad_reduce);
  EXPECT_DOUBLE_EQ(j.grad_reduce_bytes, 4.0);  // fp32
  // The stored configuration says what ran.
  EXPECT_NE(e.resolved_yaml.find("flash_attention: false"), std::string::npos);
  EXPECT_NE(e.resolved_yaml.find("grad_reduce_dtype: fp32"), std::string::npos);
}

TEST(SoftwareProfiles, WhatTheJobWritesWins) {
  std::string yaml = test::replace_first(kJob, "      software: megatron-2021\n",
                                         "      software: megatron-2021\n      flash_attention: true\n");
  yaml = test::replace_first(yaml, "parallelism: {tp: 1, pp: 1, dp: 32}",
                             "parallelism: {tp: 1, pp: 1, dp: 32, grad_reduce_dtype: bf16}");
  const LoadedExperiment e = load_experiment(test::write_experiment(yaml, "software_own"));
  const TrainingJobSpec& j = e.spec.training.at(0);
  EXPECT_TRUE(j.flash_attention);
  EXPECT_DOUBLE_EQ(j.grad_reduce_bytes, 2.0);
  EXPECT_FALSE(j.overlap_grad_reduce);  // still the profile's
}

TEST(SoftwareProfiles, NoProfileKeepsTheDefaults) {
  const std::string yaml = test::replace_first(kJob, "      software: megatron-2021\n", "");
  const LoadedExperiment e = load_experiment(test::write_experiment(yaml, "software_none"));
  EXPECT_TRUE(e.spec.training.at(0).flash_attention);
  EXPECT_DOUBLE_EQ(e.spec.training.at(0).grad_reduce_bytes, 2.0);
}

TEST(SoftwareProfiles, UnknownProfileIsAnInputError) {
  const std::string err =
      test::load_error(test::replace_first(kJob, "software: megatron-2021", "software: megatron-2012"), "software_bad");
  EXPECT_NE(err.find("workload.training[0].software"), std::string::npos) << err;
  EXPECT_NE(err.find("unknown software profile 'megatron-2012'"), std::string::npos) << err;
  EXPECT_NE(err.find("did you mean"), std::string::npos) << err;
  EXPECT_NE(err.find(":15:"), std::string::npos) << err;  // file:line of the key
}

}  // namespace
}  // namespace clustersim
