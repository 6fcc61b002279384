#include "sim/config/experiment_loader.hpp"
#include "sim/setup/feasibility.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/diagnostics.hpp"

using namespace clustersim;
namespace fs = std::filesystem;

namespace {

// A small shipped catalog, so that tests do not depend on data/catalog.
const char* kCatalog = R"(accelerators:
  H100-SXM: {vendor: NVIDIA, peak_bf16: 989TFLOPS, peak_fp8: 1979TFLOPS, hbm: 80GB, hbm_bandwidth: 3.35TB/s,
             tdp: 700W, idle: 90W, scaleup_bandwidth: 450GB/s, default_server: hgx-h100, source: test}
servers:
  hgx-h100: {gpus: 8, overhead_idle: 1500W, overhead_max: 4600W, source: test}
nics:
  connectx-7: {bandwidth: 400Gbps, power: 25W, source: test}
  nic-800: {bandwidth: 800Gbps, power: 30W, source: test}
switches:
  sw-400: {radix: 64, port_bandwidth: 400Gbps, chassis: 500W, port: 5W, source: test}
  sw-800: {radix: 64, port_bandwidth: 800Gbps, chassis: 800W, port: 8W, source: test}
transceivers:
  osfp-400: {bandwidth: 400Gbps, kind: pluggable, power: 8W, source: test}
  osfp-800: {bandwidth: 800Gbps, kind: pluggable, power: 14W, source: test}
models:
  llama3-8b: {layers: 32, hidden: 4096, ffn_hidden: 14336, heads: 32, kv_heads: 8, vocab: 128256,
              seq_len: 8192, source: test}
calibration:
  matmul_efficiency: {value: 0.5, source: test}
engines:
  trtllm: {step_overhead: 0s, collective_latency: 10us, source: test}
)";

// The valid base experiment; the table below edits single lines of it (line numbers are 1-based).
const char* kBase = R"(name: t
duration: 1h
cluster:
  gpu: H100-SXM
  servers: 16
fabric:
  link: 400Gbps
facility:
  pue: 1.2
workload:
  training:
    - name: pretrain
      model: llama3-8b
      gpus: 64
      parallelism: {tp: 8, pp: 1, dp: 8}
      global_batch: 512
)";

// The base experiment with line `line` replaced by `text` (which may hold several lines).
std::string edit(int line, const std::string& text) {
  std::istringstream in(kBase);
  std::string out, l;
  for (int i = 1; std::getline(in, l); ++i) out += (i == line ? text : l) + "\n";
  return out;
}

class ExperimentLoader : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) /
           ("clustersim_cfg_" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "data" / "catalog");
    fs::create_directories(dir_ / "data" / "traces" / "azure-llm-inference-2023");
    write("data/catalog/10-test.yaml", kCatalog);
    write("data/traces/azure-llm-inference-2023/AzureLLMInferenceTrace_conv.csv",
          "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.0,374,44\n2023-11-16 18:15:47.0,396,109\n");
    fs::create_directories(dir_ / "data" / "traces" / "mlperf-inference-datasets");
    fs::copy_file(data_dir() + "/traces/mlperf-inference-datasets/llama2-70b-lengths.csv",
                  dir_ / "data" / "traces" / "mlperf-inference-datasets" / "llama2-70b-lengths.csv");
    setenv("CLUSTERSIM_DATA_DIR", (dir_ / "data").c_str(), 1);
  }

  void TearDown() override {
    unsetenv("CLUSTERSIM_DATA_DIR");
    fs::remove_all(dir_);
  }

  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

  // The diagnostics of loading `yaml` (empty when it loads).
  std::vector<Diagnostic> errors(const std::string& yaml, const std::vector<std::string>& sets = {}) {
    std::vector<Override> overrides;
    for (const auto& s : sets) {
      Override o;
      std::string error;
      EXPECT_TRUE(parse_override(s, o, error)) << error;
      overrides.push_back(o);
    }
    try {
      load_experiment(write("exp.yaml", yaml), overrides);
    } catch (const ConfigError& e) {
      return e.diagnostics().items();
    }
    return {};
  }

  fs::path dir_;
};

struct BadCase {
  const char* what;
  std::string yaml;
  std::vector<std::string> sets;
  const char* expected;  // substring of "key_path: message | hint"
  int line;              // 1-based; 0 = on the command line
  int column;
};

