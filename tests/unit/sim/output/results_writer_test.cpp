#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/results/results.hpp"

namespace fs = std::filesystem;
using clustersim::ColumnResult;
using clustersim::RunResults;
using clustersim::TableResult;

namespace {

/// A small run: 2 summary scalars, a 3-row "jobs" table with strings, an empty "services" table.
RunResults sample_results() {
  RunResults r;
  r.string_attrs = {{"tool_version", "0.1.0"}, {"git_commit", "abc123"}, {"config_yaml", "experiment: {}\n"}};
  r.numeric_attrs = {{"seed", 42.0}, {"wall_time_s", 1.5}};
  r.summary = {{"makespan", 3600.0, "s", "Simulated makespan"}, {"facility_energy", 7.2e9, "J", "Facility energy"}};
  TableResult jobs{"jobs", "job", {}, "name"};
  jobs.columns.push_back({"name", "", "Job name", std::vector<std::string>{"pretrain", "finetune", "ünïcode"}});
  jobs.columns.push_back({"gpus", "1", "GPUs", std::vector<int64_t>{1024, 64, 8}});
  jobs.columns.push_back({"tokens_per_s", "token/s", "Training throughput", std::vector<double>{1.5e6, 2.5e5, 0.5}});
  TableResult services{"services", "service", {}, ""};
  services.columns.push_back({"name", "", "Service name", std::vector<std::string>{}});
  services.columns.push_back({"output_tokens_per_s", "token/s", "Output throughput", std::vector<double>{}});
  r.tables = {jobs, services};
  return r;
}

std::string read_str_attr(hid_t obj, const char* name) {
  hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
  EXPECT_GE(attr, 0) << name;
  hid_t type = H5Aget_type(attr);
  EXPECT_EQ(H5Tget_class(type), H5T_STRING);
  EXPECT_GT(H5Tis_variable_str(type), 0) << name << " must be a variable-length string";
  EXPECT_EQ(H5Tget_cset(type), H5T_CSET_UTF8) << name;
  char* ptr = nullptr;
  EXPECT_GE(H5Aread(attr, type, &ptr), 0);
  std::string value = ptr ? ptr : "";
  H5free_memory(ptr);
  H5Tclose(type);
  H5Aclose(attr);
  return value;
}

double read_num_attr(hid_t obj, const char* name) {
  hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
  EXPECT_GE(attr, 0) << name;
  double value = -1;
  EXPECT_GE(H5Aread(attr, H5T_NATIVE_DOUBLE, &value), 0);
  H5Aclose(attr);
  return value;
}

hsize_t length_of(hid_t ds) {
  hid_t space = H5Dget_space(ds);
  EXPECT_EQ(H5Sget_simple_extent_ndims(space), 1);
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space, &n, nullptr);
  H5Sclose(space);
  return n;
}

class ResultsWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "clustersim-results-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  /// Every entry of the directory whose name ends with ".tmp".
  std::vector<std::string> temporaries(const fs::path& dir) const {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".tmp") found.push_back(e.path().filename().string());
    return found;
  }
  fs::path dir_;
};

TEST_F(ResultsWriterTest, RootAttributesAndSummaryReadBackThroughCApi) {
  std::string path = (dir_ / "sub" / "run-000000.h5").string();  // "sub" does not exist yet
  clustersim::write_results_h5(sample_results(), path);
  EXPECT_TRUE(fs::exists(path));
  EXPECT_THAT(temporaries(dir_ / "sub"), ::testing::IsEmpty());

  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  EXPECT_EQ(read_str_attr(file, "schema"), "clustersim.run/1");  // default added by the writer
  EXPECT_EQ(read_str_attr(file, "git_commit"), "abc123");
  EXPECT_EQ(read_str_attr(file, "config_yaml"), "experiment: {}\n");
  EXPECT_EQ(read_num_attr(file, "seed"), 42.0);

  hid_t ds = H5Dopen2(file, "/summary/facility_energy", H5P_DEFAULT);
  ASSERT_GE(ds, 0);
  hid_t space = H5Dget_space(ds);
  EXPECT_EQ(H5Sget_simple_extent_type(space), H5S_SCALAR);  // 0-D dataset
  H5Sclose(space);
  hid_t type = H5Dget_type(ds);
  EXPECT_EQ(H5Tget_class(type), H5T_FLOAT);
  EXPECT_EQ(H5Tget_size(type), 8u);  // float64
  H5Tclose(type);
  double value = 0;
  ASSERT_GE(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value), 0);
  EXPECT_EQ(value, 7.2e9);
  EXPECT_EQ(read_str_attr(ds, "units"), "J");
  EXPECT_EQ(read_str_attr(ds, "long_name"), "Facility energy");
  H5Dclose(ds);
  H5Fclose(file);
}

