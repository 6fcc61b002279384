#pragma once
/// @file
/// The facility data files (data/facility/*.yaml) as plain records: climate normals per site, grid carbon
/// intensity per region, and the cooling constants (each with its source) and published reference points.
/// sim/config/facility_data_loader.cpp reads them; sim/setup/facility_factory.cpp turns them into the cooling
/// model's parameters. Models never see these records.

#include <array>
#include <map>
#include <string>
#include <vector>

namespace clustersim {

/// Twelve monthly values, January .. December.
using Monthly = std::array<double, 12>;

/// One site's climatological monthly normals (data/facility/climate.yaml `sites`).
struct ClimateSite {
  std::string name;
  std::string description;
  double latitude_deg = 0;
  double utc_offset_h = 0;    ///< local standard time - UTC, h
  std::string carbon_region;  ///< key of CarbonData::regions
  Monthly dry_bulb_mean_c{};  ///< mean of the daily means, C
  Monthly daily_range_c{};    ///< mean daily maximum - mean daily minimum, C
  Monthly relative_humidity_pct{};
  Monthly daily_sd_c{};  ///< sd of the daily mean about the monthly mean, C (all 0 when the file gives none)
  std::string source;
};

/// A grid region's carbon intensity (data/facility/carbon.yaml `regions`).
struct CarbonRegion {
  std::string name;
  double intensity_g_per_kwh = 0;      ///< mean over the day, gCO2e per kWh drawn
  std::vector<double> hourly_factor;   ///< 24 multipliers by local hour (mean 1), or empty = flat
  double electricity_usd_per_kwh = 0;  ///< industrial electricity price, USD/kWh; 0 = none given
  std::string electricity_source;
  std::string source;
};

/// A constant of the cooling model with where it comes from ("FITTED to ..." for the fitted ones).
struct FacilityConstant {
  double value = 0;
  std::string source;
};

/// A published facility figure (data/facility/cooling.yaml `reference_points`): what the model is checked against.
struct FacilityReference {
  std::string name;
  std::string cooling;         ///< the closest facility.cooling kind ("" = none)
  std::string heat_rejection;  ///< the closest facility.heat_rejection
  std::string site;            ///< a climate site of similar climate, or ""
  double load_fraction = 0;    ///< 0 = not given
  double dry_bulb_c = -100;    ///< outdoor dry bulb of the figure where stated, C
  double pue = 0;              ///< 0 = not given
  double wue = -1;             ///< L/kWh IT; < 0 = not given
  double tolerance = 0;        ///< accepted |model - published| on the PUE
  std::string period;          ///< annual, design, ...
  std::string source;
};

/// Everything under data/facility/.
struct FacilityData {
  std::map<std::string, ClimateSite> sites;
  std::map<std::string, CarbonRegion> regions;
  std::map<std::string, FacilityConstant> constants;
  std::vector<FacilityReference> references;

  /// The constant `name`; throws std::out_of_range naming it when the data lacks it.
  double constant(const std::string& name) const;
};

/// Parses facility.start, "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM", into the hour of a 365-day climatological year
/// (0 = 1 January 00:00; 29 February counts as 28 February). False with `error` set on bad text.
bool parse_facility_start(const std::string& text, double& hour_of_year, std::string& error);

}  // namespace clustersim
