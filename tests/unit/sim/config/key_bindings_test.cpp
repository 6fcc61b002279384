// One declaration per key (sim/config/binding.hpp, experiment_schema.cpp): struct defaults equal schema
// defaults, every key is bound to a member (or documented as unbound), and the builder fills members
// through the bindings.

#include <gtest/gtest.h>

#include <set>

#include "sim/config/experiment_keys.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/config/spec_builder.hpp"

using namespace clustersim;
using namespace clustersim::fields;

namespace {

// Every leaf path of a schema (nested mappings and lists walked; `stop` paths are not entered).
void leaves(const Schema& s, const std::string& prefix, const std::set<std::string>& stop,
            std::vector<std::string>& out) {
  for (const auto& f : s.fields) {
    const std::string path = prefix.empty() ? f.name : prefix + "." + f.name;
    if (f.kind == FieldKind::kMap && !stop.count(path))
      leaves(*f.schema, path, stop, out);
    else if (f.kind == FieldKind::kListOfMaps)
      leaves(*f.schema, path + "[]", stop, out);
    else
      out.push_back(path);
  }
}

// The keys that fill no ExperimentSpec member, each with the reason written in experiment_schema.cpp.
const std::set<std::string> kUnbound = {"catalog_files", "catalog",   "fabric.hop_latency", "sweep.grid",
                                        "plan.grid",     "plan.meet", "plan.scale",         "plan.limits"};

}  // namespace

TEST(KeyBindings, StructDefaultsEqualSchemaDefaults) {
  const auto checks = experiment_keys().check();
  ASSERT_GT(checks.size(), 90u);
  for (const auto& c : checks) {
    if (!c.unbound.empty()) continue;
    EXPECT_TRUE(c.matches) << c.path << ": " << c.detail;
  }
}

TEST(KeyBindings, EveryKeyIsBoundOrDocumentedAsUnbound) {
  std::set<std::string> checked, unbound;
  for (const auto& c : experiment_keys().check()) {
    EXPECT_TRUE(checked.insert(c.path).second) << "checked twice: " << c.path;
    if (!c.unbound.empty()) unbound.insert(c.path);
  }
  EXPECT_EQ(unbound, kUnbound);
  // Every leaf of the schema that validation uses is one of the bound (or documented) keys.
  std::vector<std::string> all;
  leaves(experiment_schema(), "", {"catalog"}, all);
  for (const auto& path : all) EXPECT_TRUE(checked.count(path)) << "key without a binding: " << path;
  EXPECT_EQ(all.size(), checked.size());
}

TEST(KeyBindings, EnumChoicesComeFromTheKindTables) {
  const Schema& root = experiment_schema();
  const Schema& fabric = *root.find("fabric")->schema;
  EXPECT_EQ(fabric.find("topology")->choices, kind_names<TopologyKind>());
  EXPECT_EQ(fabric.find("optics")->choices, kind_names<OpticsKind>());
  const Schema& service = *root.find("workload")->schema->find("inference")->schema;
  EXPECT_EQ(service.find("router")->choices, kind_names<RouterKind>());
  EXPECT_EQ(service.find("kv_policy")->choices, kind_names<KvPolicy>());
  EXPECT_EQ(service.find("arrivals")->schema->find("kind")->choices, kind_names<ArrivalKind>());
  EXPECT_EQ(service.find("arrivals")->schema->find("lengths")->choices, kind_names<LengthDistribution>());
  EXPECT_EQ(service.find("precision")->choices, (std::vector<std::string>{"bf16", "fp8", "fp4"}));
}