// Positions by hand: column = 1 + characters before the token on that line of the edited base.
std::vector<BadCase> bad_cases() {
  const std::string base = kBase;
  return {
      {"unknown top-level key", edit(10, "worklaod:"), {}, "did you mean 'workload'?", 10, 1},
      {"unknown nested key", edit(7, "  lnk: 400Gbps"), {}, "fabric: unknown key 'lnk' | did you mean 'link'?", 7, 3},
      {"unknown key in a list item", edit(16, "      global_bach: 512"), {}, "did you mean 'global_batch'?", 16, 7},
      {"duplicate key",
       edit(7, "  link: 400Gbps\n  link: 800Gbps"),
       {},
       "duplicate key 'link' | first defined at line 7",
       8,
       3},
      {"string for int", edit(5, "  servers: many"), {}, "expected an integer, got 'many'", 5, 12},
      {"float for int", edit(5, "  servers: 1.5"), {}, "expected an integer, got '1.5'", 5, 12},
      {"list for int", edit(5, "  servers: [1]"), {}, "expected an integer, got a list", 5, 12},
      {"list for map",
       "name: t\nduration: 1h\ncluster: {gpu: H100-SXM, servers: 16}\nfacility: [1.2]\n",
       {},
       "facility: expected a mapping, got a list",
       4,
       11},
      {"map for scalar", edit(9, "  pue: {a: 1}"), {}, "expected a number, got a mapping", 9, 8},
      {"bad unit", edit(7, "  link: 800Gbs"), {}, "unknown unit 'Gbs' in '800Gbs' | did you mean 'Gbps'", 7, 9},
      {"missing unit", edit(7, "  link: 800"), {}, "missing unit in '800' | add a unit, e.g. 800Gbps", 7, 9},
      {"missing time unit", edit(2, "duration: 3600"), {}, "add a unit, e.g. 3600s", 2, 11},
      {"bare m", edit(2, "duration: 5m"), {}, "did you mean 'min' (minute) or 'ms'?", 2, 11},
      {"pue below range", edit(9, "  pue: 0.9"), {}, "facility.pue: '0.9' is below the minimum 1", 9, 8},
      {"tiers above range", edit(7, "  tiers: 4"), {}, "'4' is above the maximum 3", 7, 10},
      {"servers zero", edit(5, "  servers: 0"), {}, "'0' is below the minimum 1", 5, 12},
      {"unknown enum", edit(16, "      precision: bf32\n      global_batch: 512"), {}, "did you mean 'bf16'?", 16, 18},
      {"missing cluster.gpu", edit(4, "  # no gpu"), {}, "cluster: missing required key 'gpu'", 3, 1},
      {"missing job name",
       edit(12, "    - model: llama3-8b\n      # no name"),
       {},
       "missing required key 'name'",
       12,
       7},
      {"unknown gpu", edit(4, "  gpu: H10"), {}, "unknown accelerator 'H10' | did you mean 'H100-SXM'?", 4, 3},
      {"unknown model",
       edit(13, "      model: llama3-7b"),
       {},
       "unknown model 'llama3-7b' | did you mean 'llama3-8b'?",
       13,
       7},
      {"tp*pp*dp mismatch",
       edit(15, "      parallelism: {tp: 8, pp: 2, dp: 2}"),
       {},
       "tp x pp x dp = 8 x 2 x 2 = 32, but gpus = 64",
       15,
       7},
      // 4 servers x 8 GPUs = 32 < 64 -> 32 too many, reported at 'workload:' (line 10).
      {"too many gpus",
       edit(5, "  servers: 4"),
       {},
       "needs 64 GPUs (training 64, inference 0) but the cluster has 32",
       10,
       1},
      // With a scheduler jobs queue instead of adding up; one that can never fit is refused at its gpus (line 14).
      {"scheduled job never fits",
       edit(5, "  servers: 4\nscheduler: {policy: fifo}"),
       {},
       "job 'pretrain' needs 64 GPUs (whole servers) but the scheduler has 32",
       15,
       7},
      {"job above its tenant's quota",
       edit(5, "  servers: 16\nscheduler: {policy: fifo, quotas: {lab: 32}}"),
       {"workload.training[0].tenant=lab"},
       "job 'pretrain' needs 64 GPUs but its tenant 'lab' may hold 32 (scheduler.quotas)",
       15,
       7},
      {"work given twice",
       edit(16, "      global_batch: 512\n      steps: 100\n      tokens: 1B"),
       {},
       "the job's work is given twice (steps and tokens)",
       18,
       7},
      {"duplicate names",
       edit(16, "      global_batch: 512\n  inference:\n    - {name: pretrain, model: llama3-8b}"),
       {},
       "duplicate name 'pretrain' (first used by workload.training[0] at line 12)",
       18,
       8},
      {"batch given twice",
       edit(16, "      global_batch: 512\n      tokens_per_step: 4M"),
       {},
       "give either global_batch or tokens_per_step, not both",
       17,
       7},
      {"no batch", edit(16, "      micro_batch: 1"), {}, "one of global_batch or tokens_per_step must be > 0", 12, 7},
      {"batch not a multiple",
       edit(16, "      global_batch: 100"),
       {},
       "not a multiple of dp x micro_batch = 8 x 1 = 8",
       16,
       7},
      {"unsupported precision",
       edit(16, "      precision: fp4\n      global_batch: 512"),
       {},
       "H100-SXM does not support fp4 (its peak_fp4 is 0) | supported precisions: bf16, fp8",
       16,
       7},
      {"training tp above the scale-up domain",
       edit(15, "      parallelism: {tp: 16, pp: 1, dp: 4}"),
       {},
       "tp = 16 is larger than the scale-up domain of 8 GPUs (H100-SXM)",
       15,
       21},
      {"inference tp above server",
       edit(16, "      global_batch: 512\n  inference:\n    - {name: chat, model: llama3-8b, tp: 16}"),
       {},
       "tp = 16 does not fit in one server of 8 GPUs",
       18,
       38},
      {"yaml syntax error",
       edit(15, "      parallelism: {tp: 8, pp: 1, dp: 8"),
       {},
       "invalid YAML: end of map flow not found",
       16,
       19},
      {"bad --set key", base, {"fabric.lnik=800Gbps"}, "fabric: unknown key 'lnik' | did you mean 'link'?", 0, 0},
      {"bad --set value", base, {"facility.pue=abc"}, "facility.pue: expected a number, got 'abc'", 0, 0},
      {"bad --set index", base, {"workload.training[3].gpus=8"}, "index 3 is out of range", 0, 0},
      {"bad sweep key",
       edit(16, "      global_batch: 512\nsweep:\n  grid: {fabric.lnk: [400Gbps]}"),
       {},
       "bad sweep key 'fabric.lnk': unknown key 'lnk' in 'fabric' | did you mean 'link'?",
       18,
       10},
      {"bad sweep value",
       edit(16, "      global_batch: 512\nsweep:\n  grid: {fabric.link: [400Gbps, 800Gbs]}"),
       {},
       "sweep value '800Gbs' is invalid: fabric.link: unknown unit 'Gbs'",
       18,
       33},
      {"sweep value breaking a rule",
       edit(16, "      global_batch: 512\nsweep:\n  grid: {cluster.servers: [16, 2]}"),
       {},
       "sweep value '2' is invalid: workload: the workload needs 64 GPUs",
       18,
       32},
      {"unknown catalog field",
       edit(16, "      global_batch: 512\ncatalog:\n  accelerators:\n    H100-SXM: {tdpp: 600W}"),
       {},
       "catalog.accelerators.H100-SXM: unknown key 'tdpp' | did you mean 'tdp'?",
       19,
       16},
      {"catalog entry without source",
       edit(16,
            "      global_batch: 512\ncatalog:\n  servers:\n    big: {gpus: 16, overhead_idle: 1kW, "
            "overhead_max: 2kW}"),
       {},
       "catalog.servers.big: missing required key 'source'",
       19,
       5},
      {"unknown nic", edit(7, "  nic: connectx-8"), {}, "unknown NIC 'connectx-8' | did you mean 'connectx-7'?", 7, 3},
      {"missing trace",
       edit(16,
            "      global_batch: 512\n  inference:\n    - {name: c, model: llama3-8b, arrivals: {kind: "
            "trace, trace: nope.csv}}"),
       {},
       "trace file",
       18,
       59},
      // Fabrics that cannot be built (the test catalog has no switch, so the radix is given).
      // Dragonfly, 8 NICs, radix 16: 1 server per router, p = 8, a = 16, h = 8: 8 + 15 + 8 = 31 > 16.
      {"dragonfly radix too small",
       edit(7, "  link: 400Gbps\n  topology: dragonfly\n  radix: 16"),
       {},
       "fabric.radix: a dragonfly router needs p + (a - 1) + h = 8 + 15 + 8 = 31 ports",
       9,
       3},
      // a = 2, h = 1 reach a h + 1 = 3 groups; 16 servers at 2 per group need 8 (reported at the
      // dragonfly map: groups itself was not written).
      {"dragonfly too many groups",
       edit(7,
            "  link: 400Gbps\n  topology: dragonfly\n  radix: 64\n  dragonfly: {routers_per_group: 2, "
            "servers_per_router: 1, global_links_per_router: 1}"),
       {},
       "fabric.dragonfly: 8 groups need 7 global cables per group",
       10,
       3},
      // Radix 64 at 1:1: 32 down ports per rail leaf, fewer than an SU of 40 servers.
      {"rail SU too large",
       edit(7, "  link: 400Gbps\n  topology: rail-optimized\n  radix: 64\n  su_servers: 40"),
       {},
       "fabric.su_servers: a scalable unit of 40 servers needs 40 down ports on each rail leaf, but radix 64 at 1:1 "
       "leaves 32 | use su_servers <= 32",
       10,
       3},
      // Radix 8 at 1:1: 4 down ports per leaf, fewer than a server's 8 NICs.
      {"fat-tree radix too small",
       edit(7, "  link: 400Gbps\n  radix: 8"),
       {},
       "fabric.radix: a server's 8 NICs do not fit on one leaf",
       8,
       3},
      {"scale-up domain not whole servers",
       edit(5, "  servers: 16\n  scaleup_domain: 12"),
       {"fabric.radix=64"},
       "cluster.scaleup_domain: a scale-up domain of 12 GPUs does not split into whole servers of 8 GPUs",
       6,
       3},
      // Training layout (issue 4): cp joins the GPU product; ep needs experts; the memory fit check.
      {"tp*pp*dp*cp mismatch",
       edit(15, "      parallelism: {tp: 8, pp: 1, dp: 8, cp: 2}"),
       {},
       "tp x pp x dp x cp = 8 x 1 x 8 x 2 = 128, but gpus = 64",
       15,
       7},
      {"ep on a dense model",
       edit(15, "      parallelism: {tp: 8, pp: 1, dp: 8, ep: 2}"),
       {},
       "ep = 2 but llama3-8b is dense (no experts) | use ep: 1",
       15,
       42},  // the key: 19 characters + "{tp: 8, pp: 1, dp: 8, " = 22 -> column 42
      {"virtual stages without pp",
       edit(15, "      parallelism: {tp: 8, pp: 1, dp: 8, virtual_stages: 2}"),
       {},
       "virtual_stages = 2 needs pp > 1",
       15,
       42},
      // Issues 8 and 17: every number finite and within a range its spec struct holds, with a location.
      {"steps above the int range",
       edit(16, "      global_batch: 512\n      steps: 3000000000"),
       {},
       "steps: '3000000000' is above the maximum 1000000000",
       17,
       14},
      {"max_batch_tokens above the int range",
       edit(16,
            "      global_batch: 512\n  inference:\n    - {name: c, model: llama3-8b, max_batch_tokens: 3000000000}"),
       {},
       "max_batch_tokens: '3000000000' is above the maximum 1000000000",
       18,
       53},
      {"integer beyond 64 bits", edit(5, "  servers: 99999999999999999999"), {}, "expected an integer", 5, 12},
      {"link overflowing to inf", edit(7, "  link: 1e300Gbps"), {}, "'1e300Gbps' is out of range", 7, 9},
      {"duration overflowing to inf", edit(2, "duration: 1e306h"), {}, "'1e306h' is out of range", 2, 11},
      {"tokens_per_step 1e30", edit(16, "      tokens_per_step: 1e30"), {}, "'1e30' is above the maximum", 16, 24},
      {"NaN rate",
       edit(16, "      global_batch: 512\n  inference:\n    - {name: c, model: llama3-8b, arrivals: {rate: .nan}}"),
       {},
       "arrivals.rate: expected a number, got '.nan'",
       18,
       52},
      {"inf rate",
       edit(16, "      global_batch: 512\n  inference:\n    - {name: c, model: llama3-8b, arrivals: {rate: 1e300}}"),
       {},
       "arrivals.rate: '1e300' is above the maximum",
       18,
       52},
      {"serving tp x pp overflowing int",
       edit(16, "      global_batch: 512\n  inference:\n    - {name: c, model: llama3-8b, tp: 1000000, pp: 1000000}"),
       {},
       "tp: '1000000' is above the maximum 1024",
       18,
       39},
      // Issue 17: validate applies run's fabric rules (no switch at 0.5 Gbit/s: run refused it without a location).
      {"link speed without a switch", edit(7, "  link: 0.5Gbps"), {}, "fabric.link: no switch with 500 Mbit/s", 7, 3},
      {"hop_latency removed",
       edit(7, "  link: 400Gbps\n  hop_latency: 2us"),
       {},
       "fabric.hop_latency: key 'hop_latency' was removed | it changed no result",
       8,
       3},
      // A duplicate key in the file is the file's fault, even when --set overrides that key.
      {"duplicate key with --set",
       edit(7, "  link: 400Gbps\n  link: 800Gbps"),
       {"fabric.link=400Gbps"},
       "duplicate key 'link' | first defined at line 7",
       8,
       3},
      // Catalog fields have physical ranges (issue 17: these aborted SimGrid).
      {"catalog hbm_bandwidth 0",
       edit(16, "      global_batch: 512\ncatalog:\n  accelerators:\n    H100-SXM: {hbm_bandwidth: 0GB/s}"),
       {},
       "catalog.accelerators.H100-SXM.hbm_bandwidth: '0GB/s' is below the minimum",
       19,
       31},
      {"catalog peak_bf16 1e-300",
       edit(16, "      global_batch: 512\ncatalog:\n  accelerators:\n    H100-SXM: {peak_bf16: 1e-300FLOPS}"),
       {},
       "catalog.accelerators.H100-SXM.peak_bf16: '1e-300FLOPS' is below the minimum",
       19,
       27},
      {"catalog idle above tdp",
       edit(16, "      global_batch: 512\ncatalog:\n  accelerators:\n    H100-SXM: {idle: 800W}"),
       {},
       "accelerators.H100-SXM.idle: idle power 800 W is above the tdp 700 W",
       19,
       16},
      {"calibration by_gpu above 1",
       edit(16,
            "      global_batch: 512\ncatalog:\n  calibration:\n    matmul_efficiency: {value: 0.5, by_gpu: "
            "{H100-SXM: 7}, source: x}"),
       {},
       "catalog.calibration.matmul_efficiency.by_gpu.H100-SXM: '7' is above the maximum 1",
       19,
       56},
      {"calibration by_gpu for an unknown accelerator",
       edit(16,
            "      global_batch: 512\ncatalog:\n  calibration:\n    matmul_efficiency: {value: 0.5, by_gpu: "
            "{H100-SMX: 0.6}, source: x}"),
       {},
       "calibration.matmul_efficiency.by_gpu: 'H100-SMX' is not an accelerator in the catalog | did you mean "
       "'H100-SXM'?",
       19,
       37},
      {"dense_layers of a dense model",
       edit(16, "      global_batch: 512\ncatalog:\n  models:\n    llama3-8b: {dense_layers: 2, dense_ffn_hidden: 9}"),
       {},
       "models.llama3-8b.dense_layers: dense_layers = 2 needs a MoE model (experts > 0), fewer than its 32 layers",
       19,
       17},
      {"MLA keys without the latent",
       edit(16, "      global_batch: 512\ncatalog:\n  models:\n    llama3-8b: {rope_dim: 64}"),
       {},
       "models.llama3-8b.rope_dim: q_lora_rank and rope_dim describe multi-head latent attention",
       19,
       17},
      {"calibration seconds above 1 s",
       edit(16, "      global_batch: 512\ncatalog:\n  calibration:\n    network_alpha_s: {value: 5, source: x}"),
       {},
       "catalog.calibration.network_alpha_s.value: '5' is above the maximum 1",
       19,
       30},
      // 64 sequences of 8192 tokens per micro-batch: ~1.1 TB of activations; reported at the job (line 12).
      {"layout does not fit in HBM",
       edit(16, "      global_batch: 512\n      micro_batch: 64"),
       {},
       "GB too much | would fit: recompute: full",
       12,
       7},
  };
}