TEST_F(ResultsWriterTest, TableColumnsShareAnAttachedDimensionScale) {
  std::string path = (dir_ / "run.h5").string();
  clustersim::write_results_h5(sample_results(), path);
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);

  // The scale "job" is an int64 index 0..2 (3 rows).
  hid_t scale = H5Dopen2(file, "/jobs/job", H5P_DEFAULT);
  ASSERT_GE(scale, 0);
  EXPECT_GT(H5DSis_scale(scale), 0);
  int64_t index[3] = {-1, -1, -1};
  ASSERT_GE(H5Dread(scale, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, index), 0);
  EXPECT_THAT(index, ::testing::ElementsAre(0, 1, 2));

  hid_t gpus = H5Dopen2(file, "/jobs/gpus", H5P_DEFAULT);
  hid_t gpus_type = H5Dget_type(gpus);
  EXPECT_EQ(H5Tget_class(gpus_type), H5T_INTEGER);
  EXPECT_EQ(H5Tget_size(gpus_type), 8u);  // int64
  H5Tclose(gpus_type);
  int64_t gpu_counts[3] = {};
  ASSERT_GE(H5Dread(gpus, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, gpu_counts), 0);
  EXPECT_THAT(gpu_counts, ::testing::ElementsAre(1024, 64, 8));
  EXPECT_GT(H5DSis_attached(gpus, scale, 0), 0);
  EXPECT_EQ(read_str_attr(gpus, "coordinates"), "name");  // "name" is the only listed coordinate

  hid_t tps = H5Dopen2(file, "/jobs/tokens_per_s", H5P_DEFAULT);
  double throughput[3] = {};
  ASSERT_GE(H5Dread(tps, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, throughput), 0);
  EXPECT_THAT(throughput, ::testing::ElementsAre(1.5e6, 2.5e5, 0.5));
  EXPECT_EQ(read_str_attr(tps, "units"), "count/s");  // CF: UDUNITS-2 spelling
  EXPECT_EQ(read_str_attr(tps, "clustersim_units"), "token/s");
  EXPECT_EQ(read_str_attr(tps, "long_name"), "Training throughput");
  EXPECT_GT(H5DSis_attached(tps, scale, 0), 0);
  // Numeric columns are chunked (chunk = n = 3) and deflated.
  hid_t dcpl = H5Dget_create_plist(tps);
  EXPECT_EQ(H5Pget_layout(dcpl), H5D_CHUNKED);
  hsize_t chunk = 0;
  H5Pget_chunk(dcpl, 1, &chunk);
  EXPECT_EQ(chunk, 3u);
  EXPECT_EQ(H5Pget_nfilters(dcpl), 2);  // shuffle + deflate
  H5Pclose(dcpl);

  hid_t names = H5Dopen2(file, "/jobs/name", H5P_DEFAULT);
  hid_t str_type = H5Dget_type(names);
  EXPECT_GT(H5Tis_variable_str(str_type), 0);
  EXPECT_EQ(H5Tget_cset(str_type), H5T_CSET_UTF8);
  char* strings[3] = {};
  ASSERT_GE(H5Dread(names, str_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, strings), 0);
  EXPECT_STREQ(strings[0], "pretrain");
  EXPECT_STREQ(strings[2], "ünïcode");
  for (char* s : strings) H5free_memory(s);
  H5Tclose(str_type);
  EXPECT_GT(H5DSis_attached(names, scale, 0), 0);
  EXPECT_LE(H5Aexists(names, "coordinates"), 0);  // a listed coordinate carries no coordinates attribute
  EXPECT_LE(H5Aexists(names, "units"), 0);        // CF: text has no units

  for (hid_t id : {scale, gpus, tps, names}) H5Dclose(id);
  H5Fclose(file);
}

TEST_F(ResultsWriterTest, EmptyTableHasZeroLengthAttachedColumns) {
  std::string path = (dir_ / "run.h5").string();
  clustersim::write_results_h5(sample_results(), path);
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  hid_t scale = H5Dopen2(file, "/services/service", H5P_DEFAULT);
  ASSERT_GE(scale, 0);
  EXPECT_EQ(length_of(scale), 0u);
  for (const char* name : {"/services/name", "/services/output_tokens_per_s"}) {
    hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    ASSERT_GE(ds, 0) << name;
    EXPECT_EQ(length_of(ds), 0u) << name;
    EXPECT_GT(H5DSis_attached(ds, scale, 0), 0) << name;
    H5Dclose(ds);
  }
  H5Dclose(scale);
  H5Fclose(file);
}

// A column named like the dimension ("time", in s) is itself the dimension scale (a netCDF
// coordinate variable) instead of an int64 index.
TEST_F(ResultsWriterTest, ColumnNamedLikeTheDimensionIsTheScale) {
  RunResults r;
  TableResult ts{"timeseries", "time", {}, ""};
  ts.columns.push_back({"time", "s", "Sample start", std::vector<double>{0.0, 60.0}});
  ts.columns.push_back({"it_power", "W", "IT power", std::vector<double>{1e6, 2e6}});
  r.tables = {ts};
  std::string path = (dir_ / "ts.h5").string();
  clustersim::write_results_h5(r, path);
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  hid_t time = H5Dopen2(file, "/timeseries/time", H5P_DEFAULT);
  hid_t power = H5Dopen2(file, "/timeseries/it_power", H5P_DEFAULT);
  EXPECT_GT(H5DSis_scale(time), 0);
  EXPECT_GT(H5DSis_attached(power, time, 0), 0);
  double t[2] = {-1, -1};
  ASSERT_GE(H5Dread(time, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t), 0);
  EXPECT_THAT(t, ::testing::ElementsAre(0.0, 60.0));
  EXPECT_EQ(read_str_attr(time, "units"), "s");
  H5Dclose(time);
  H5Dclose(power);
  H5Fclose(file);
}

