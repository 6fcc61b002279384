#pragma once
/// @file
/// `clustersim validate-models --cross-validate`: how well the calibrated constants generalize.
///
/// data/validation/fits.yaml groups the anchors by the constants that could be fitted on them: a fit group names
/// one or two catalog constants (as `--set` key paths, e.g. catalog.calibration.matmul_efficiency.by_gpu.H100-SXM)
/// and the anchors of its class (same GPU generation, precision, engine) whose metric depends on them. The shipped
/// constants are fitted on the group's calibration anchors only; cross-validation leaves each anchor of the group
/// out in turn, refits the group's constants on the others and reruns the left-out anchor with them: its error
/// then is out of sample, for calibration and prediction anchors alike. Refits use the group's dense anchors only;
/// its MoE and long-context anchors (fits.yaml kinds) are predicted with the constants fitted on all dense ones.
///
/// The refit minimizes the sum of squared log errors over the anchors kept, by one Gauss-Newton step from the
/// shipped values: each anchor's sensitivity d log(metric) / d log(constant) is measured by one run with the
/// constant 5 % higher; the left-out anchor is then run exactly at the refitted values. Runs: the anchors of every
/// group once at the shipped values, once per constant perturbed, and once per fold.

#include <map>
#include <string>
#include <vector>

#include "sim/validation/validate_models.hpp"
#include "spec/uncertainty.hpp"

namespace clustersim {

/// One constant a fit group refits.
struct FitConstant {
  std::string key;     ///< `--set` key path: "catalog.engines.vllm.step_overhead"
  double value = 0;    ///< the shipped value (the number in the catalog)
  std::string suffix;  ///< its unit as written there ("ms", "W", "" for plain numbers)
};

/// A set of anchors and the constants fitted on them.
struct FitGroup {
  std::string name;
  std::string description;
  std::vector<FitConstant> constants;  ///< one or two
  std::vector<std::string> anchors;    ///< anchor ids
  /// The class of predictions the group's band stands for (quantity, gpu, precision, engine; "" = any); the
  /// quantity is "" when the group gives no band.
  UncertaintyBand band;
  /// Anchors of another workload kind than dense (fits.yaml kinds: {moe: [...], long-context: [...]}): the group's
  /// bands are given per kind, each from its own anchors' errors.
  std::map<std::string, std::string> kind_of;
};

/// Loads `file` (fit_groups: [{name, description, constants: [key...], anchors: [id...], band: {quantity, gpu,
/// precision, engine}}]) and reads each
/// constant's shipped value from the catalog files in `catalog_dir`. Throws ConfigError (file:line:column) on
/// an unknown key, an anchor id not in `anchors`, a constant that does not name a number in the catalog, or a
/// group with more constants than anchors - 1.
std::vector<FitGroup> load_fit_groups(const std::string& file, const std::string& catalog_dir,
                                      const std::vector<Anchor>& anchors);

/// The Gauss-Newton step of a least-squares fit in log space: minimizes sum_b (r_b + sum_j s_bj d_j)^2 over the
/// log-changes d (one or two constants). `residuals` r_b = log(predicted / published) at the shipped values,
/// `sensitivity[b][j]` = d log(metric_b) / d log(constant_j). Returns false when the system is singular (the
/// anchors do not depend on the constants). Each d_j is clamped to +-log(3).
bool log_least_squares_step(const std::vector<double>& residuals, const std::vector<std::vector<double>>& sensitivity,
                            std::vector<double>& step);

/// One anchor's cross-validated result.
struct CrossValidated {
  std::string group;
  AnchorResult in_sample;     ///< at the shipped constants
  bool ok = false;            ///< the fold could be fitted and rerun
  double error = 0;           ///< out of sample: (predicted - published) / published
  std::vector<double> refit;  ///< the constants fitted without this anchor
  std::string failure;
};

struct CrossValidation {
  std::vector<CrossValidated> anchors;
  /// Per group: the constants fitted on all its anchors (one Gauss-Newton step), for comparison with the shipped.
  std::vector<std::vector<double>> pool_fit;
  std::vector<FitGroup> groups;
};

/// Runs the cross-validation of every group that has an anchor selected by `options.only` (all when empty).
CrossValidation cross_validate(const std::vector<FitGroup>& groups, const std::vector<Anchor>& anchors,
                               const ValidateOptions& options);

/// The report: per group its constants (shipped, fitted on the whole group), per anchor the in-sample and
/// out-of-sample error, then per family and overall the median and max |error| both ways.
std::string format_cross_validation(const CrossValidation& cv);

/// The bands file (spec/uncertainty.hpp): per group with a band, the RMS of its out-of-sample errors.
UncertaintyBands uncertainty_bands(const CrossValidation& cv);
/// The bands as YAML, with a header saying how they were made.
std::string bands_yaml(const UncertaintyBands& bands);

/// Median and max |out-of-sample error| over the anchors that ran; count in `n`.
void cross_validated_errors(const CrossValidation& cv, double& median, double& max, int& n);

}  // namespace clustersim