std::string describe(const Diagnostic& d) { return d.key_path + ": " + d.message + " | " + d.hint; }

TEST_F(ExperimentLoader, ValidBaseLoads) { EXPECT_TRUE(errors(kBase).empty()); }

TEST_F(ExperimentLoader, BadInputsTable) {
  const auto cases = bad_cases();
  ASSERT_GE(cases.size(), 30u);
  for (const auto& c : cases) {
    const auto diags = errors(c.yaml, c.sets);
    bool found = false;
    std::string all;
    for (const auto& d : diags) {
      all +=
          "  " + std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + " " + describe(d) + "\n";
      if (describe(d).find(c.expected) == std::string::npos) continue;
      found = true;
      if (std::getenv("CLUSTERSIM_PRINT_BAD_INPUTS"))  // the table for issue notes and docs
        std::printf("| %s | %d:%d | %s |\n", c.what, d.location.line, d.location.column, describe(d).c_str());
      EXPECT_EQ(d.location.line, c.line) << c.what;
      EXPECT_EQ(d.location.column, c.column) << c.what;
      if (c.line == 0) {
        EXPECT_EQ(d.location.file.rfind("--set ", 0), 0u) << c.what;
      }
    }
    EXPECT_TRUE(found) << c.what << ": expected '" << c.expected << "' among\n" << all;
  }
}

