#pragma once
/// @file
/// Uncertainty bands of the model's predictions, from its validation (issue 15).
///
/// `clustersim validate-models --cross-validate --write-bands data/validation/bands.yaml` writes one band per fit
/// group of data/validation/fits.yaml: the root mean square of the group's out-of-sample (cross-validated) relative
/// errors, with the class of predictions it stands for (a quantity, and the GPU, precision and serving engine of the
/// group's anchors). A run gives each prediction the band of its class; a class no anchor covers (another GPU,
/// precision or engine) gets the widest band of the same quantity, marked extrapolated: it has no validation.

#include <cmath>
#include <string>
#include <vector>

namespace clustersim {

/// The quantities a band applies to.
namespace band_quantity {
inline constexpr const char* kTrainingStep = "training_step";            ///< step time (and tokens/s, MFU)
inline constexpr const char* kServingThroughput = "serving_throughput";  ///< output tokens/s of a service
inline constexpr const char* kGpuPower = "gpu_power";                    ///< board power of serving GPUs
inline constexpr const char* kItPower = "it_power";                      ///< node (IT) power
}  // namespace band_quantity

/// The workload kinds a band may be limited to: the model lacks different physics for each.
namespace band_kind {
inline constexpr const char* kDense = "dense";
inline constexpr const char* kMoe = "moe";                   ///< a mixture-of-experts model
inline constexpr const char* kLongContext = "long-context";  ///< dense training at kLongContextTokens or more
inline constexpr int kLongContextTokens = 32768;
}  // namespace band_kind

struct UncertaintyBand {
  std::string group;      ///< the fit group it comes from
  std::string quantity;   ///< band_quantity
  std::string gpu;        ///< accelerator catalog name, or several separated by commas ("B200,GB200"); "" = any
  std::string precision;  ///< "bf16", "fp8", ...; "" = any
  std::string engine;     ///< serving engine; "" = any
  double relative = 0;    ///< RMS of the out-of-sample relative errors
  int anchors = 0;        ///< how many
  std::string kind;       ///< band_kind; "" = any
};

struct UncertaintyBands {
  std::vector<UncertaintyBand> bands;
};

/// A prediction's band: `relative` (NaN when no band of the quantity exists), the group it comes from, and whether
/// it is extrapolated (no band of the prediction's own class).
struct BandLookup {
  double relative = NAN;
  std::string group;
  bool extrapolated = false;
  /// "vllm-step" or "extrapolated from vllm-step"; "" when there is no band.
  std::string basis() const { return group.empty() ? "" : (extrapolated ? "extrapolated from " + group : group); }
};

/// The band of `quantity` for a prediction of workload `kind` on `gpu` at `precision` with `engine` ("" for
/// training): the band of its class; else (extrapolated) the widest band of the quantity for the same kind; else the
/// widest of the quantity.
BandLookup find_band(const UncertaintyBands& bands, const std::string& quantity, const std::string& gpu,
                     const std::string& precision, const std::string& engine, const std::string& kind = "");

}  // namespace clustersim
