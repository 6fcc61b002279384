#include "sim/config/catalog_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/units.hpp"
#include "common/version.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/config/yaml_source.hpp"

namespace clustersim {

namespace fs = std::filesystem;

namespace {

std::string join(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

// The schema of the entries of `section` (named sections) or of entry `name` (calibration).
const Schema* entry_schema(const Field& section, const std::string& name) {
  if (section.kind == FieldKind::kNamedMaps) return section.schema;
  const Field* f = section.schema->find(name);
  return f == nullptr ? nullptr : f->schema;
}

double get_double(const YAML::Node& entry, const char* key) {
  const YAML::Node n = yaml_child(entry, key);
  return n.IsScalar() ? n.as<double>() : 0.0;
}

int get_int(const YAML::Node& entry, const char* key, int fallback) {
  const YAML::Node n = yaml_child(entry, key);
  return n.IsScalar() ? n.as<int>() : fallback;
}

std::string get_string(const YAML::Node& entry, const char* key) {
  const YAML::Node n = yaml_child(entry, key);
  return n.IsScalar() ? n.Scalar() : std::string();
}

using Entries = std::map<std::string, YAML::Node>;

template <typename T, typename Fill>
void build_section(const std::map<std::string, Entries>& merged, const char* section, std::map<std::string, T>& out,
                   Fill fill) {
  const auto entries = merged.find(section);
  if (entries == merged.end()) return;
  for (const auto& [name, entry] : entries->second) {
    T spec;
    spec.name = name;
    fill(entry, spec);
    spec.source = get_string(entry, "source");
    out.emplace_hint(out.end(), name, spec);  // both maps are sorted by name
  }
}

}  // namespace

namespace {

/// The data directory and where it came from (resolved at each call: tests change the environment).
std::pair<std::string, std::string> resolved_data_dir() {
  const char* env = std::getenv("CLUSTERSIM_DATA_DIR");
  if (env != nullptr && *env != '\0') return {env, "CLUSTERSIM_DATA_DIR"};
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "clustersim" / "data";
    if (fs::is_directory(installed, ec)) return {installed.string(), "the installation"};
  }
  return {std::string(kSourceDir) + "/data", "the build's source tree"};
}

}  // namespace

std::string data_dir() { return resolved_data_dir().first; }

std::string data_dir_origin() { return resolved_data_dir().second; }

bool check_data_dir(Diagnostics& diags, bool need_catalog) {
  const auto [dir, from] = resolved_data_dir();
  std::error_code ec;
  const std::string hint =
      "point CLUSTERSIM_DATA_DIR at the data/ folder of a clustersim checkout or installation (it holds catalog/, "
      "traces/ and validation/)";
  if (!fs::is_directory(dir, ec)) {
    diags.add({dir, 0, 0}, "", "the data directory '" + dir + "' (from " + from + ") does not exist", hint);
    return false;
  }
  if (need_catalog && !fs::is_directory(fs::path(dir) / "catalog", ec)) {
    diags.add({dir, 0, 0}, "", "the data directory '" + dir + "' (from " + from + ") has no catalog/ folder", hint);
    return false;
  }
  return true;
}

std::vector<std::string> shipped_catalog_files() {
  std::vector<std::string> files;
  std::error_code ec;
  const fs::path dir = fs::path(data_dir()) / "catalog";
  if (!fs::is_directory(dir, ec)) return files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

void CatalogBuilder::add_file(const std::string& path, Diagnostics& diags) {
  YAML::Node root;
  std::string text;
  if (!load_yaml_file(path, "cannot read catalog file", root, text, diags)) return;
  const ResolvedConfig resolved = resolve(root, catalog_schema(), path, diags);
  merge(resolved.tree, resolved, "", diags);
}

void CatalogBuilder::merge(const YAML::Node& catalog_tree, const ResolvedConfig& where, const std::string& prefix,
                           Diagnostics& diags) {
  for (const auto& section : catalog_schema().fields) {
    const YAML::Node entries = yaml_child(catalog_tree, section.name);
    if (!entries.IsMap()) continue;
    Entries& merged = merged_[section.name];  // a std::map: YAML maps look names up linearly (O(n^2) merges)
    for (auto it = entries.begin(); it != entries.end(); ++it) {
      const std::string name = it->first.Scalar();
      const std::string key = section.name + "." + name;
      const std::string source_path = join(prefix, key);
      auto existing = merged.find(name);
      if (existing == merged.end()) {
        // A new entry: every required field, then the defaults.
        YAML::Node entry = YAML::Clone(it->second);
        const Schema* schema = entry_schema(section, name);
        if (schema != nullptr) complete_defaults(entry, *schema, where.location_of(source_path), source_path, diags);
        merged.emplace(name, entry);
        locations_[key] = where.location_of(source_path);
        for (auto f = it->second.begin(); f != it->second.end(); ++f)
          locations_[key + "." + f->first.Scalar()] = where.location_of(source_path + "." + f->first.Scalar());
        continue;
      }
      YAML::Node entry = existing->second;
      for (auto f = it->second.begin(); f != it->second.end(); ++f) {
        const std::string field = f->first.Scalar();
        entry[field] = YAML::Clone(f->second);
        locations_[key + "." + field] = where.location_of(source_path + "." + field);
      }
    }
  }
}

Catalog CatalogBuilder::build(Diagnostics& diags) const {
  Catalog c;
  const auto& m = merged_;
  build_section(m, "accelerators", c.accelerators, [](const YAML::Node& e, AcceleratorSpec& a) {
    a.vendor = get_string(e, "vendor");
    a.peak_bf16_flops = get_double(e, "peak_bf16");
    a.peak_fp8_flops = get_double(e, "peak_fp8");
    a.peak_fp4_flops = get_double(e, "peak_fp4");
    a.hbm_bytes = get_double(e, "hbm");
    a.hbm_bandwidth_Bps = bytes_per_s(get_double(e, "hbm_bandwidth"));
    a.tdp_w = get_double(e, "tdp");
    a.idle_w = get_double(e, "idle");
    a.scaleup_bandwidth_Bps = bytes_per_s(get_double(e, "scaleup_bandwidth"));
    a.scaleup_domain = get_int(e, "scaleup_domain", 8);
    a.default_server = get_string(e, "default_server");
  });
  build_section(m, "servers", c.servers, [](const YAML::Node& e, ServerSpec& s) {
    s.gpus = get_int(e, "gpus", 8);
    s.overhead_idle_w = get_double(e, "overhead_idle");
    s.overhead_max_w = get_double(e, "overhead_max");
    s.nic_pcie = get_string(e, "nic_pcie");
    s.nic_pcie_lanes = get_int(e, "nic_pcie_lanes", 16);
    s.price_usd = get_double(e, "price");
    s.price_source = get_string(e, "price_source");
  });
  build_section(m, "engines", c.engines, [](const YAML::Node& e, EngineSpec& g) {
    g.step_overhead_s = get_double(e, "step_overhead");
    g.collective_latency_s = get_double(e, "collective_latency");
  });
  build_section(m, "software", c.software, [](const YAML::Node& e, SoftwareSpec& s) {
    for (auto [key, member] : {std::pair{"flash_attention", &SoftwareSpec::flash_attention},
                               {"sequence_parallel", &SoftwareSpec::sequence_parallel},
                               {"distributed_optimizer", &SoftwareSpec::distributed_optimizer},
                               {"overlap_grad_reduce", &SoftwareSpec::overlap_grad_reduce},
                               {"overlap_tp_comm", &SoftwareSpec::overlap_tp_comm},
                               {"grad_reduce_dtype", &SoftwareSpec::grad_reduce_dtype},
                               {"description", &SoftwareSpec::description}})
      s.*member = get_string(e, key);
  });
  build_section(m, "pcie", c.pcie, [](const YAML::Node& e, PcieGenerationSpec& g) {
    g.lane_bandwidth_bps = get_double(e, "lane_bandwidth");
    g.efficiency = get_double(e, "efficiency");
  });
  build_section(m, "nics", c.nics, [](const YAML::Node& e, NicSpec& n) {
    n.bandwidth_bps = get_double(e, "bandwidth");
    n.power_w = get_double(e, "power");
    n.price_usd = get_double(e, "price");
    n.price_source = get_string(e, "price_source");
  });
  build_section(m, "switches", c.switches, [](const YAML::Node& e, SwitchSpec& s) {
    s.radix = get_int(e, "radix", 64);
    s.port_bandwidth_bps = get_double(e, "port_bandwidth");
    s.chassis_w = get_double(e, "chassis");
    s.port_w = get_double(e, "port");
    s.price_usd = get_double(e, "price");
    s.price_source = get_string(e, "price_source");
  });
  build_section(m, "transceivers", c.transceivers, [](const YAML::Node& e, TransceiverSpec& t) {
    t.bandwidth_bps = get_double(e, "bandwidth");
    t.kind = get_string(e, "kind");
    t.power_w = get_double(e, "power");
    t.price_usd = get_double(e, "price");
    t.price_source = get_string(e, "price_source");
  });
  build_section(m, "models", c.models, [](const YAML::Node& e, LlmSpec& l) {
    l.layers = get_int(e, "layers", 0);
    l.hidden = get_int(e, "hidden", 0);
    l.ffn_hidden = get_int(e, "ffn_hidden", 0);
    l.heads = get_int(e, "heads", 0);
    l.kv_heads = get_int(e, "kv_heads", 0);
    l.vocab = get_int(e, "vocab", 0);
    l.seq_len = get_int(e, "seq_len", 4096);
    const YAML::Node gated = yaml_child(e, "gated_ffn");
    l.gated_ffn = gated.IsScalar() ? gated.as<bool>() : true;
    l.experts = get_int(e, "experts", 0);
    l.active_experts = get_int(e, "active_experts", 0);
    l.shared_experts = get_int(e, "shared_experts", 0);
    l.head_dim = get_int(e, "head_dim", 0);
    l.dense_layers = get_int(e, "dense_layers", 0);
    l.dense_ffn_hidden = get_int(e, "dense_ffn_hidden", 0);
    l.q_lora_rank = get_int(e, "q_lora_rank", 0);
    l.kv_lora_rank = get_int(e, "kv_lora_rank", 0);
    l.rope_dim = get_int(e, "rope_dim", 0);
    l.v_head_dim = get_int(e, "v_head_dim", 0);
  });
  const auto calibration = m.find("calibration");
  auto calibrate = [&](const char* key, double& value) {
    if (calibration == m.end()) return;
    const auto found = calibration->second.find(key);
    if (found == calibration->second.end() || !found->second.IsMap()) return;
    const YAML::Node entry = found->second;
    const YAML::Node v = yaml_child(entry, "value");
    if (v.IsScalar()) value = v.as<double>();
    c.calibration.sources[key] = get_string(entry, "source");
    const YAML::Node per_gpu = yaml_child(entry, "by_gpu");
    if (per_gpu.IsMap())
      for (auto g = per_gpu.begin(); g != per_gpu.end(); ++g)
        if (g->second.IsScalar()) c.calibration.by_gpu[key][g->first.Scalar()] = g->second.as<double>();
  };
  for (const CalibrationKey& k : calibration_keys()) calibrate(k.key, c.calibration.*k.member);
  build_section(m, "failure_classes", c.failure_classes, [](const YAML::Node& e, FailureClassSpec& f) {
    f.scope = kind_from_name<FailureScope>(get_string(e, "scope")).value_or(FailureScope::kServer);
    f.rate_per_hour = get_double(e, "rate");
    f.weibull_shape = get_double(e, "weibull_shape");
    f.repair_s = get_double(e, "repair");
  });
  const auto reliability = m.find("reliability");
  for (const ReliabilityKey& k : reliability_keys()) {
    if (reliability == m.end()) break;
    const auto found = reliability->second.find(k.key);
    if (found == reliability->second.end() || !found->second.IsMap()) continue;
    const YAML::Node v = yaml_child(found->second, "value");
    if (v.IsScalar()) c.reliability.*k.member = v.as<double>();
    c.reliability.sources[k.key] = get_string(found->second, "source");
  }

  auto located = [&](const std::string& key) {
    auto loc = locations_.find(key);
    return loc != locations_.end() ? loc->second : SourceLocation{};
  };
  for (const auto& [name, a] : c.accelerators)
    if (a.idle_w > a.tdp_w)
      diags.add(located("accelerators." + name + ".idle"), "accelerators." + name + ".idle",
                "idle power " + format_quantity(a.idle_w, Quantity::kPower) + " is above the tdp " +
                    format_quantity(a.tdp_w, Quantity::kPower),
                "idle <= tdp: the power model interpolates between them");
  for (const auto& [name, s] : c.servers)
    if (s.overhead_idle_w > s.overhead_max_w)
      diags.add(located("servers." + name + ".overhead_idle"), "servers." + name + ".overhead_idle",
                "overhead_idle " + format_quantity(s.overhead_idle_w, Quantity::kPower) + " is above overhead_max " +
                    format_quantity(s.overhead_max_w, Quantity::kPower),
                "overhead_idle <= overhead_max: the power model interpolates between them");
  const auto generations = catalog_names(c.pcie);
  for (const auto& [name, s] : c.servers)
    if (!s.nic_pcie.empty() && !c.pcie.count(s.nic_pcie))
      diags.add(located("servers." + name + ".nic_pcie"), "servers." + name + ".nic_pcie",
                "nic_pcie '" + s.nic_pcie + "' is not a PCIe generation in the catalog (pcie:)",
                did_you_mean(s.nic_pcie, generations));
  const auto servers = catalog_names(c.servers);
  for (const auto& [name, a] : c.accelerators) {
    if (c.servers.count(a.default_server)) continue;
    const std::string key = "accelerators." + name + ".default_server";
    auto loc = locations_.find(key);
    diags.add(loc != locations_.end() ? loc->second : SourceLocation{}, key,
              "default_server '" + a.default_server + "' is not a server in the catalog",
              did_you_mean(a.default_server, servers));
  }
  // Model shapes the formulas of spec/catalog.hpp cannot use: dense layers of a dense model or of no size,
  // all layers dense, MLA without its RoPE key.
  for (const auto& [name, l] : c.models) {
    const std::string key = "models." + name;
    if (l.dense_layers > 0 && (l.experts == 0 || l.dense_layers >= l.layers || l.dense_ffn_hidden <= 0))
      diags.add(located(key + ".dense_layers"), key + ".dense_layers",
                "dense_layers = " + std::to_string(l.dense_layers) +
                    " needs a MoE model (experts > 0), fewer than its " + std::to_string(l.layers) +
                    " layers and a dense_ffn_hidden > 0",
                "dense_layers names the leading layers of a MoE model that keep a dense FFN");
    if ((l.q_lora_rank > 0 || l.rope_dim > 0) && l.kv_lora_rank <= 0) {
      const std::string field = key + (l.rope_dim > 0 ? ".rope_dim" : ".q_lora_rank");
      diags.add(located(field), field,
                "q_lora_rank and rope_dim describe multi-head latent attention, which needs kv_lora_rank > 0",
                "set kv_lora_rank (DeepSeek-V3: 512) or remove q_lora_rank and rope_dim");
    }
  }
  // A per-accelerator calibration value for an accelerator the catalog lacks would be silently unused.
  const auto accelerators = catalog_names(c.accelerators);
  for (const auto& [constant, values] : c.calibration.by_gpu)
    for (const auto& [gpu, value] : values) {
      if (c.accelerators.count(gpu)) continue;
      const std::string key = "calibration." + constant + ".by_gpu";
      diags.add(located(key), key, "'" + gpu + "' is not an accelerator in the catalog",
                did_you_mean(gpu, accelerators));
    }
  return c;
}

Catalog load_catalog(const std::vector<std::string>& extra_files) {
  Diagnostics diags;
  CatalogBuilder builder;
  if (!check_data_dir(diags, true)) throw ConfigError(diags);
  for (const auto& f : shipped_catalog_files()) builder.add_file(f, diags);
  for (const auto& f : extra_files) builder.add_file(f, diags);
  Catalog c = builder.build(diags);
  if (!diags.empty()) throw ConfigError(diags);
  return c;
}

}  // namespace clustersim