TEST_F(ExperimentLoader, ReportsAllErrorsAtOnce) {
  // Three independent mistakes: bad unit (line 7), pue out of range (line 9), unknown model (line 13).
  std::string yaml = edit(7, "  link: 800Gbs");
  yaml = yaml.substr(0, yaml.find("  pue: 1.2")) + "  pue: 0.5" + yaml.substr(yaml.find("  pue: 1.2") + 10);
  yaml = yaml.substr(0, yaml.find("llama3-8b")) + "llama9" + yaml.substr(yaml.find("llama3-8b") + 9);
  const auto diags = errors(yaml);
  ASSERT_EQ(diags.size(), 3u);
  EXPECT_EQ(diags[0].location.line, 7);
  EXPECT_EQ(diags[1].location.line, 9);
  EXPECT_EQ(diags[2].location.line, 13);
}

TEST_F(ExperimentLoader, MissingFile) {
  try {
    load_experiment((dir_ / "nope.yaml").string());
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_NE(e.diagnostics().items()[0].message.find("cannot read experiment file"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("1 error, nothing was run."), std::string::npos);
  }
}

TEST_F(ExperimentLoader, ErrorInShippedCatalogIsLocatedThere) {
  const std::string file =
      write("data/catalog/20-bad.yaml",
            "servers:\n  s2: {gpus: 4, overhead_idle: 1W, overhead_max: 2W, source: x, fans: 3}\n");
  const auto diags = errors(kBase);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].location.file, file);
  EXPECT_EQ(diags[0].location.line, 2);
  EXPECT_EQ(diags[0].location.column, 65);  // "fans" after 64 characters
}

