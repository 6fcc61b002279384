#pragma once
/// @file
/// `clustersim validate-models`: runs the published configurations of data/validation/*.yaml (each an
/// experiment under experiments/validation/) with the real simulator, one process per case, reads the
/// predicted metric from each results file and prints published vs predicted with the error, marking which
/// anchors calibrated the model's constants and which are pure predictions. The last line is
/// `median |error| X%, max |error| Y% over N cases`, over the prediction anchors.

#include <string>
#include <vector>

namespace clustersim {

/// One published measurement.
struct Anchor {
  std::string id;          ///< "T1"
  std::string setup;       ///< human description of the configuration
  std::string experiment;  ///< path relative to the repository root
  /// A ratio anchor: the metric of `experiment` over the same metric of this experiment (e.g. throughput under a
  /// power cap over the uncapped run); "" = the metric itself.
  std::string baseline;
  std::string metric;        ///< "jobs.model_flops_per_gpu", "services.output_tokens_per_s", "summary.NAME"
  int row = 0;               ///< table row
  double multiply = 1;       ///< factor applied to the metric (e.g. steps to train x step time)
  double published = 0;      ///< in SI units (FLOP/s, s, token/s)
  std::string display_unit;  ///< e.g. "TFLOP/s"
  double display_scale = 1;  ///< SI value / display_scale = displayed value
  std::string role;          ///< "calibration" or "prediction"
  std::string source;
};

struct AnchorResult {
  Anchor anchor;
  bool ok = false;
  double predicted = 0;
  double error = 0;     ///< (predicted - published) / published
  std::string failure;  ///< when !ok
};

/// Whether `only` (ids, or prefixes ending in '*': "P*" = every power anchor) selects the anchor `id`; an empty
/// `only` selects all.
bool anchor_selected(const std::vector<std::string>& only, const std::string& id);

/// The family of an anchor: the letters of its id before the first digit ("T" for T8a).
std::string anchor_family(const std::string& id);

/// Loads every anchor file in `dir` (sorted by name). Throws ConfigError on bad files.
std::vector<Anchor> load_anchors(const std::string& dir);

struct ValidateOptions {
  std::string executable;         ///< clustersim binary
  std::string repo_dir;           ///< experiments are relative to it
  std::string work_dir;           ///< where run files go ("" = a temporary directory, removed)
  std::vector<std::string> only;  ///< ids to run ("" = all)
  int jobs = 1;
};

/// Runs the anchors and returns their results (in file order). `sets`, when not empty, holds one list of
/// `--set key=value` overrides per anchor (applied to its run and its baseline's); an anchor may then appear more
/// than once (its runs are told apart by their position).
std::vector<AnchorResult> run_anchors(const std::vector<Anchor>& anchors, const ValidateOptions& options,
                                      const std::vector<std::vector<std::string>>& sets = {});

/// The report table plus the final summary line.
std::string format_validation(const std::vector<AnchorResult>& results);

/// The median of `values` (NaN when empty).
double median_of(std::vector<double> values);

/// Median and max |error| over the prediction anchors that ran; count in `n`.
void prediction_errors(const std::vector<AnchorResult>& results, double& median, double& max, int& n);

}  // namespace clustersim
