// Typed result rows: the column tables, the row <-> column conversion, the HDF5 round trip through the same
// tables, the metric-name checks, and the terminal summary reading the rows.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "sim/output/summary_printer.hpp"
#include "sim/results/results.hpp"

namespace fs = std::filesystem;

namespace clustersim {
namespace {

/// Every column table: names unique, members unique, units set for numbers ("1" for counts, "" for strings),
/// a long_name on each.
template <class Row>
void expect_well_formed(const RowTable<Row>& t) {
  std::set<std::string> names;
  for (const auto& c : t.columns) {
    EXPECT_TRUE(names.insert(c.name).second) << t.group << ": duplicate column " << c.name;
    EXPECT_FALSE(c.long_name.empty()) << t.group << "." << c.name;
    if (std::holds_alternative<std::string Row::*>(c.member))
      EXPECT_EQ(c.units, "") << t.group << "." << c.name;
    else if (std::holds_alternative<int64_t Row::*>(c.member))
      EXPECT_EQ(c.units, "1") << t.group << "." << c.name;
    else
      EXPECT_FALSE(c.units.empty()) << t.group << "." << c.name;
  }
  for (size_t i = 0; i < t.columns.size(); ++i)
    for (size_t j = i + 1; j < t.columns.size(); ++j)
      EXPECT_FALSE(t.columns[i].member == t.columns[j].member)
          << t.group << ": " << t.columns[i].name << " and " << t.columns[j].name << " share a member";
}

TEST(ResultRows, ColumnTablesAreWellFormed) {
  expect_well_formed(job_table());
  expect_well_formed(service_table());
  expect_well_formed(service_sample_table());
  expect_well_formed(switch_tier_table());
  expect_well_formed(link_tier_table());
  expect_well_formed(power_sample_table());
  expect_well_formed(schedule_sample_table());
  expect_well_formed(segment_table());
  std::set<std::string> names;
  const auto& fields = summary_fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    EXPECT_TRUE(names.insert(fields[i].name).second) << fields[i].name;
    for (size_t j = i + 1; j < fields.size(); ++j) EXPECT_FALSE(fields[i].member == fields[j].member) << fields[i].name;
  }
  EXPECT_EQ(summary_fields().size(), sizeof(RunSummary) / sizeof(double));  // every member has its field
}

TEST(ResultRows, FileLayoutIsFixed) {
  // The HDF5 layout is an interface (notebooks, sweeps, validate-models): groups, dimensions, sizes.
  EXPECT_EQ(job_table().group, "jobs");
  EXPECT_EQ(job_table().dimension, "job");
  // 34 + the scheduler's 12 (state .. preemptions) + pool + the failures' 15 (interruptions .. ettr_expected) + the
  // uncertainty band's 2 (step_time_uncertainty, uncertainty_basis)
  EXPECT_EQ(job_table().columns.size(), 65u);
  // 36 + pool, gpu_energy_per_output_token, batch_occupancy, power_mean, the uncertainty bands' 3: appended
  EXPECT_EQ(service_table().columns.size(), 44u);
  EXPECT_EQ(pool_table().dimension, "pool");
  EXPECT_EQ(pool_sample_table().coordinates, "time pool");
  EXPECT_EQ(service_sample_table().coordinates, "time service");
  EXPECT_EQ(power_sample_table().dimension, "time");
  EXPECT_NE(power_sample_table().find("time"), nullptr);  // the time column is the dimension scale
  EXPECT_EQ(schedule_sample_table().dimension, "time");
  // 24 + the facility's 7 (design_it_power .. wue) + the power trace's 11 + the failures' 3 + nic_bandwidth + the
  // costs' 5 + it_power_uncertainty
  EXPECT_EQ(summary_fields().size(), 53u);
  EXPECT_EQ(summary_fields().front().name, "duration");
  EXPECT_EQ(summary_fields()[15].name, "bisection_bandwidth");
  EXPECT_EQ(summary_fields()[21].name, "training_gpu_allocation");
  EXPECT_EQ(summary_fields()[23].name, "power_budget_exceeded");
  EXPECT_EQ(summary_fields()[30].name, "wue");
  EXPECT_EQ(summary_fields()[42].name, "node_power_peak");
  EXPECT_EQ(summary_fields()[45].name, "training_ettr");
  EXPECT_EQ(summary_fields()[46].name, "nic_bandwidth");
  EXPECT_EQ(summary_fields()[51].name, "cost_per_million_tokens");
  EXPECT_EQ(summary_fields().back().name, "it_power_uncertainty");
  EXPECT_EQ(power_sample_table().columns.size(), 14u);  // 7 + the facility's pue .. water_rate, appended
  EXPECT_EQ(power_trace_table().dimension, "time");
}

JobRow sample_job(const std::string& name, double step_s) {
  JobRow j;
  j.name = name;
  j.model = "llama3-70b";
  j.gpus = 1024;
  j.tp = 8;
  j.step_time_s = step_s;
  j.tokens_per_step = 4.0e6;
  j.tokens_per_step_requested = 4.1e6;
  j.tokens_per_s = 4.0e6 / step_s;
  j.mfu = 0.41;
  j.model_flops_per_gpu = 405e12;
  j.memory_per_gpu_bytes = 61.5e9;
  j.energy_per_token_j = 0.25;
  j.tp_comm_time_s = 0.1;
  j.exposed_dp_time_s = 0.2;
  j.exposed_pp_time_s = kMissing;  // no PP across servers
  j.exposed_ep_time_s = 0.05;
  j.bubble_time_s = 0.3;
  return j;
}

RunRecord sample_record() {
  RunRecord r;
  r.summary.duration_s = 3600;
  r.summary.servers = 128;
  r.summary.gpus = 1024;
  r.summary.it_power_mean_w = 1.2e6;
  r.summary.it_power_peak_w = 1.4e6;
  r.summary.facility_power_mean_w = 1.44e6;
  r.summary.facility_power_peak_w = 1.68e6;
  r.summary.gpu_power_mean_w = 7e5;
  r.summary.network_power_w = 5e4;
  r.summary.it_energy_j = 1.2e6 * 3600;
  r.summary.facility_energy_j = 1.44e6 * 3600;
  r.summary.pue = 1.2;
  r.summary.training_tokens_per_s = 1e6;
  r.summary.inference_output_tokens_per_s = 0;
  r.summary.energy_per_token_j = 1.44;
  r.summary.bisection_bandwidth_bps = 4e14;
  r.jobs = {sample_job("pretrain", 2.0), sample_job("ünïcode", 4.0)};
  ServiceRow s;
  s.name = "chat";
  s.model = "llama3-8b";
  s.replicas = 16;
  s.completed = 1234;
  s.output_tokens_per_s = 5.5e4;
  s.ttft_p50_s = 0.05;
  s.ttft_p99_s = kMissing;
  s.energy_per_output_token_j = 0.3;
  r.services = {s};
  r.service_samples = {{0.0, "chat", 1, 2, 0.5}, {1.0, "chat", 0, 3, 0.25}};
  r.switch_tiers = {{"leaf", 8, 512, 12000.0}};
  r.link_tiers = {{"server-leaf", 1024, 4e11, 2048, 30000.0}};
  r.power_samples = {{0.0, 1.0e6, 1.2e6, 6e5, 3e5, 5e4, 0.4}, {60.0, 1.1e6, 1.32e6, 7e5, 3e5, 5e4, 0.5}};
  r.schedule_samples = {{0.0, 3.0, 2.0, 64.0, 1.5e5}, {60.0, 2.5, 3.0, 96.0, 2.0e5}};
  r.segments = {{"a", 0.0, 600.0, 480.0, 1.25, 0.2, 0, 0}, {"a", 600.0, 900.0, 200.0, 1.5, 0, 1, 2}};
  return r;
}

/// Same value, NaN equal to NaN.
bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

template <class Row>
void expect_same_rows(const RowTable<Row>& t, const std::vector<Row>& a, const std::vector<Row>& b) {
  ASSERT_EQ(a.size(), b.size()) << t.group;
  for (size_t i = 0; i < a.size(); ++i)
    for (const auto& c : t.columns)
      std::visit(
          [&](auto m) {
            if constexpr (std::is_same_v<decltype(m), double Row::*>)
              EXPECT_TRUE(same(a[i].*m, b[i].*m)) << t.group << "." << c.name << "[" << i << "]";
            else
              EXPECT_EQ(a[i].*m, b[i].*m) << t.group << "." << c.name << "[" << i << "]";
          },
          c.member);
}

TEST(ResultRows, ToTableGivesOneTypedColumnPerEntryAndRowsComeBack) {
  const RunRecord r = sample_record();
  const TableResult t = to_table(job_table(), r.jobs);
  EXPECT_EQ(t.group, "jobs");
  ASSERT_EQ(t.columns.size(), job_table().columns.size());
  EXPECT_EQ(t.columns[0].name, "name");
  EXPECT_EQ(std::get<std::vector<std::string>>(t.columns[0].values), (std::vector<std::string>{"pretrain", "ünïcode"}));
  EXPECT_EQ(std::get<std::vector<int64_t>>(t.columns[2].values), (std::vector<int64_t>{1024, 1024}));
  EXPECT_EQ(t.columns[6].name, "step_time");
  EXPECT_EQ(t.columns[6].units, "s");
  EXPECT_EQ(std::get<std::vector<double>>(t.columns[6].values), (std::vector<double>{2.0, 4.0}));
  expect_same_rows(job_table(), rows_from_table(job_table(), t), r.jobs);
}

TEST(ResultRows, RowsFromTableRejectsMissingOrMistypedColumns) {
  TableResult t = to_table(switch_tier_table(), sample_record().switch_tiers);
  TableResult missing = t;
  missing.columns.pop_back();
  EXPECT_THROW(rows_from_table(switch_tier_table(), missing), std::runtime_error);
  TableResult mistyped = t;
  mistyped.columns[1].values = std::vector<double>{8.0};  // switches is an int64 column
  EXPECT_THROW(rows_from_table(switch_tier_table(), mistyped), std::runtime_error);
}

TEST(ResultRows, RecordTablesComeInFileOrder) {
  const auto tables = record_tables(sample_record());
  std::vector<std::string> groups;
  for (const auto& t : tables) groups.push_back(t.group);
  EXPECT_EQ(groups, (std::vector<std::string>{"jobs", "services", "service_timeseries", "fabric_switches",
                                              "fabric_links", "timeseries", "schedule", "segments", "pools",
                                              "pool_timeseries", "power_trace", "failures"}));
  const auto scalars = record_scalars(sample_record());
  ASSERT_EQ(scalars.size(), summary_fields().size());
  EXPECT_EQ(scalars[11].name, "pue");
  EXPECT_EQ(scalars[11].value, 1.2);
}

TEST(ResultRows, GroupNamesComeFromTheColumnTables) {
  const RecordGroupNames jobs = record_group_names("jobs");
  EXPECT_TRUE(jobs.known);
  EXPECT_NE(std::find(jobs.names.begin(), jobs.names.end(), "mfu"), jobs.names.end());
  EXPECT_NE(std::find(jobs.names.begin(), jobs.names.end(), "job"), jobs.names.end());  // the dimension index
  EXPECT_TRUE(record_group_names("summary").known);
  EXPECT_FALSE(record_group_names("runs").known);  // a sweep's table: not checked
}

class ResultRowsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "clustersim-rows-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }

  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_F(ResultRowsFile, RecordRoundTripsThroughTheColumnTables) {
  RunResults out;
  out.string_attrs["experiment"] = "rows";
  out.record = sample_record();
  const std::string path = (dir_ / "run.h5").string();
  write_results_h5(out, path);
  const RunRecord in = read_run_record_h5(path);
  for (const auto& f : summary_fields())
    EXPECT_TRUE(same(in.summary.*f.member, out.record->summary.*f.member)) << f.name;
  expect_same_rows(job_table(), in.jobs, out.record->jobs);
  expect_same_rows(service_table(), in.services, out.record->services);
  expect_same_rows(service_sample_table(), in.service_samples, out.record->service_samples);
  expect_same_rows(switch_tier_table(), in.switch_tiers, out.record->switch_tiers);
  expect_same_rows(link_tier_table(), in.link_tiers, out.record->link_tiers);
  expect_same_rows(power_sample_table(), in.power_samples, out.record->power_samples);
  expect_same_rows(schedule_sample_table(), in.schedule_samples, out.record->schedule_samples);
  expect_same_rows(segment_table(), in.segments, out.record->segments);
  // Single values read the same datasets.
  EXPECT_EQ(read_metric_h5(path, "jobs.step_time", 1), 4.0);
  EXPECT_EQ(read_metric_h5(path, "summary.pue"), 1.2);
  EXPECT_EQ(read_metric_h5(path, "timeseries.facility_power", 1), 1.32e6);
}

TEST_F(ResultRowsFile, UnknownMetricNameSaysWhatItMeant) {
  RunResults out;
  out.record = sample_record();
  const std::string path = (dir_ / "run.h5").string();
  write_results_h5(out, path);
  try {
    read_metric_h5(path, "jobs.step_tme");
    FAIL() << "a misspelt column must throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'step_time'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_metric_h5(path, "summary.facility_enrgy"), std::runtime_error);
}

TEST(ResultRows, TerminalSummaryReadsTheRows) {
  RunResults r;
  r.string_attrs = {{"tool_version", "9.9"}, {"experiment", "rows"}};
  r.record = sample_record();
  const std::string text = format_run_summary(r);
  EXPECT_NE(text.find("clustersim 9.9 — experiment 'rows'"), std::string::npos) << text;
  EXPECT_NE(text.find("1024 GPUs on 128 servers"), std::string::npos) << text;
  EXPECT_NE(text.find("at PUE 1.20"), std::string::npos) << text;
  // pretrain: exposed comm = TP 100 ms + DP 200 ms + EP 50 ms (PP NaN skipped) = 350 ms; step 2000 ms.
  EXPECT_NE(text.find("2000.0 ms"), std::string::npos) << text;
  EXPECT_NE(text.find("350.0 ms"), std::string::npos) << text;
  EXPECT_NE(text.find("note: pretrain trains 4.00M tokens per step: tokens_per_step 4.10M"), std::string::npos) << text;
  EXPECT_NE(text.find("chat"), std::string::npos) << text;
  // A results object without a record (a merged sweep) prints the header only.
  r.record.reset();
  EXPECT_EQ(format_run_summary(r), "clustersim 9.9 — experiment 'rows'\n");
}

}  // namespace
}  // namespace clustersim