TEST_F(ExperimentLoader, FullExperimentResolvesWithDefaults) {
  const std::string yaml = edit(16, "      tokens_per_step: 4M");
  const auto l = load_experiment(write("exp.yaml", yaml));
  const auto& s = l.spec;
  EXPECT_EQ(s.name, "t");
  EXPECT_DOUBLE_EQ(s.duration_s, 3600);
  EXPECT_EQ(s.seed, 42u);
  EXPECT_EQ(s.cluster.server, "hgx-h100");  // the accelerator's default_server
  EXPECT_EQ(s.cluster.gpus_per_server, 8);  // the server's gpus
  EXPECT_EQ(s.fabric.nics_per_server, 8);   // = gpus_per_server
  EXPECT_DOUBLE_EQ(s.fabric.link_bps, 400e9);
  EXPECT_EQ(s.fabric.tiers, 2);
  EXPECT_DOUBLE_EQ(s.fabric.hop_latency_s, 1e-6);
  EXPECT_DOUBLE_EQ(s.fabric.leaf_oversubscription, 1);
  EXPECT_DOUBLE_EQ(s.facility.pue, 1.2);
  ASSERT_EQ(s.training.size(), 1u);
  EXPECT_EQ(s.training[0].seq_len, 8192);      // the model's
  EXPECT_EQ(s.training[0].global_batch, 488);  // 4e6 / 8192 = 488.3 -> 488 whole sequences
  EXPECT_EQ(s.training[0].precision, Precision::kBf16);
  EXPECT_EQ(s.training[0].detailed_steps, 3);
  EXPECT_EQ(s.output.path, "results/t.h5");
  EXPECT_DOUBLE_EQ(s.output.sample_interval_s, 1);
  EXPECT_EQ(s.sweep.output_dir, "results/t-sweep");
  EXPECT_TRUE(s.sweep.grid.empty());
  EXPECT_DOUBLE_EQ(l.catalog.accelerators.at("H100-SXM").hbm_bandwidth_Bps, 3.35e12);  // 3.35 TB/s in B/s
  EXPECT_DOUBLE_EQ(l.catalog.accelerators.at("H100-SXM").scaleup_bandwidth_Bps, 450e9);
  EXPECT_DOUBLE_EQ(l.catalog.calibration.matmul_efficiency, 0.5);
  EXPECT_EQ(l.source_yaml, yaml);
  EXPECT_EQ(l.resolved_yaml.find("hop_latency"), std::string::npos) << l.resolved_yaml;  // removed (issue 17)
}

