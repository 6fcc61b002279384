#include "sim/config/spec_builder.hpp"

#include <string>

#include "common/units.hpp"
#include "sim/config/batch_rule.hpp"
#include "sim/config/experiment_keys.hpp"

namespace clustersim {

namespace {

// Every member is filled from its key by the bindings (experiment_schema.cpp); what follows are the values
// derived from others and from the catalog, where a key's "0" or "" says so.

/// A server type's derived fields from the catalog: the accelerator's default server, the server's GPUs (where
/// `gpus_per_server` is 0) and NIC host-slot bandwidth, the accelerator's scale-up domain and bandwidth (where 0).
void derive_servers(const std::string& gpu_name, std::string& server_name, int& gpus_per_server, int& scaleup_domain,
                    double& scaleup_bandwidth_bps, double& nic_host_bandwidth_bps, const Catalog& catalog) {
  auto gpu = catalog.accelerators.find(gpu_name);
  if (server_name.empty() && gpu != catalog.accelerators.end()) server_name = gpu->second.default_server;
  auto server = catalog.servers.find(server_name);
  if (gpus_per_server == 0 && server != catalog.servers.end()) gpus_per_server = server->second.gpus;
  if (server != catalog.servers.end())
    nic_host_bandwidth_bps = clustersim::nic_host_bandwidth_bps(server->second, catalog);
  if (gpu != catalog.accelerators.end()) {
    if (scaleup_domain == 0) scaleup_domain = gpu->second.scaleup_domain;
    if (scaleup_bandwidth_bps == 0) scaleup_bandwidth_bps = bits_per_s(gpu->second.scaleup_bandwidth_Bps);
  }
  if (scaleup_domain == 0) scaleup_domain = gpus_per_server;
}

void derive_cluster(ClusterSpec& c, FabricSpec& f, const Catalog& catalog) {
  derive_servers(c.gpu, c.server, c.gpus_per_server, c.scaleup_domain, c.scaleup_bandwidth_bps,
                 c.nic_host_bandwidth_bps, catalog);
  if (f.nics_per_server == 0) f.nics_per_server = c.gpus_per_server;
  for (PoolSpec& p : c.pools)  // a pool's gpus_per_server is its server's (the rules compare it with the cluster's)
    derive_servers(p.gpu, p.server, p.gpus_per_server, p.scaleup_domain, p.scaleup_bandwidth_bps,
                   p.nic_host_bandwidth_bps, catalog);
}

void derive_training(TrainingJobSpec& t, const Catalog& catalog) {
  auto model = catalog.models.find(t.model);
  if (t.seq_len == 0 && model != catalog.models.end()) t.seq_len = model->second.seq_len;
  if (t.global_batch == 0 && t.tokens_per_step_requested > 0) {  // whole micro-batches per replica
    const long long seqs = sequences_from_tokens(t.tokens_per_step_requested, t.seq_len, 1LL * t.dp * t.micro_batch);
    t.global_batch = seqs > 0 ? static_cast<int>(seqs) : 0;  // 0 or -1: check_batch reports it
  }
}

}  // namespace

ExperimentSpec build_spec(const YAML::Node& tree, const Catalog& catalog) {
  ExperimentSpec e;
  experiment_keys().fill(tree, e);
  derive_cluster(e.cluster, e.fabric, catalog);
  for (auto& t : e.training) derive_training(t, catalog);
  if (e.output.path.empty()) e.output.path = "results/" + e.name + ".h5";
  if (e.sweep.output_dir.empty()) e.sweep.output_dir = "results/" + e.name + "-sweep";
  if (e.plan.output_dir.empty()) e.plan.output_dir = "results/" + e.name + "-plan";
  return e;
}

}  // namespace clustersim
