#include "sim/setup/run_budget.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <map>
#include <sstream>

#include "common/units.hpp"
#include "models/inference/arrivals.hpp"
#include "sim/input/trace_reader.hpp"

namespace clustersim {

namespace {

// Costs per item, measured with /usr/bin/time on this build (Release, g++ 12, one core) and rounded up:
// - servers: a run of 16,384 servers (3-tier fat-tree, radix 128, one small service) 128 MB, 9 s; of 32,768
//   servers 210 MB, 99 s: about 5.2 KB per server, and a time that grows at least with the square of the
//   servers (SimGrid's name lookups while the platform is built);
// - requests: 240,000 Poisson requests, 4 replicas: 0.8 s, 22 MB above 48,000 requests: about 100 B and 3.5
// us
//   each (2.5x margin on memory for the sorted latency copies of the results);
// - power samples: 7 columns, vectors grown by doubling, copied once for the results file.
constexpr double kBaseBytes = 64e6;                // the process, the catalog, SimGrid
constexpr double kBytesPerServer = 6e3;            // fabric graph, SimGrid host, its links and routes
constexpr double kSecondsPerServerSquared = 1e-7;  // platform build
constexpr double kBytesPerTrainingServer = 64e3;   // one actor per server (stack pages touched) and its flows
constexpr double kBytesPerReplica = 64e3;          // a detailed replica's actor, scheduler, prefix cache
constexpr double kBytesPerRequest = 256;           // RequestArrival + ServingRequest + results
constexpr double kSecondsPerRequest = 4e-6;
constexpr double kBytesPerPrefixBlock = 8;      // a prompt block hash, twice (arrival, prefix cache)
constexpr double kBytesPerSample = 256;         // power time series per sample
constexpr double kBytesPerServiceSample = 128;  // per inference service per sample
constexpr double kSecondsPerSample = 1e-6;
// Training jobs of job streams: a finished job keeps its record (layout, estimate, segments, results row); the
// actors of running jobs are bounded by the servers. Measured: experiments/cluster-month-100k.yaml, 95,462 jobs
// beside two streamed services, 3.73 GB peak (under 40 KB a job with everything else counted to them); its
// first day's streams alone on its 12,500 servers took 1.2 s for 1,056 jobs and 1,342 runs (about 1 ms each,
// taken with margin on the time).
constexpr double kBytesPerStreamJob = 48e3;
constexpr double kArrivalWindowS = 86400;          // sim/engine/service_builder: arrivals drawn a day at a time
constexpr double kExactQuantileValues = 16777216;  // QuantileSketch's exact phase (common/statistics.hpp)
constexpr double kBytesPerDrawnArrival = 48;       // an autoscaled service's drawn arrivals before thinning
constexpr double kSecondsPerStreamJob = 5e-3;

double g_max_memory_bytes = -1;  // < 0: not set in this process
double g_max_work_seconds = -1;

std::string seconds_text(double s) {
  std::ostringstream o;
  o.precision(3);
  if (s >= 3600)
    o << s / 3600 << " h";
  else if (s >= 60)
    o << s / 60 << " min";
  else
    o << s << " s";
  return o.str();
}

std::string bytes_text(double bytes) {
  std::ostringstream o;
  o.precision(3);
  if (bytes >= 1e15)
    o << std::fixed << std::setprecision(0) << bytes / 1e12 << " TB";
  else if (bytes >= 1e12)
    o << bytes / 1e12 << " TB";
  else if (bytes >= 1e9)
    o << bytes / 1e9 << " GB";
  else
    o << bytes / 1e6 << " MB";
  return o.str();
}

std::string count_text(double n) {
  std::ostringstream o;
  o.precision(3);
  o << n;
  return o.str();
}

/// A memory size for the hint: the estimate rounded up to a whole number of GB (or TB).
std::string limit_suggestion(double bytes) {
  if (!(bytes < 1e18)) return "(no limit is that large)";
  if (bytes >= 1e13) return std::to_string(static_cast<long long>(std::ceil(bytes / 1e12))) + "TB";
  return std::to_string(static_cast<long long>(std::ceil(bytes / 1e9))) + "GB";
}

/// A work limit for the hint: the estimate rounded up to whole hours.
std::string work_suggestion(double seconds) {
  if (!(seconds < 1e15)) return "(no limit is that large)";
  return std::to_string(static_cast<long long>(std::ceil(seconds / 3600))) + "h";
}

/// What a trace replays, read once per process (sweeps validate the same trace for every point).
struct TraceInfo {
  Diagnostics diags;  ///< its bad rows (empty when it reads)
  double requests = 0;
  double period_s = 0;     ///< replay period at scale 1: span + mean gap
  double mean_blocks = 0;  ///< prompt blocks per request (Mooncake hash_ids)
};

const TraceInfo& trace_info(const std::string& path) {
  static std::map<std::string, TraceInfo> cache;
  auto it = cache.find(path);
  if (it != cache.end()) return it->second;
  TraceInfo info;
  try {
    const auto rows = read_trace(path);
    info.requests = static_cast<double>(rows.size());
    info.period_s = info.requests / replay_rate_per_s(rows, 1.0);
    double blocks = 0;
    for (const auto& r : rows) blocks += static_cast<double>(r.prefix_blocks.size());
    info.mean_blocks = blocks / std::max(1.0, info.requests);
  } catch (const ConfigError& e) {
    info.diags = e.diagnostics();
  }
  return cache.emplace(path, std::move(info)).first->second;
}

}  // namespace

namespace {

/// A limit: set in this process (>= 0), else from the environment variable `env` when it parses, else `fallback`.
double limit(double set, const char* env, bool (*parse)(const std::string&, double&, std::string&), double fallback) {
  if (set >= 0) return set;
  double value = 0;
  std::string error;
  const char* text = std::getenv(env);
  return text != nullptr && parse(text, value, error) ? value : fallback;
}

}  // namespace

double max_memory_bytes() {
  return limit(g_max_memory_bytes, "CLUSTERSIM_MAX_MEMORY", parse_memory_size, kDefaultMaxMemoryBytes);
}

void set_max_memory_bytes(double bytes) {
  g_max_memory_bytes = bytes;
  setenv("CLUSTERSIM_MAX_MEMORY", (format_number(bytes) + "B").c_str(), 1);
}

double max_work_seconds() {
  return limit(g_max_work_seconds, "CLUSTERSIM_MAX_WORK", parse_work_limit, kDefaultMaxWorkSeconds);
}

void set_max_work_seconds(double seconds) {
  g_max_work_seconds = seconds;
  setenv("CLUSTERSIM_MAX_WORK", (format_number(seconds) + "s").c_str(), 1);
}

bool parse_work_limit(const std::string& text, double& seconds, std::string& error) {
  const ParsedQuantity q = parse_quantity(text, Quantity::kTime);
  if (!q.ok || !std::isfinite(q.value) || q.value <= 0) {
    error = (q.ok ? "'" + text + "' is not a duration > 0" : q.error) + " (give a duration such as 4h or 90min)";
    return false;
  }
  seconds = q.value;
  return true;
}

bool parse_memory_size(const std::string& text, double& bytes, std::string& error) {
  const ParsedQuantity q = parse_quantity(text, Quantity::kData);
  if (!q.ok || !std::isfinite(q.value) || q.value <= 0) {
    error = (q.ok ? "'" + text + "' is not a size > 0" : q.error) + " (give a size such as 16GB)";
    return false;
  }
  bytes = q.value;
  return true;
}

bool apply_budget_flags(const std::string& max_memory, const std::string& max_work, std::string& error) {
  double v = 0;
  if (!max_memory.empty()) {
    if (!parse_memory_size(max_memory, v, error)) return error = "--max-memory " + max_memory + ": " + error, false;
    set_max_memory_bytes(v);
  }
  if (!max_work.empty()) {
    if (!parse_work_limit(max_work, v, error)) return error = "--max-work " + max_work + ": " + error, false;
    set_max_work_seconds(v);
  }
  return true;
}

std::vector<BudgetItem> estimate_run(const ExperimentSpec& spec, const std::vector<double>& trace_rates) {
  std::vector<BudgetItem> items;
  const double duration = std::max(0.0, spec.duration_s);
  items.push_back({"", "the process, catalog and SimGrid", kBaseBytes, 0, ""});

  const double servers = std::max(0, spec.cluster.servers);
  items.push_back({"cluster.servers", count_text(servers) + " servers (fabric graph and SimGrid platform)",
                   servers * kBytesPerServer, servers * servers * kSecondsPerServerSquared,
                   "use fewer servers (cluster.servers)"});

  const double samples = spec.output.sample_interval_s > 0 ? duration / spec.output.sample_interval_s : 0;
  items.push_back({"output.sample_interval",
                   count_text(samples) + " time-series samples (duration / output.sample_interval) x " +
                       std::to_string(spec.inference.size()) + " services",
                   samples * (kBytesPerSample + kBytesPerServiceSample * spec.inference.size()),
                   samples * kSecondsPerSample * (1 + spec.inference.size()),
                   "lengthen output.sample_interval or shorten duration"});

  const double gpus_per_server = std::max(1, spec.cluster.gpus_per_server);
  for (size_t j = 0; j < spec.training.size(); ++j) {
    const double job_servers = std::ceil(std::max(0, spec.training[j].gpus) / gpus_per_server);
    const std::string key = "workload.training[" + std::to_string(j) + "].gpus";
    items.push_back({key, count_text(job_servers) + " servers of training job '" + spec.training[j].name + "'",
                     job_servers * kBytesPerTrainingServer, 0, "use fewer GPUs (" + key + ")"});
  }

  for (size_t i = 0; i < spec.training_streams.size(); ++i) {
    const TrainingStreamSpec& s = spec.training_streams[i];
    const std::string path = "workload.job_streams[" + std::to_string(i) + "]";
    // Drawn: the expected submits in the run; a trace: its cap (its rows are counted when it is read).
    double jobs = s.trace.empty() && s.interarrival_s > 0 ? std::max(0.0, duration - s.start_s) / s.interarrival_s : 0;
    if (s.jobs > 0) jobs = s.trace.empty() ? std::min(jobs, static_cast<double>(s.jobs)) : s.jobs;
    items.push_back({s.trace.empty() ? path + ".interarrival" : path + ".jobs",
                     count_text(jobs) + " training jobs of job stream '" + s.name + "'", jobs * kBytesPerStreamJob,
                     jobs * kSecondsPerStreamJob,
                     "submit fewer jobs (" + path + ".interarrival or " + path + ".jobs)"});
  }

  for (size_t i = 0; i < spec.inference.size(); ++i) {
    const InferenceServiceSpec& s = spec.inference[i];
    const ArrivalSpec& a = s.arrivals;
    const std::string path = "workload.inference[" + std::to_string(i) + "]";
    const double replicas = std::max(1, s.replicas);
    const double detailed = s.detailed_replicas > 0 ? std::min<double>(s.detailed_replicas, replicas) : replicas;
    double keep = detailed / replicas;
    const double window = std::max(0.0, duration - std::max(0.0, s.start_s));
    // Autoscaled: the detailed replicas see the fleet's rate over the replicas it runs, at least min_replicas;
    // their arrivals are drawn (each window) at detailed / min_replicas before thinning.
    const double fleet_rate = a.kind == ArrivalKind::kTrace ? (i < trace_rates.size() ? trace_rates[i] : 0)
                                                            : std::max(0.0, a.rate_per_s * a.scale);
    double drawn_keep = 0;
    if (s.autoscaled() && s.autoscale_target_rate > 0) {
      keep = detailed / std::max<double>(s.autoscale_min_replicas, fleet_rate / s.autoscale_target_rate);
      drawn_keep = detailed / std::max(1, s.autoscale_min_replicas);
    }
    double requests = 0, blocks = 0;
    std::string key, hint;
    if (a.kind == ArrivalKind::kBatch) {
      requests = std::max(0, a.requests) * keep;
      key = path + ".arrivals.requests";
      hint = "send fewer requests (" + key + ")";
    } else if (a.kind == ArrivalKind::kTrace) {
      const double rate = i < trace_rates.size() ? trace_rates[i] : 0;
      requests = rate * window * keep;
      if (rate > 0 && a.trace.size()) blocks = trace_info(a.trace).mean_blocks;
      key = path + ".arrivals.scale";
      hint = "lower " + key + " or shorten duration";
    } else {
      requests = std::max(0.0, a.rate_per_s * a.scale) * window * keep;
      key = path + ".arrivals.rate";
      hint = "lower " + key + " or shorten duration";
    }
    if (detailed > 1 && s.detailed_replicas != 1)
      hint += ", or simulate fewer replicas in detail (" + path + ".detailed_replicas)";
    // Streamed (output.request_records): a day's arrivals at a time, a request freed once done; the latency
    // quantiles keep up to kExactQuantileValues values each. Kept: every request to the end.
    const bool streamed =
        !s.disaggregated() && (spec.output.request_records == RequestRecords::kStreamed ||
                               (spec.output.request_records == RequestRecords::kAuto && window > kArrivalWindowS));
    const double held = streamed ? std::min(requests, requests * kArrivalWindowS / std::max(1.0, window)) : requests;
    const double latencies = streamed ? std::min(requests, kExactQuantileValues) * 3 * sizeof(double) : 0;
    // The drawn arrivals of a window live while the service is built, before its requests grow.
    const double drawn = drawn_keep * fleet_rate * std::min(window, kArrivalWindowS) * kBytesPerDrawnArrival;
    items.push_back({key,
                     count_text(requests) + " requests of service '" + s.name + "' for " + count_text(detailed) +
                         " detailed replicas" + (streamed ? " (streamed)" : ""),
                     std::max(held * (kBytesPerRequest + kBytesPerPrefixBlock * blocks), drawn) + latencies +
                         detailed * kBytesPerReplica,
                     requests * kSecondsPerRequest, hint});
  }
  return items;
}

bool check_run_budget(const ExperimentSpec& spec, const ResolvedConfig& resolved, Diagnostics& diags) {
  std::vector<double> trace_rates(spec.inference.size(), 0.0);
  for (size_t i = 0; i < spec.inference.size(); ++i) {
    const ArrivalSpec& a = spec.inference[i].arrivals;
    const std::string path = "workload.inference[" + std::to_string(i) + "].arrivals";
    if (a.kind == ArrivalKind::kTrace) {
      if (a.trace.empty() || !std::filesystem::is_regular_file(a.trace)) continue;  // reported by the loader
      const TraceInfo& info = trace_info(a.trace);
      for (Diagnostic d : info.diags.items()) {
        d.key_path = path + ".trace";
        diags.add(d);
      }
      if (info.diags.empty() && info.period_s > 0) trace_rates[i] = info.requests / info.period_s * a.scale;
      continue;
    }
    for (const auto& [name, value] :
         {std::pair<const char*, double>{"input_tokens", a.input_tokens}, {"output_tokens", a.output_tokens}}) {
      const std::string key = path + "." + name;
      if (!(value <= kMaxRequestTokens))
        diags.add(resolved.location_of(key), key,
                  count_text(value) + " tokens is more than a request can have (" + count_text(kMaxRequestTokens) + ")",
                  "give a mean length in tokens, e.g. 1024");
    }
  }

  auto items = estimate_run(spec, trace_rates);
  // Memory first, then work: one diagnostic, at the key of the largest item of the limit exceeded.
  for (const bool memory : {true, false}) {
    auto amount = [memory](const BudgetItem& item) { return memory ? item.bytes : item.seconds; };
    std::stable_sort(items.begin(), items.end(),
                     [&](const BudgetItem& x, const BudgetItem& y) { return amount(x) > amount(y); });
    double total = 0;
    for (const auto& item : items) total += amount(item);
    const double limit = memory ? max_memory_bytes() : max_work_seconds();
    if (total <= limit) continue;
    auto text = [memory](double v) { return memory ? bytes_text(v) : seconds_text(v); };
    std::string detail;
    for (size_t k = 0; k < items.size() && k < 3; ++k)
      if (amount(items[k]) > 0.01 * total)
        detail += (detail.empty() ? "" : "; ") + items[k].what + ": " + text(amount(items[k]));
    const BudgetItem& top = items.front();
    diags.add(
        resolved.location_of(top.key), top.key,
        std::string("the run would need about ") + text(total) + (memory ? " of memory" : " of work (wall time)") +
            ", above the limit of " + text(limit) + " (" + detail + ")",
        top.hint + (top.hint.empty() ? "raise the limit with " : ", or raise the limit with ") +
            (memory ? "--max-memory " + limit_suggestion(total * 1.1) : "--max-work " + work_suggestion(total * 1.1)));
    return false;
  }
  return true;
}

}  // namespace clustersim