// A batch's requests have the mean lengths unless `lengths` is written (the default, exponential, is the Poisson
// streams'); the stored configuration says which.
TEST_F(ExperimentLoader, BatchLengthsAreFixedUnlessWritten) {
  auto service = [&](const std::string& arrivals) {
    return edit(
        16, "      global_batch: 512\n  inference:\n    - {name: c, model: llama3-8b, arrivals: {" + arrivals + "}}");
  };
  const auto fixed = load_experiment(write("fixed.yaml", service("kind: batch, requests: 10")));
  ASSERT_EQ(fixed.spec.inference.size(), 1u);
  EXPECT_EQ(fixed.spec.inference[0].arrivals.lengths, LengthDistribution::kFixed);
  EXPECT_NE(fixed.resolved_yaml.find("lengths: fixed"), std::string::npos) << fixed.resolved_yaml;
  const auto drawn = load_experiment(write("drawn.yaml", service("kind: batch, requests: 10, lengths: exponential")));
  EXPECT_EQ(drawn.spec.inference[0].arrivals.lengths, LengthDistribution::kExponential);
  const auto poisson = load_experiment(write("poisson.yaml", service("kind: poisson, rate: 2")));
  EXPECT_EQ(poisson.spec.inference[0].arrivals.lengths, LengthDistribution::kExponential);
}

TEST_F(ExperimentLoader, EmpiricalLengthsTakeTheTablesMeansUnlessWritten) {
  auto service = [&](const std::string& arrivals) {
    return edit(
        16, "      global_batch: 512\n  inference:\n    - {name: c, model: llama3-8b, arrivals: {" + arrivals + "}}");
  };
  // The MLPerf llama2-70b table (data/traces/mlperf-inference-datasets): sample means 222.3 / 218.9 tokens.
  const auto table =
      load_experiment(write("table.yaml", service("kind: batch, requests: 10, lengths: mlperf-llama2-70b")));
  const ArrivalSpec& a = table.spec.inference[0].arrivals;
  EXPECT_EQ(a.lengths, LengthDistribution::kMlperfLlama2_70b);
  EXPECT_NEAR(a.input_tokens, 222.3, 0.01 * 222.3);
  EXPECT_NEAR(a.output_tokens, 218.9, 0.01 * 218.9);
  // The stored configuration says so: it reloads to the same means (not the schema's 1024 / 256).
  const auto reloaded = load_experiment(write("stored.yaml", table.resolved_yaml));
  EXPECT_DOUBLE_EQ(reloaded.spec.inference[0].arrivals.input_tokens, a.input_tokens);
  EXPECT_DOUBLE_EQ(reloaded.spec.inference[0].arrivals.output_tokens, a.output_tokens);
  // A written mean stays (it rescales that side of the table); the other side is the table's.
  const auto written = load_experiment(
      write("written.yaml", service("kind: batch, requests: 10, lengths: mlperf-llama2-70b, output_tokens: 290")));
  EXPECT_DOUBLE_EQ(written.spec.inference[0].arrivals.output_tokens, 290);
  EXPECT_DOUBLE_EQ(written.spec.inference[0].arrivals.input_tokens, a.input_tokens);
}

