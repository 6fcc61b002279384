#include "sim/engine/uncertainty_results.hpp"

#include <algorithm>

#include "sim/engine/inference_service.hpp"
#include "sim/engine/training_job.hpp"
#include "spec/cluster_pools.hpp"
#include "spec/kinds.hpp"

namespace clustersim {

void apply_uncertainty_bands(const ResultsInputs& in, RunRecord& record) {
  const UncertaintyBands& bands = in.experiment.bands;
  const std::vector<PoolSpec> pools = site_pools(in.experiment.spec.cluster);
  for (size_t i = 0; i < in.jobs.size() && i < record.jobs.size(); ++i) {
    const TrainingJobRuntime& j = *in.jobs[i];
    const char* kind = j.layout.model.experts > 0                          ? band_kind::kMoe
                       : j.layout.seq_len >= band_kind::kLongContextTokens ? band_kind::kLongContext
                                                                           : band_kind::kDense;
    const BandLookup b =
        find_band(bands, band_quantity::kTrainingStep, j.layout.gpu.name, kind_name(j.spec.precision), "", kind);
    record.jobs[i].step_time_uncertainty = b.relative;
    record.jobs[i].uncertainty_basis = b.basis();
  }
  for (const InferenceServiceRuntime* s : in.services) {
    auto row = std::find_if(record.services.begin(), record.services.end(),
                            [&](const ServiceRow& r) { return r.name == s->spec.name; });
    if (row == record.services.end() || s->pool < 0 || s->pool >= static_cast<int>(pools.size())) continue;
    const std::string& gpu = pools[s->pool].gpu;
    const std::string precision = kind_name(s->spec.precision);
    const char* kind = s->model->params().model.experts > 0 ? band_kind::kMoe : band_kind::kDense;
    const BandLookup t = find_band(bands, band_quantity::kServingThroughput, gpu, precision, s->spec.engine, kind);
    const BandLookup p = find_band(bands, band_quantity::kGpuPower, gpu, precision, s->spec.engine, kind);
    row->output_tokens_per_s_uncertainty = t.relative;
    row->gpu_power_uncertainty = p.relative;
    row->uncertainty_basis = t.basis() + (p.basis().empty() ? "" : (t.basis().empty() ? "" : "; ") + p.basis());
  }
  // The site's IT power: the widest band of its pools' accelerators.
  double widest = kMissing;
  for (const PoolSpec& pool : pools) {
    const BandLookup b = find_band(bands, band_quantity::kItPower, pool.gpu, "", "");
    if (!std::isnan(b.relative) && (std::isnan(widest) || b.relative > widest)) widest = b.relative;
  }
  record.summary.it_power_uncertainty = widest;
}

}  // namespace clustersim
