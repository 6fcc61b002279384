#include "sim/config/spec_builder.hpp"

#include <string>

#include "common/units.hpp"
#include "sim/config/batch_rule.hpp"
#include "sim/config/experiment_keys.hpp"

namespace clustersim {

namespace {

// Every member is filled from its key by the bindings (experiment_schema.cpp); what follows are the values
// derived from others and from the catalog, where a key's "0" or "" says so.

void derive_cluster(ClusterSpec& c, FabricSpec& f, const Catalog& catalog) {
  auto gpu = catalog.accelerators.find(c.gpu);
  if (c.server.empty() && gpu != catalog.accelerators.end()) c.server = gpu->second.default_server;
  auto server = catalog.servers.find(c.server);
  if (c.gpus_per_server == 0 && server != catalog.servers.end()) c.gpus_per_server = server->second.gpus;
  if (gpu != catalog.accelerators.end()) {
    if (c.scaleup_domain == 0) c.scaleup_domain = gpu->second.scaleup_domain;
    if (c.scaleup_bandwidth_bps == 0) c.scaleup_bandwidth_bps = bits_per_s(gpu->second.scaleup_bandwidth_Bps);
  }
  if (c.scaleup_domain == 0) c.scaleup_domain = c.gpus_per_server;
  if (f.nics_per_server == 0) f.nics_per_server = c.gpus_per_server;
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
  return e;
}

}  // namespace clustersim