TEST_F(ExperimentLoader, AMissingLengthTableIsAnErrorAtItsKey) {
  // The fixture's data directory holds only the llama2-70b table: the mixtral one is missing.
  const auto e = errors(edit(16,
                             "      global_batch: 512\n  inference:\n    - {name: c, model: llama3-8b, arrivals: "
                             "{kind: batch, requests: 10, lengths: mlperf-mixtral-8x7b}}"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].key_path, "workload.inference[0].arrivals.lengths");
  EXPECT_NE(e[0].message.find("mixtral-8x7b-lengths.csv' not found"), std::string::npos) << e[0].message;
  EXPECT_GT(e[0].location.line, 0);
}

TEST_F(ExperimentLoader, OverridesChangeValues) {
  const auto l = load_experiment(write("exp.yaml", kBase), {{"fabric.link", "800Gbps"},
                                                            {"facility.pue", "1.3"},
                                                            {"workload.training.0.parallelism.dp", "4"},
                                                            {"workload.training[0].gpus", "32"},
                                                            {"fabric.oversubscription", "3:1"}});
  EXPECT_DOUBLE_EQ(l.spec.fabric.link_bps, 800e9);
  EXPECT_DOUBLE_EQ(l.spec.facility.pue, 1.3);
  EXPECT_EQ(l.spec.training[0].dp, 4);
  EXPECT_EQ(l.spec.training[0].gpus, 32);
  EXPECT_DOUBLE_EQ(l.spec.fabric.leaf_oversubscription, 3);
}

TEST_F(ExperimentLoader, ParseOverride) {
  Override o;
  std::string error;
  ASSERT_TRUE(parse_override("fabric.link=800Gbps", o, error));
  EXPECT_EQ(o.key, "fabric.link");
  EXPECT_EQ(o.value, "800Gbps");
  EXPECT_FALSE(parse_override("fabric.link", o, error));
  EXPECT_FALSE(parse_override("=3", o, error));
  EXPECT_FALSE(parse_override("a..b=3", o, error));
}

TEST_F(ExperimentLoader, ResolvedYamlReloadsToTheSameSpec) {
  write("cat/user.yaml",
        "models:\n  tiny: {layers: 2, hidden: 64, ffn_hidden: 128, heads: 4, kv_heads: 4, vocab: 100, "
        "source: t}\n");
  const std::string yaml = edit(16,
                                "      global_batch: 512\n  inference:\n"
                                "    - {name: chat, model: tiny, tp: 2, arrivals: {kind: trace, trace: azure-conv}}\n"
                                "catalog_files: [cat/user.yaml]\n"
                                "sweep:\n  grid: {fabric.link: [400Gbps, 800Gbps], facility.pue: [1.1, 1.3]}");
  const auto first = load_experiment(write("exp.yaml", yaml), {{"fabric.oversubscription", "2:1"}});
  fs::create_directories(dir_ / "elsewhere");
  const auto second = load_experiment(write("elsewhere/resolved.yaml", first.resolved_yaml));
  EXPECT_EQ(second.resolved_yaml, first.resolved_yaml);
  EXPECT_DOUBLE_EQ(second.spec.fabric.leaf_oversubscription, 2);
  EXPECT_EQ(second.spec.inference[0].arrivals.trace, first.spec.inference[0].arrivals.trace);
  EXPECT_TRUE(fs::path(first.spec.inference[0].arrivals.trace).is_absolute());
  EXPECT_EQ(second.catalog.models.at("tiny").layers, 2);
  ASSERT_EQ(second.spec.sweep.grid.size(), 2u);
  EXPECT_EQ(second.spec.sweep.grid[0].key, "fabric.link");  // axes keep their written order
  EXPECT_EQ(second.spec.sweep.grid[1].key, "facility.pue");
  EXPECT_EQ(second.spec.sweep.grid[1].values, (std::vector<std::string>{"1.1", "1.3"}));
}

TEST_F(ExperimentLoader, UserCatalogOverridesFieldByField) {
  write("caps.yaml", "accelerators:\n  H100-SXM: {tdp: 600W}\n");
  const auto l = load_experiment(write("exp.yaml", std::string(kBase) + "catalog_files: [caps.yaml]\n"));
  const auto& gpu = l.catalog.accelerators.at("H100-SXM");
  EXPECT_DOUBLE_EQ(gpu.tdp_w, 600);
  EXPECT_DOUBLE_EQ(gpu.idle_w, 90);  // kept from the shipped entry
  EXPECT_DOUBLE_EQ(gpu.peak_bf16_flops, 989e12);
  EXPECT_EQ(gpu.default_server, "hgx-h100");
  EXPECT_EQ(gpu.source, "test");
}

