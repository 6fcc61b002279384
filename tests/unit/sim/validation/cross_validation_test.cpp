// The refit of validate-models --cross-validate: one Gauss-Newton step of a least-squares fit in log space, checked
// against hand solutions; and the fit-group file's errors.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "common/diagnostics.hpp"
#include "sim/validation/cross_validation.hpp"

namespace clustersim {
namespace {

namespace fs = std::filesystem;

TEST(CrossValidation, OneConstantStepIsTheMeanResidualOverTheSensitivity) {
  // Two anchors with sensitivity 1, 10 % and 30 % high (in log): the fit lowers the constant by the mean, 0.2.
  std::vector<double> step;
  ASSERT_TRUE(log_least_squares_step({0.1, 0.3}, {{1.0}, {1.0}}, step));
  EXPECT_NEAR(step[0], -0.2, 1e-12);
  // Sensitivities 1 and 2: d = -(1 x 0.1 + 2 x 0.3) / (1 + 4) = -0.14.
  ASSERT_TRUE(log_least_squares_step({0.1, 0.3}, {{1.0}, {2.0}}, step));
  EXPECT_NEAR(step[0], -0.14, 1e-12);
}

TEST(CrossValidation, TwoConstantsSolveAConsistentSystemExactly) {
  // r + S d = 0 has the solution d = (-0.1, 0.2) for every anchor.
  std::vector<double> step;
  ASSERT_TRUE(log_least_squares_step({0.1, -0.2, -0.1}, {{1, 0}, {0, 1}, {1, 1}}, step));
  EXPECT_NEAR(step[0], -0.1, 1e-12);
  EXPECT_NEAR(step[1], 0.2, 1e-12);
}

TEST(CrossValidation, SingularAndLargeSteps) {
  std::vector<double> step;
  EXPECT_FALSE(log_least_squares_step({0.1, 0.2}, {{0.0}, {0.0}}, step));    // no anchor depends on it
  EXPECT_FALSE(log_least_squares_step({0.1, 0.2}, {{1, 2}, {2, 4}}, step));  // the two constants act alike
  ASSERT_TRUE(log_least_squares_step({5.0}, {{1.0}}, step));
  EXPECT_NEAR(step[0], -std::log(3.0), 1e-12);  // clamped to a factor of 3
}

TEST(CrossValidation, FitGroupFileErrorsNameTheKey) {
  const fs::path dir = fs::temp_directory_path() / "cs_cv_test";
  fs::create_directories(dir / "catalog");
  std::ofstream(dir / "catalog" / "calibration.yaml") << "calibration:\n  a:\n    value: 0.5\n    source: x\n"
                                                         "  t:\n    value: 1.7ms\n";
  std::ofstream(dir / "fits.yaml") << "fit_groups:\n"
                                      "  - name: g\n    constants: [catalog.calibration.a.value]\n"
                                      "    anchors: [X1, X9]\n"
                                      "  - name: h\n    constant: [catalog.calibration.b.value]\n";
  const std::vector<Anchor> anchors = {{"X1"}, {"X2"}};
  try {
    load_fit_groups((dir / "fits.yaml").string(), (dir / "catalog").string(), anchors);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("no anchor 'X9'"), std::string::npos) << m;
    EXPECT_NE(m.find("unknown key 'constant'"), std::string::npos) << m;
    EXPECT_NE(m.find("fits.yaml:4:"), std::string::npos) << m;  // file:line of the bad anchor list
  }
  std::ofstream(dir / "fits.yaml") << "fit_groups:\n"
                                      "  - name: g\n    constants: [catalog.calibration.t.value]\n"
                                      "    anchors: [X1, X2]\n";
  const auto groups = load_fit_groups((dir / "fits.yaml").string(), (dir / "catalog").string(), anchors);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_DOUBLE_EQ(groups[0].constants[0].value, 1.7);
  EXPECT_EQ(groups[0].constants[0].suffix, "ms");
  fs::remove_all(dir);
}

TEST(UncertaintyBands, ExactClassElseTheWidestOfTheQuantity) {
  UncertaintyBands b;
  b.bands = {{"a100", band_quantity::kTrainingStep, "A100-SXM-80GB", "bf16", "", 0.08, 9},
             {"fp8", band_quantity::kTrainingStep, "H100-SXM", "fp8", "", 0.14, 2},
             {"power", band_quantity::kGpuPower, "H100-SXM", "", "vllm", 0.09, 9}};
  BandLookup l = find_band(b, band_quantity::kTrainingStep, "A100-SXM-80GB", "bf16", "");
  EXPECT_DOUBLE_EQ(l.relative, 0.08);
  EXPECT_EQ(l.basis(), "a100");
  // No band of B200 BF16: the widest training band, extrapolated.
  l = find_band(b, band_quantity::kTrainingStep, "B200", "bf16", "");
  EXPECT_DOUBLE_EQ(l.relative, 0.14);
  EXPECT_EQ(l.basis(), "extrapolated from fp8");
  // "" in a band matches any precision.
  l = find_band(b, band_quantity::kGpuPower, "H100-SXM", "fp8", "vllm");
  EXPECT_DOUBLE_EQ(l.relative, 0.09);
  EXPECT_FALSE(l.extrapolated);
  // A band of several GPUs.
  b.bands.push_back({"blackwell", band_quantity::kItPower, "B200,GB200", "", "", 0.05, 3});
  EXPECT_DOUBLE_EQ(find_band(b, band_quantity::kItPower, "GB200", "", "").relative, 0.05);
  EXPECT_FALSE(find_band(b, band_quantity::kItPower, "GB200", "", "").extrapolated);
  EXPECT_TRUE(find_band(b, band_quantity::kItPower, "B20", "", "").extrapolated);
  b.bands.pop_back();
  // No band of the quantity at all.
  l = find_band(b, band_quantity::kItPower, "H100-SXM", "", "");
  EXPECT_TRUE(std::isnan(l.relative));
  EXPECT_EQ(l.basis(), "");
}

}  // namespace
}  // namespace clustersim
