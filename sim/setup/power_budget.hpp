#pragma once
/// @file
/// facility.budget_policy cap: the one fraction of their board limit that every GPU of the site is capped at
/// so that the site at full load (every GPU at its cap, servers at the matching overhead, the network) stays
/// within facility.power_budget in the run's hottest hour (the facility model asked hour by hour). A pool's
/// own power_cap still applies when it is tighter.

#include <optional>

#include "models/power/cluster_power.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/setup/fabric_params.hpp"

namespace clustersim {

/// The site's highest facility power over [0, duration_s] (hourly) with every GPU of pool k at `cap_w[k]`
/// (0 = its board limit), W.
double site_full_load_facility_w(const ClusterPowerModel& site, const std::vector<double>& cap_w, double duration_s);

/// The experiment with the GPU caps of the budget (facility.budget_policy cap with a budget), or nothing.
/// `fraction` gets the cap as a fraction of the board limit. Throws ConfigError (facility.power_budget) when even
/// GPUs capped just above idle exceed the budget.
std::optional<LoadedExperiment> with_budget_caps(const LoadedExperiment& experiment, const ExperimentFabric& fabric,
                                                 double& fraction);

}  // namespace clustersim
