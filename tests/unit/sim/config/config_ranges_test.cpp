// Issues 8 and 17: every number of an experiment or catalog is finite and within a declared range that its
// spec struct holds; removed keys, per-name values, diagnostics at scale and a memory-safety lint.
#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/version.hpp"
#include "sim/config/catalog_loader.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/config/field_builders.hpp"

using namespace clustersim;
using namespace clustersim::fields;
namespace fs = std::filesystem;

namespace {

bool is_number(FieldKind k) {
  return k == FieldKind::kInt || k == FieldKind::kFloat || k == FieldKind::kQuantity ||
         k == FieldKind::kOversubscription;
}

// Every numeric field below `schema`, with its dotted path (named entries as <name>).
void numeric_fields(const Schema& schema, const std::string& prefix, std::vector<std::pair<std::string, Field>>& out,
                    std::set<const Schema*>& seen) {
  if (!seen.insert(&schema).second) return;
  for (const auto& f : schema.fields) {
    const std::string path = prefix.empty() ? f.name : prefix + "." + f.name;
    if (!f.removed.empty()) continue;
    if (is_number(f.kind)) out.emplace_back(path, f);
    if (f.kind == FieldKind::kNamedValues) out.emplace_back(path + ".<name>", *f.item);
    if (f.schema != nullptr) numeric_fields(*f.schema, path, out, seen);
  }
}

std::vector<std::pair<std::string, Field>> all_numeric_fields() {
  std::vector<std::pair<std::string, Field>> out;
  std::set<const Schema*> seen;
  numeric_fields(experiment_schema(), "", out, seen);  // the catalog schema under the inline `catalog:`
  return out;
}

TEST(ConfigRanges, EveryNumberHasAFiniteRangeItsTypeHolds) {
  const auto fields = all_numeric_fields();
  ASSERT_GT(fields.size(), 80u);
  for (const auto& [path, f] : fields) {
    EXPECT_TRUE(std::isfinite(f.min)) << path << ": no finite minimum";
    EXPECT_TRUE(std::isfinite(f.max)) << path << ": no finite maximum";
    EXPECT_LE(f.min, f.max) << path;
    if (f.kind == FieldKind::kInt && !f.wide) {
      // Read into `int` by spec_builder and catalog_loader: the whole range must fit.
      EXPECT_GE(f.min, static_cast<double>(INT_MIN)) << path;
      EXPECT_LE(f.max, static_cast<double>(INT_MAX)) << path << " is read as int but allows " << f.max;
    }
    if (f.kind == FieldKind::kInt && f.wide) {
      EXPECT_LT(f.max, 9.223372036854775807e18) << path;
    }
  }
}

TEST(ConfigRanges, CatalogAndCalibrationFieldsExcludeZeroAndDenormals) {
  // The fields whose 0 or tiny value reached SimGrid as an infinite duration (issue 17).
  const auto fields = all_numeric_fields();
  auto find = [&](const std::string& path) -> const Field& {
    for (const auto& [p, f] : fields)
      if (p == path) return f;
    ADD_FAILURE() << path << " not declared";
    static Field none;
    return none;
  };
  for (const char* key : {"peak_bf16", "hbm", "hbm_bandwidth", "tdp", "scaleup_bandwidth"})
    EXPECT_GE(find(std::string("catalog.accelerators.") + key).min, 1.0) << key;
  EXPECT_GE(find("catalog.nics.bandwidth").min, 1e9);
  EXPECT_GE(find("catalog.switches.port_bandwidth").min, 1e9);
  EXPECT_GE(find("catalog.transceivers.bandwidth").min, 1e9);
  const Field& by_gpu = find("catalog.calibration.matmul_efficiency.by_gpu.<name>");
  const Field& base = find("catalog.calibration.matmul_efficiency.value");
  EXPECT_EQ(by_gpu.min, base.min);
  EXPECT_EQ(by_gpu.max, 1.0);
  EXPECT_TRUE(by_gpu.min_exclusive);
}

// A small schema exercising the generic machinery directly.
struct Schemas {
  Field item = number("v", "", 0, 1, "fraction", true);
  Schema root{
      "root",
      {integer("count", "1", 0, 100, "count"), quantity("speed", Quantity::kBandwidth, "1Gbps", 0, "speed", true, 1e12),
       or_zero(quantity("peak", Quantity::kCompute, "0FLOPS", 1e12, "peak", false, 1e18)),
       named_values("by_name", &item, "per name"), removed("old", "use 'count' instead")}};
};

std::vector<Diagnostic> problems(const std::string& yaml) {
  Schemas s;
  Diagnostics d;
  resolve(YAML::Load(yaml), s.root, "t.yaml", d);
  return d.items();
}

std::string first(const std::string& yaml) {
  const auto p = problems(yaml);
  return p.empty() ? "" : p[0].key_path + ": " + p[0].message + " | " + p[0].hint;
}

TEST(ConfigRanges, NonFiniteAndOverflowingValuesAreRefused) {
  EXPECT_NE(first("speed: 1e300Tbps").find("out of range"), std::string::npos);
  EXPECT_NE(first("speed: .inf").find("speed"), std::string::npos);
  EXPECT_NE(first("speed: 2Tbps").find("above the maximum"), std::string::npos);
  EXPECT_NE(first("count: 3000000000").find("above the maximum 100"), std::string::npos);
  EXPECT_NE(first("count: 99999999999999999999").find("expected an integer"), std::string::npos);
  EXPECT_TRUE(problems("peak: 0FLOPS").empty());
  EXPECT_NE(first("peak: 1e-300FLOPS").find("below the minimum"), std::string::npos);
  EXPECT_NE(first("peak: 1e-300FLOPS").find("0 or 1"), std::string::npos);  // the range says 0 is allowed
}

TEST(ConfigRanges, NamedValuesAreCheckedLikeTheirItem) {
  Schemas s;
  Diagnostics d;
  const auto r = resolve(YAML::Load("by_name:\n  a: 0.5\n  b: 7\n  c: .nan\n"), s.root, "t.yaml", d);
  ASSERT_EQ(d.size(), 2u) << d.format();
  EXPECT_EQ(d.items()[0].key_path, "by_name.b");
  EXPECT_EQ(d.items()[0].location.line, 3);
  EXPECT_EQ(d.items()[0].location.column, 6);
  EXPECT_EQ(d.items()[1].key_path, "by_name.c");
  EXPECT_DOUBLE_EQ(r.tree["by_name"]["a"].as<double>(), 0.5);
  EXPECT_FALSE(r.tree["by_name"]["b"].IsDefined());
  // Emitted and resolved again: the same tree.
  Diagnostics again;
  const auto r2 = resolve(YAML::Load(emit_resolved(r.tree, s.root)), s.root, "t.yaml", again);
  EXPECT_TRUE(again.empty()) << again.format();
  EXPECT_DOUBLE_EQ(r2.tree["by_name"]["a"].as<double>(), 0.5);
}

TEST(ConfigRanges, RemovedKeysAreErrorsWithTheirReason) {
  EXPECT_EQ(first("old: 3"), "old: key 'old' was removed | use 'count' instead");
  Schemas s;
  Diagnostics d;
  const auto r = resolve(YAML::Load("count: 2"), s.root, "t.yaml", d);
  EXPECT_TRUE(d.empty());
  EXPECT_FALSE(r.tree["old"].IsDefined());  // no default filled in
  EXPECT_EQ(describe_schema(s.root).find("old"), std::string::npos);
}

// Issue 17: formatting N diagnostics re-read the source file N times (40,000 unknown keys: 301 s).
TEST(ConfigRanges, ManyDiagnosticsFormatInLinearTime) {
  const fs::path file = fs::path(testing::TempDir()) / "clustersim_many_keys.yaml";
  const int n = 20000;
  {
    std::ofstream out(file);
    for (int i = 0; i < n; ++i) out << "unknown_key_" << i << ": 1\n";
  }
  Diagnostics d;
  for (int i = 0; i < n; ++i)
    d.add({file.string(), i + 1, 1}, "", "unknown key 'unknown_key_" + std::to_string(i) + "'");
  const auto start = std::chrono::steady_clock::now();
  const std::string text = d.format();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(text.find("    unknown_key_19999: 1\n"), std::string::npos);
  EXPECT_NE(text.find("20000 errors, nothing was run."), std::string::npos);
  EXPECT_LT(seconds, 2.0) << n << " diagnostics";
  fs::remove(file);
}

// Issue 17 (ASan stack-use-after-scope on every load): yaml-cpp's `it->first` / `it->second` live in a
// temporary proxy, so a reference bound to them dangles. No such binding may come back in sim/config.
TEST(ConfigRanges, NoReferenceBoundToAYamlIteratorProxy) {
  const std::regex dangling(R"(const\s+YAML::Node\s*&\s*\w+\s*=\s*\w+\s*->\s*(first|second)\b)");
  int files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(kSourceDir) / "sim" / "config")) {
    if (e.path().extension() != ".cpp" && e.path().extension() != ".hpp") continue;
    ++files;
    std::ifstream in(e.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
      EXPECT_FALSE(std::regex_search(line, dangling)) << e.path().string() << ":" << n << ": " << line;
  }
  EXPECT_GT(files, 10);
}

}  // namespace
