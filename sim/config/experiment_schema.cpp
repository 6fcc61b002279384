#include "sim/config/catalog_loader.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/config/field_builders.hpp"

namespace clustersim {

using namespace fields;

namespace {

const std::vector<std::string> kPrecisions = {"bf16", "fp8", "fp4"};

Schema cluster_schema() {
  return {"cluster",
          {required(text("gpu", "", "accelerator catalog name")),
           text("server", "\"\"", "server catalog name; \"\" = the accelerator's default_server"),
           required(integer("servers", "", 1, 1e6, "number of servers")),
           integer("gpus_per_server", "0", 0, 1024, "0 = the server entry's gpus")}};
}

Schema fabric_schema() {
  return {"fabric",
          {choice("topology", "fat-tree", {"fat-tree"}, "network topology"),
           integer("tiers", "2", 2, 3, "switch tiers of the fat tree"),
           quantity("link", Quantity::kBandwidth, "400Gbps", 0, "bandwidth per NIC and switch port", true),
           integer("nics_per_server", "0", 0, 1024, "0 = gpus_per_server"),
           text("nic", "\"\"", "NIC catalog name; \"\" = chosen by link speed"),
           text("switch", "\"\"", "switch catalog name; \"\" = chosen by link speed"),
           integer("radix", "0", 0, 1e6, "switch ports; 0 = from the switch model"),
           oversubscription("oversubscription", "1:1", 64, "leaf down:up bandwidth ratio"),
           oversubscription("spine_oversubscription", "1:1", 64, "spine down:up ratio (3 tiers)"),
           choice("optics", "pluggable", {"pluggable", "lpo", "cpo", "dac"}, "optical module kind"),
           quantity("hop_latency", Quantity::kTime, "1us", 0, "latency per switch hop")}};
}

Schema facility_schema() { return {"facility", {number("pue", "1.2", 1.0, 3.0, "power usage effectiveness")}}; }

Schema parallelism_schema() {
  return {"parallelism",
          {integer("tp", "1", 1, 1e6, "tensor-parallel degree"), integer("pp", "1", 1, 1e6, "pipeline stages"),
           integer("dp", "1", 1, 1e9, "data-parallel replicas")}};
}

Schema training_schema(const Schema* parallelism) {
  return {"training job",
          {required(text("name", "", "job name, unique among jobs and services")),
           required(text("model", "", "model catalog name")),
           required(integer("gpus", "", 1, 1e9, "GPUs of the job = tp x pp x dp")),
           nested("parallelism", FieldKind::kMap, parallelism, "tp, pp, dp degrees"),
           choice("precision", "bf16", kPrecisions, "compute precision"),
           integer("micro_batch", "1", 1, 1e6, "sequences per micro-batch"),
           integer("global_batch", "0", 0, 1e9, "sequences per step; 0 = from tokens_per_step"),
           quantity("tokens_per_step", Quantity::kCount, "0", 0, "tokens per step (4M); 0 = from global_batch"),
           integer("seq_len", "0", 0, 1e9, "tokens per sequence; 0 = the model's seq_len"),
           choice("recompute", "none", {"none", "selective", "full"}, "activation recomputation"),
           quantity("start", Quantity::kTime, "0s", 0, "start time"),
           integer("steps", "0", 0, 1e12, "steps to run; 0 = until the end"),
           integer("detailed_steps", "3", 1, 1000, "steps simulated flow by flow")}};
}

Schema arrivals_schema() {
  return {"arrivals",
          {choice("kind", "poisson", {"poisson", "trace"}, "request arrival process"),
           number("rate", "1", 0, kInf, "mean requests per second (poisson)", true),
           number("input_tokens", "1024", 0, kInf, "mean prompt tokens (poisson)", true),
           number("output_tokens", "256", 0, kInf, "mean generated tokens (poisson)", true),
           choice("lengths", "exponential", {"fixed", "exponential"}, "token length distribution (poisson)"),
           text("trace", "\"\"", "azure-conv | azure-code | path to a CSV (kind: trace)"),
           number("scale", "1", 0, kInf, "arrival rate multiplier (trace)", true)}};
}

Schema inference_schema(const Schema* arrivals) {
  return {"inference service",
          {required(text("name", "", "service name, unique among jobs and services")),
           required(text("model", "", "model catalog name")),
           integer("replicas", "1", 1, 1e9, "model replicas"),
           integer("tp", "1", 1, 1e6, "tensor-parallel GPUs per replica"),
           choice("precision", "bf16", kPrecisions, "compute precision"),
           integer("max_batch", "256", 1, 1e9, "sequences decoded together"),
           integer("max_batch_tokens", "8192", 1, 1e12, "token budget per iteration"),
           choice("router", "least-loaded", {"round-robin", "least-loaded"}, "request router"),
           quantity("start", Quantity::kTime, "0s", 0, "start time"),
           nested("arrivals", FieldKind::kMap, arrivals, "request arrivals")}};
}

}  // namespace

const Schema& experiment_schema() {
  static const Schema cluster = cluster_schema();
  static const Schema fabric = fabric_schema();
  static const Schema facility = facility_schema();
  static const Schema parallelism = parallelism_schema();
  static const Schema training = training_schema(&parallelism);
  static const Schema arrivals = arrivals_schema();
  static const Schema inference = inference_schema(&arrivals);
  static const Schema workload{
      "workload",
      {nested("training", FieldKind::kListOfMaps, &training, "training jobs"),
       nested("inference", FieldKind::kListOfMaps, &inference, "inference services")}};
  static const Schema output{
      "output",
      {text("path", "\"\"", "results file; \"\" = results/<name>.h5"),
       quantity("sample_interval", Quantity::kTime, "1s", 0, "power time-series sampling period", true)}};
  static const Schema sweep{
      "sweep",
      {any("grid", "{}", "dotted key -> list of values; cartesian product, last axis fastest"),
       text("output_dir", "\"\"", "\"\" = results/<name>-sweep")}};
  static const Schema root{
      "experiment",
      {required(text("name", "", "experiment name")), text("description", "\"\"", "free text"),
       integer("seed", "42", 0, 9.2e18, "random seed"),
       required(quantity("duration", Quantity::kTime, "", 0, "simulated time", true)),
       string_list("catalog_files", "extra catalog files, relative to the experiment file"),
       nested("catalog", FieldKind::kMap, &catalog_schema(), "inline catalog entries (add or override)"),
       required(nested("cluster", FieldKind::kMap, &cluster, "the servers and their accelerators")),
       nested("fabric", FieldKind::kMap, &fabric, "the scale-out network"),
       nested("facility", FieldKind::kMap, &facility, "the data center around the IT load"),
       nested("workload", FieldKind::kMap, &workload, "training jobs and inference services"),
       nested("output", FieldKind::kMap, &output, "results"), nested("sweep", FieldKind::kMap, &sweep, "parameter sweep")}};
  return root;
}

}  // namespace clustersim