// Tier names ("leaf", "spine") as a string coordinate variable: xarray reads it with both engines.
TEST_F(ResultsWriterTest, StringColumnNamedLikeTheDimensionIsTheScale) {
  RunResults r;
  TableResult inv{"inventory", "tier", {}, ""};
  inv.columns.push_back({"switches", "1", "Switches", std::vector<int64_t>{512, 64}});
  inv.columns.push_back({"tier", "", "Network tier", std::vector<std::string>{"leaf", "spine"}});
  r.tables = {inv};
  std::string path = (dir_ / "inv.h5").string();
  clustersim::write_results_h5(r, path);
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  hid_t tier = H5Dopen2(file, "/inventory/tier", H5P_DEFAULT);
  hid_t switches = H5Dopen2(file, "/inventory/switches", H5P_DEFAULT);
  EXPECT_GT(H5DSis_scale(tier), 0);
  EXPECT_GT(H5DSis_attached(switches, tier, 0), 0);
  EXPECT_EQ(length_of(tier), 2u);
  H5Dclose(tier);
  H5Dclose(switches);
  H5Fclose(file);
}

TEST_F(ResultsWriterTest, SummaryAndStringAttributesReadBack) {
  std::string path = (dir_ / "run.h5").string();
  RunResults in = sample_results();
  in.string_attrs["schema"] = "clustersim.sweep/1";  // an explicit schema replaces the default
  clustersim::write_results_h5(in, path);
  RunResults out = clustersim::read_results_summary_h5(path);
  EXPECT_EQ(out.string_attrs.at("Conventions"), "CF-1.10");  // added by the writer
  out.string_attrs.erase("Conventions");
  EXPECT_EQ(out.string_attrs, in.string_attrs);
  EXPECT_EQ(out.numeric_attrs, in.numeric_attrs);
  ASSERT_EQ(out.summary.size(), 2u);
  EXPECT_EQ(out.summary[0].name, "makespan");  // creation order, not name order
  EXPECT_EQ(out.summary[0].value, 3600.0);
  EXPECT_EQ(out.summary[0].units, "s");
  EXPECT_EQ(out.summary[1].name, "facility_energy");
  EXPECT_EQ(out.summary[1].long_name, "Facility energy");
  EXPECT_TRUE(out.tables.empty());
}

TEST_F(ResultsWriterTest, UnwritableRootLeavesNothing) {
  EXPECT_THROW(clustersim::write_results_h5(sample_results(), "/proc/nope/x.h5"), std::runtime_error);
  EXPECT_FALSE(fs::exists("/proc/nope/x.h5"));
  EXPECT_FALSE(fs::exists("/proc/nope/.x.h5.tmp"));
}

TEST_F(ResultsWriterTest, ParentThatIsAFileLeavesNothing) {
  std::ofstream(dir_ / "blocker") << "not a directory";
  EXPECT_THROW(clustersim::write_results_h5(sample_results(), (dir_ / "blocker" / "x.h5").string()),
               std::runtime_error);
  EXPECT_THAT(temporaries(dir_), ::testing::IsEmpty());
  EXPECT_TRUE(fs::is_regular_file(dir_ / "blocker"));
}

// The temporary is fully written, then the rename onto an existing directory fails: the
// temporary must be removed and the directory left alone.
TEST_F(ResultsWriterTest, FailedRenameRemovesTheTemporary) {
  fs::create_directory(dir_ / "taken.h5");
  EXPECT_THROW(clustersim::write_results_h5(sample_results(), (dir_ / "taken.h5").string()), std::runtime_error);
  EXPECT_THAT(temporaries(dir_), ::testing::IsEmpty());
  EXPECT_TRUE(fs::is_directory(dir_ / "taken.h5"));
}

// Failing half-way through the HDF5 content (ragged table) keeps the previous file intact.
TEST_F(ResultsWriterTest, FailedWriteKeepsThePreviousFile) {
  std::string path = (dir_ / "run.h5").string();
  clustersim::write_results_h5(sample_results(), path);
  RunResults bad = sample_results();
  bad.summary[0].value = 1.0;
  bad.tables[0].columns[1].values = std::vector<int64_t>{1, 2};  // 2 rows where "name" has 3
  try {
    clustersim::write_results_h5(bad, path);
    FAIL() << "a ragged table must be rejected";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("'gpus'"));
  }
  EXPECT_THAT(temporaries(dir_), ::testing::IsEmpty());
  EXPECT_EQ(clustersim::read_results_summary_h5(path).summary[0].value, 3600.0);  // the old makespan
}

TEST_F(ResultsWriterTest, ReadingAMissingFileNamesIt) {
  try {
    clustersim::read_results_summary_h5((dir_ / "missing.h5").string());
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("missing.h5"));
  }
}

}  // namespace