TEST_F(ExperimentLoader, InlineCatalogWorksWithoutShippedData) {
  fs::remove_all(dir_ / "data" / "catalog");
  const std::string yaml =
      std::string(kBase) + "catalog:\n" +
      "  accelerators:\n"
      "    X1: {vendor: V, peak_bf16: 1PFLOPS, hbm: 100GB, hbm_bandwidth: 1TB/s, tdp: 1kW, idle: 1W,\n"
      "         scaleup_bandwidth: 1TB/s, default_server: s, source: t}\n"
      "  servers: {s: {gpus: 8, overhead_idle: 1W, overhead_max: 2W, source: t}}\n"
      "  nics: {n: {bandwidth: 400Gbps, power: 1W, source: t}}\n"
      "  switches: {w: {radix: 64, port_bandwidth: 400Gbps, chassis: 1W, port: 1W, source: t}}\n"
      "  transceivers: {o: {bandwidth: 400Gbps, kind: pluggable, power: 1W, source: t}}\n"
      "  models:\n"
      "    llama3-8b: {layers: 32, hidden: 4096, ffn_hidden: 14336, heads: 32, kv_heads: 8,\n"
      "                vocab: 128256, source: t}\n";
  const auto l = load_experiment(write("exp.yaml", yaml), {{"cluster.gpu", "X1"}});
  EXPECT_EQ(l.spec.cluster.server, "s");
  EXPECT_EQ(l.catalog.models.at("llama3-8b").seq_len, 4096);  // the schema default
  EXPECT_DOUBLE_EQ(l.catalog.accelerators.at("X1").peak_fp8_flops, 0);
}

TEST_F(ExperimentLoader, LoadCatalogAlone) {
  const Catalog c = load_catalog();
  EXPECT_EQ(c.accelerators.size(), 1u);
  EXPECT_EQ(c.servers.at("hgx-h100").gpus, 8);
  EXPECT_DOUBLE_EQ(c.nics.at("connectx-7").bandwidth_bps, 400e9);
}

TEST_F(ExperimentLoader, DataDirFollowsTheEnvironment) { EXPECT_EQ(data_dir(), (dir_ / "data").string()); }

TEST_F(ExperimentLoader, MissingDataDirectoryIsAnError) {
  // An experiment whose inline catalog has everything it needs loaded silently without the shipped data.
  std::string inline_catalog = "catalog:\n";
  std::istringstream in(kCatalog);
  for (std::string line; std::getline(in, line);) inline_catalog += "  " + line + "\n";
  const std::string yaml = std::string(kBase) + inline_catalog;
  ASSERT_TRUE(errors(yaml).empty());
  setenv("CLUSTERSIM_DATA_DIR", (dir_ / "nowhere").c_str(), 1);
  auto diags = errors(yaml);
  ASSERT_FALSE(diags.empty());
  EXPECT_NE(describe(diags[0]).find("the data directory '" + (dir_ / "nowhere").string() +
                                    "' (from CLUSTERSIM_DATA_DIR) does not exist"),
            std::string::npos)
      << describe(diags[0]);
  EXPECT_THROW(load_catalog(), ConfigError);
}

TEST_F(ExperimentLoader, CalibrationPerGpuValuesAreKept) {
  const std::string yaml = std::string(kBase) +
                           "catalog:\n  calibration:\n    matmul_efficiency: {value: 0.5, by_gpu: {H100-SXM: 0.6}, "
                           "source: x}\n";
  const auto l = load_experiment(write("exp.yaml", yaml));
  EXPECT_DOUBLE_EQ(l.catalog.calibration.by_gpu.at("matmul_efficiency").at("H100-SXM"), 0.6);
  EXPECT_NE(l.resolved_yaml.find("H100-SXM: 0.6"), std::string::npos) << l.resolved_yaml;
}

// Issue 17: merging a catalog was quadratic in its entries (4,000 accelerators: 11 s through the CLI).
TEST_F(ExperimentLoader, LargeCatalogLoadsInLinearTime) {
  std::string text = "accelerators:\n";
  for (int i = 0; i < 4000; ++i)
    text += "  G" + std::to_string(i) +
            ": {vendor: x, peak_bf16: 989TFLOPS, hbm: 80GB, hbm_bandwidth: 3.35TB/s, tdp: 700W, idle: 90W, "
            "scaleup_bandwidth: 450GB/s, default_server: hgx-h100, source: x}\n";
  write("data/catalog/20-many.yaml", text);
  const auto start = std::chrono::steady_clock::now();
  const Catalog c = load_catalog();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(c.accelerators.size(), 4001u);
  // 13.5 s before the fix (unloaded), 1.3 s after (4.2 s on 2 busy cores): the bound leaves room for load.
  EXPECT_LT(seconds, 10.0) << "4,000 catalog entries";
}

}  // namespace