namespace {

struct Probe {
  int count = 3;
  double rate_bps = 1e9;  // deliberately not the schema default below
  std::string label;
  RouterKind router = RouterKind::kKvAware;  // deliberately not the schema default below
  bool on = true;
  double bytes = 2;
};

const KeyTable<Probe>& probe_keys() {
  static const KeyTable<Probe> t{
      "probe",
      {bind(&Probe::count, integer("count", "3", 1, 10, "count")),
       bind(&Probe::rate_bps, quantity("rate", Quantity::kBandwidth, "2Gbps", 0, "rate")),
       required(bind(&Probe::label, text("label", "", "label"))),
       bind(&Probe::router, one_of("router", "least-loaded", "router")),
       bind(&Probe::on, boolean("on", "true", "switch")),
       bind_as<GradReduceDtype>(&Probe::bytes, one_of("dtype", "bf16", "dtype"), grad_reduce_element_bytes),
       unbound<Probe>(text("note", "\"\"", "free"), "read elsewhere")}};
  return t;
}

}  // namespace

TEST(KeyBindings, CheckReportsADefaultThatDiffers) {
  std::map<std::string, KeyCheck> by_path;
  for (const auto& c : probe_keys().check("p")) by_path[c.path] = c;
  ASSERT_EQ(by_path.size(), 7u);
  EXPECT_TRUE(by_path["p.count"].matches);
  EXPECT_FALSE(by_path["p.rate"].matches);
  EXPECT_EQ(by_path["p.rate"].detail, "struct 1000000000 vs schema 2000000000");
  EXPECT_TRUE(by_path["p.label"].matches);  // required: the member holds "none" ("")
  EXPECT_FALSE(by_path["p.router"].matches);
  EXPECT_EQ(by_path["p.router"].detail, "struct kv-aware vs schema least-loaded");
  EXPECT_TRUE(by_path["p.on"].matches);
  EXPECT_TRUE(by_path["p.dtype"].matches);
  EXPECT_EQ(by_path["p.note"].unbound, "read elsewhere");
  EXPECT_EQ(probe_keys().schema().find("router")->choices, kind_names<RouterKind>());
}

TEST(KeyBindings, FillSetsBoundMembersAndKeepsDefaultsOfMissingKeys) {
  Diagnostics d;
  const auto r = resolve(YAML::Load("count: 7\nrouter: round-robin\nlabel: x\ndtype: fp32\nnote: hi\n"),
                         probe_keys().schema(), "p.yaml", d);
  ASSERT_TRUE(d.empty()) << d.format();
  Probe p;
  YAML::Node tree = r.tree;
  tree.remove("on");  // a key whose value had an error is absent: the member keeps its default
  probe_keys().fill(tree, p);
  EXPECT_EQ(p.count, 7);
  EXPECT_DOUBLE_EQ(p.rate_bps, 2e9);  // the resolved schema default
  EXPECT_EQ(p.label, "x");
  EXPECT_EQ(p.router, RouterKind::kRoundRobin);
  EXPECT_TRUE(p.on);
  EXPECT_DOUBLE_EQ(p.bytes, 4);
}

