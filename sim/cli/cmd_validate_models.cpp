#include <filesystem>
#include <fstream>
#include <iostream>

#include "sim/cli/cli_common.hpp"
#include "sim/validation/cross_validation.hpp"
#include "sim/validation/validate_models.hpp"

namespace fs = std::filesystem;

namespace clustersim {

int run_validate_models(const ValidateModelsCommandOptions& c) {
  return guarded([&] {
    ValidateOptions vo;
    vo.executable = c.executable;
    vo.repo_dir = fs::path(data_dir()).parent_path().string();
    vo.work_dir = c.keep_dir;
    vo.jobs = c.jobs;
    for (size_t b = 0, e; b < c.only.size(); b = e + 1) {
      e = c.only.find(',', b);
      if (e == std::string::npos) e = c.only.size();
      if (e > b) vo.only.push_back(c.only.substr(b, e - b));
    }
    const bool cross = c.cross_validate || !c.write_bands.empty();  // --write-bands implies --cross-validate
    const std::string dir = c.anchors_dir.empty() ? data_dir() + "/validation" : c.anchors_dir;
    const auto anchors = load_anchors(dir);
    // Fit groups are read before anything runs, so that a bad file fails at once.
    const auto groups =
        cross ? load_fit_groups(dir + "/fits.yaml", data_dir() + "/catalog", anchors) : std::vector<FitGroup>{};
    const auto results = run_anchors(anchors, vo);
    std::cout << format_validation(results);
    double median = 0, max = 0;
    int n = 0;
    prediction_errors(results, median, max, n);
    bool failed = false;
    for (const auto& r : results) failed = failed || !r.ok;
    if (c.max_median_pct >= 0 && !(100 * median <= c.max_median_pct)) failed = true;
    if (c.max_error_pct >= 0 && !(100 * max <= c.max_error_pct)) failed = true;
    if (cross) {
      const CrossValidation cv = cross_validate(groups, anchors, vo);
      std::cout << format_cross_validation(cv);
      cross_validated_errors(cv, median, max, n);
      for (const auto& x : cv.anchors) failed = failed || !x.ok;
      if (c.max_cv_median_pct >= 0 && !(100 * median <= c.max_cv_median_pct)) failed = true;
      if (c.max_cv_error_pct >= 0 && !(100 * max <= c.max_cv_error_pct)) failed = true;
      if (!c.write_bands.empty()) {
        const std::string tmp = c.write_bands + ".tmp";
        {
          std::ofstream f(tmp);
          f << bands_yaml(uncertainty_bands(cv));
          if (!f.good()) throw std::runtime_error("cannot write " + tmp);
        }
        fs::rename(tmp, c.write_bands);
        std::cout << "uncertainty bands written to " << c.write_bands << "\n";
      }
    }
    return failed ? kExitSimulationFailure : kExitOk;
  });
}

}  // namespace clustersim
