#include "sim/cli/describe.hpp"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <sstream>
#include <vector>

#include "common/units.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/config/schema.hpp"
#include "topologies/topology_registry.hpp"

namespace clustersim {

namespace {

std::string bw(double bps) { return format_quantity(bps, Quantity::kBandwidth); }
std::string w(double watts) { return format_quantity(watts, Quantity::kPower); }

std::string gpus(const Catalog& c) {
  std::string s = fmt::format("{:<15} {:>10} {:>10} {:>10} {:>7} {:>10} {:>7} {:>6} {:>11} {:>6}\n", "accelerator",
                              "BF16", "FP8", "FP4", "HBM", "HBM BW", "TDP", "idle", "scale-up", "domain");
  s += fmt::format("{:<15} {:>10} {:>10} {:>10} {:>7} {:>10} {:>7} {:>6} {:>11} {:>6}\n", "", "TFLOP/s", "TFLOP/s",
                   "TFLOP/s", "GB", "TB/s", "W", "W", "GB/s/dir", "GPUs");
  for (const auto& [name, a] : c.accelerators)
    s +=
        fmt::format("{:<15} {:>10.0f} {:>10.0f} {:>10.0f} {:>7.0f} {:>10.2f} {:>7.0f} {:>6.0f} {:>11.0f} {:>6}\n", name,
                    a.peak_bf16_flops / 1e12, a.peak_fp8_flops / 1e12, a.peak_fp4_flops / 1e12, a.hbm_bytes / 1e9,
                    a.hbm_bandwidth_Bps / 1e12, a.tdp_w, a.idle_w, a.scaleup_bandwidth_Bps / 1e9, a.scaleup_domain);
  s += "\nsources:\n";
  for (const auto& [name, a] : c.accelerators) s += fmt::format("  {}: {}\n", name, a.source);
  return s;
}

std::string servers(const Catalog& c) {
  std::string s = fmt::format("{:<20} {:>5} {:>14} {:>14} {:>22}  source\n", "server", "GPUs", "overhead idle",
                              "overhead max", "NIC host slot");
  for (const auto& [name, v] : c.servers) {
    const double host_bps = nic_host_bandwidth_bps(v, c);
    const std::string slot = host_bps > 0 ? fmt::format("{} x{} {}", v.nic_pcie, v.nic_pcie_lanes, bw(host_bps))
                                          : std::string("on the chip");
    s += fmt::format("{:<20} {:>5} {:>14} {:>14} {:>22}  {}\n", name, v.gpus, w(v.overhead_idle_w), w(v.overhead_max_w),
                     slot, v.source);
  }
  return s;
}

std::string engines(const Catalog& c) {
  std::string s = fmt::format("{:<10} {:>14} {:>19}  source\n", "engine", "step overhead", "collective latency");
  for (const auto& [name, v] : c.engines)
    s += fmt::format("{:<10} {:>14} {:>19}  {}\n", name, format_quantity(v.step_overhead_s, Quantity::kTime),
                     format_quantity(v.collective_latency_s, Quantity::kTime), v.source);
  return s;
}

std::string software(const Catalog& c) {
  const auto shown = [](const std::string& v) { return v.empty() ? std::string("-") : v; };
  std::string s = fmt::format("{:<16} {:>6} {:>6} {:>9} {:>10} {:>9} {:>6}  description\n", "software", "flash", "SP",
                              "dist.opt", "overlap DP", "overlap TP", "grads");
  for (const auto& [name, v] : c.software)
    s += fmt::format("{:<16} {:>6} {:>6} {:>9} {:>10} {:>9} {:>6}  {}\n", name, shown(v.flash_attention),
                     shown(v.sequence_parallel), shown(v.distributed_optimizer), shown(v.overlap_grad_reduce),
                     shown(v.overlap_tp_comm), shown(v.grad_reduce_dtype), v.description);
  return s + "(- = the profile leaves the key to the experiment; sources: data/catalog/software.yaml)\n";
}

std::string pcie(const Catalog& c) {
  std::string s = fmt::format("{:<8} {:>14} {:>10} {:>12}  source\n", "pcie", "lane", "efficiency", "x16 usable");
  for (const auto& [name, v] : c.pcie)
    s += fmt::format("{:<8} {:>14} {:>10.2f} {:>12}  {}\n", name, bw(v.lane_bandwidth_bps), v.efficiency,
                     bw(v.usable_bps(16)), v.source);
  return s;
}

std::string nics(const Catalog& c) {
  std::string s = fmt::format("{:<20} {:>14} {:>8}  source\n", "nic", "bandwidth", "power");
  for (const auto& [name, v] : c.nics)
    s += fmt::format("{:<20} {:>14} {:>8}  {}\n", name, bw(v.bandwidth_bps), w(v.power_w), v.source);
  return s;
}

std::string switches(const Catalog& c) {
  std::string s =
      fmt::format("{:<24} {:>6} {:>14} {:>9} {:>8}  source\n", "switch", "radix", "port speed", "chassis", "per port");
  for (const auto& [name, v] : c.switches)
    s += fmt::format("{:<24} {:>6} {:>14} {:>9} {:>8}  {}\n", name, v.radix, bw(v.port_bandwidth_bps), w(v.chassis_w),
                     w(v.port_w), v.source);
  return s;
}

std::string transceivers(const Catalog& c) {
  std::string s = fmt::format("{:<22} {:>14} {:>10} {:>8}  source\n", "transceiver", "bandwidth", "kind", "power");
  for (const auto& [name, v] : c.transceivers)
    s += fmt::format("{:<22} {:>14} {:>10} {:>8}  {}\n", name, bw(v.bandwidth_bps), v.kind, w(v.power_w), v.source);
  return s;
}

std::string models(const Catalog& c) {
  // attention: "mla 512+64" (latent + RoPE key cached per layer) or "gqa 8x128" / "mha 96x128" (KV heads x head size);
  // kv: the cache per token of context, all layers, BF16.
  std::string s =
      fmt::format("{:<24} {:>6} {:>7} {:>7} {:>6} {:>11} {:>9} {:>7} {:>7} {:>9} {:>9}\n", "model", "layers", "hidden",
                  "ffn", "heads", "attention", "kv B/tok", "vocab", "experts", "params", "active");
  for (const auto& [name, m] : c.models) {
    const std::string attention =
        m.mla() ? fmt::format("mla {}+{}", m.kv_lora_rank, m.rope_dim)
                : fmt::format("{} {}x{:g}", m.kv_heads < m.heads ? "gqa" : "mha", m.kv_heads, m.head_size());
    s += fmt::format("{:<24} {:>6} {:>7} {:>7} {:>6} {:>11} {:>9.0f} {:>7} {:>7} {:>8.1f}B {:>8.1f}B\n", name, m.layers,
                     m.hidden, m.ffn_hidden, m.heads, attention, m.kv_bytes_per_token(2), m.vocab, m.experts,
                     m.params() / 1e9, m.active_params() / 1e9);
  }
  return s;
}

std::string calibration(const Catalog& c) {
  std::string s = fmt::format("{:<28} {:>10}  {:<34} source\n", "constant", "value", "per accelerator");
  for (const CalibrationKey& k : calibration_keys()) {
    std::string per_gpu;
    const auto values = c.calibration.by_gpu.find(k.key);
    if (values != c.calibration.by_gpu.end())
      for (const auto& [gpu, v] : values->second)
        per_gpu += (per_gpu.empty() ? "" : ", ") + gpu + " " + format_number(v);
    const auto source = c.calibration.sources.find(k.key);
    s += fmt::format("{:<28} {:>10}  {:<34} {}\n", k.key, format_number(c.calibration.*k.member),
                     per_gpu.empty() ? "-" : per_gpu, source == c.calibration.sources.end() ? "" : source->second);
  }
  return s;
}

/// `items` joined by ", " in lines of at most `width` characters (a longer item alone on its line).
std::vector<std::string> wrap_list(const std::vector<std::string>& items, size_t width) {
  std::vector<std::string> lines(1);
  for (const std::string& item : items) {
    if (!lines.back().empty() && lines.back().size() + 2 + item.size() > width) {
      lines.back() += ",";
      lines.emplace_back();
    }
    lines.back() += (lines.back().empty() ? "" : ", ") + item;
  }
  return lines;
}

/// The registry's topologies: name, description and the keys of its own.
std::string topologies(const Catalog&) {
  std::string s;
  for (const auto& t : clustersim::topologies().all()) {
    std::vector<std::string> lines;
    std::istringstream description(t->description());
    for (std::string line; std::getline(description, line);) lines.push_back(line);
    const std::vector<std::string> keys = wrap_list(t->keys(), 90);
    for (size_t i = 0; i < keys.size(); ++i) lines.push_back((i == 0 ? "keys: " : "      ") + keys[i]);
    for (size_t i = 0; i < lines.size(); ++i) s += fmt::format("{:<16}{}\n", i == 0 ? t->name() : "", lines[i]);
  }
  s += "every topology reads fabric.link, fabric.nics_per_server, fabric.switch / fabric.radix, fabric.optics\n"
       "scale-up domains: cluster.scaleup_domain GPUs (NVLink/UB) share cluster.scaleup_bandwidth\n"
       "`clustersim describe-fabric EXP.yaml` prints a fabric's inventory, power and bisection\n";
  return s;
}

std::string keys(const Catalog&) { return describe_schema(experiment_schema()); }

const std::map<std::string, std::pair<std::string, std::function<std::string(const Catalog&)>>>& topics() {
  static const std::map<std::string, std::pair<std::string, std::function<std::string(const Catalog&)>>> t = {
      {"gpus", {"accelerators: peak FLOP/s per precision, HBM, power, scale-up", gpus}},
      {"servers", {"servers: non-GPU power at idle and at full load, NIC host slot", servers}},
      {"nics", {"network interface cards", nics}},
      {"pcie", {"PCIe generations of the NICs' host slots: usable bandwidth per lane", pcie}},
      {"engines", {"serving engines' profiles: step overhead, collective latency", engines}},
      {"software",
       {"training software profiles (workload.training[].software): the settings of a framework generation", software}},
      {"switches", {"switch models: radix, port speed, power", switches}},
      {"transceivers", {"optics and cables by speed and kind, power per link end", transceivers}},
      {"models", {"LLM architectures", models}},
      {"calibration", {"calibration constants and their sources", calibration}},
      {"topologies", {"fabric topologies and their keys", topologies}},
      {"keys", {"every experiment key: kind, unit, default, range, doc", keys}},
  };
  return t;
}

}  // namespace

std::string describe_topics_help() {
  std::string s = "one of:";
  for (const auto& [k, v] : topics()) s += " " + k;
  return s;
}

std::string describe_topic(const std::string& topic, const std::string& prefix) {
  if (topic == "keys" && !prefix.empty()) {  // the keys under a dotted prefix (`describe keys fabric`)
    std::istringstream all(keys(Catalog{}));
    std::string s, line;
    while (std::getline(all, line))
      if (line.rfind(prefix, 0) == 0) s += line + "\n";
    if (s.empty()) {
      Diagnostics d;
      d.add({"describe keys", 0, 0}, "", "no experiment key starts with '" + prefix + "'",
            "top-level sections: name, seed, duration, cluster, fabric, facility, workload, scheduler, failures, "
            "storage, output, sweep, catalog");
      throw ConfigError(d);
    }
    return s;
  }
  if (topic.empty()) {
    std::string s = "clustersim describe TOPIC, where TOPIC is:\n";
    for (const auto& [k, v] : topics()) s += fmt::format("  {:<14} {}\n", k, v.first);
    return s;
  }
  const auto it = topics().find(topic);
  if (it == topics().end()) {
    std::vector<std::string> names;
    for (const auto& [k, v] : topics()) names.push_back(k);
    Diagnostics d;
    d.add({"describe", 0, 0}, "", "unknown topic '" + topic + "'", did_you_mean(topic, names));
    throw ConfigError(d);
  }
  return it->second.second(load_catalog());
}

}  // namespace clustersim