TEST(KeyBindings, EveryBoundExperimentKeyReachesItsMember) {
  // A value other than the default for a sample of keys at every nesting level, through resolve + build_spec.
  const std::string yaml =
      "name: e\nduration: 2h\nseed: 7\n"
      "cluster: {gpu: g, servers: 4, gpus_per_server: 4, scaleup_domain: 4, scaleup_bandwidth: 800Gbps}\n"
      "fabric: {topology: dragonfly, optics: lpo, link: 800Gbps, nics_per_server: 2, dragonfly: {groups: 3}}\n"
      "facility: {pue: 1.3}\n"
      "workload:\n"
      "  training:\n"
      "    - {name: t, model: m, gpus: 8, seq_len: 1024, recompute: full, precision: fp8,\n"
      "       parallelism: {tp: 2, dp: 4, grad_reduce_dtype: fp32, sequence_parallel: false}}\n"
      "  inference:\n"
      "    - {name: s, model: m, router: kv-aware, kv_policy: paged, slo: {ttft: 2s},\n"
      "       speculative: {draft_tokens: 3}, disaggregation: {prefill_replicas: 1, decode_replicas: 1},\n"
      "       arrivals: {kind: gamma, cv: 2, lengths: servegen-deepseek-r1, diurnal_period: 12h}}\n"
      "output: {sample_interval: 5s}\n";
  Diagnostics d;
  const auto r = resolve(YAML::Load(yaml), experiment_schema(), "e.yaml", d);
  ASSERT_TRUE(d.empty()) << d.format();
  const ExperimentSpec e = build_spec(r.tree, Catalog{});
  EXPECT_EQ(e.seed, 7u);
  EXPECT_DOUBLE_EQ(e.duration_s, 7200);
  EXPECT_EQ(e.cluster.gpus_per_server, 4);
  EXPECT_DOUBLE_EQ(e.cluster.scaleup_bandwidth_bps, 800e9);
  EXPECT_EQ(e.fabric.topology, TopologyKind::kDragonfly);
  EXPECT_EQ(e.fabric.optics, OpticsKind::kLpo);
  EXPECT_EQ(e.fabric.nics_per_server, 2);
  EXPECT_EQ(e.fabric.dragonfly.groups, 3);
  EXPECT_DOUBLE_EQ(e.facility.pue, 1.3);
  ASSERT_EQ(e.training.size(), 1u);
  EXPECT_EQ(e.training[0].tp, 2);
  EXPECT_EQ(e.training[0].dp, 4);
  EXPECT_DOUBLE_EQ(e.training[0].grad_reduce_bytes, 4);
  EXPECT_FALSE(e.training[0].sequence_parallel);
  EXPECT_EQ(e.training[0].recompute, Recompute::kFull);
  EXPECT_EQ(e.training[0].precision, Precision::kFp8);
  ASSERT_EQ(e.inference.size(), 1u);
  const auto& s = e.inference[0];
  EXPECT_EQ(s.router, RouterKind::kKvAware);
  EXPECT_EQ(s.kv_policy, KvPolicy::kPaged);
  EXPECT_DOUBLE_EQ(s.slo_ttft_s, 2);
  EXPECT_EQ(s.speculative_draft_tokens, 3);
  EXPECT_EQ(s.prefill_replicas, 1);
  EXPECT_EQ(s.arrivals.kind, ArrivalKind::kGamma);
  EXPECT_DOUBLE_EQ(s.arrivals.cv, 2);
  EXPECT_EQ(s.arrivals.lengths, LengthDistribution::kServegenDeepseekR1);
  EXPECT_DOUBLE_EQ(s.arrivals.diurnal_period_s, 43200);
  EXPECT_DOUBLE_EQ(e.output.sample_interval_s, 5);
  EXPECT_EQ(e.output.path, "results/e.h5");  // derived
}

TEST(KeyBindings, DerivedValuesComeFromTheCatalog) {
  Catalog c;
  AcceleratorSpec g;
  g.name = "g";
  g.default_server = "box";
  g.scaleup_domain = 16;
  g.scaleup_bandwidth_Bps = 100e9;
  c.accelerators["g"] = g;
  ServerSpec box;
  box.gpus = 4;
  c.servers["box"] = box;
  Diagnostics d;
  const auto r =
      resolve(YAML::Load("name: e\nduration: 1h\ncluster: {gpu: g, servers: 8}\n"), experiment_schema(), "e.yaml", d);
  ASSERT_TRUE(d.empty()) << d.format();
  const ExperimentSpec e = build_spec(r.tree, c);
  EXPECT_EQ(e.cluster.server, "box");
  EXPECT_EQ(e.cluster.gpus_per_server, 4);
  EXPECT_EQ(e.cluster.scaleup_domain, 16);
  EXPECT_DOUBLE_EQ(e.cluster.scaleup_bandwidth_bps, 800e9);
  EXPECT_EQ(e.fabric.nics_per_server, 4);
  EXPECT_EQ(e.sweep.output_dir, "results/e-sweep");
}
