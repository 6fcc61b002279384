#include "sim/config/facility_data_loader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "sim/config/experiment_loader.hpp"
#include "sim/config/field_builders.hpp"
#include "sim/config/yaml_source.hpp"

namespace clustersim {

using namespace fields;
namespace fs = std::filesystem;

namespace {

Field source_field() { return required(text("source", "", "where the numbers come from (document, status V/R/E)")); }

Field twelve(const std::string& name, const std::string& doc, bool is_required = true) {
  Field f = any(name, is_required ? "" : "[]", doc + " (12 values, January .. December)");
  return is_required ? required(f) : f;
}

std::string str(const YAML::Node& n, const char* key) {
  const YAML::Node v = yaml_child(n, key);
  return v.IsScalar() ? v.Scalar() : std::string();
}

double num(const YAML::Node& n, const char* key, double fallback) {
  const YAML::Node v = yaml_child(n, key);
  return v.IsScalar() ? v.as<double>() : fallback;
}

/// A list of `count` numbers in [lo, hi] at `path` into `out`; false (with a diagnostic) otherwise.
bool numbers(const YAML::Node& n, size_t count, double lo, double hi, const ResolvedConfig& where,
             const std::string& path, std::vector<double>& out, Diagnostics& diags) {
  out.clear();
  const std::string expected =
      std::to_string(count) + " numbers in [" + YAML::Node(lo).Scalar() + ", " + YAML::Node(hi).Scalar() + "]";
  if (!n.IsSequence() || n.size() != count) {
    diags.add(where.location_of(path), path, "expected a list of " + expected,
              count == 12 ? "one value per month, January first" : "one value per local hour, 0 h first");
    return false;
  }
  for (const auto& v : n) {
    double x = 0;
    if (!v.IsScalar() || !YAML::convert<double>::decode(v, x) || !std::isfinite(x) || x < lo || x > hi) {
      diags.add(where.location_of(path), path, "'" + YAML::Dump(v) + "' is not one of the " + expected);
      return false;
    }
    out.push_back(x);
  }
  return true;
}

bool monthly(const YAML::Node& n, double lo, double hi, const ResolvedConfig& where, const std::string& path,
             Monthly& out, Diagnostics& diags) {
  std::vector<double> v;
  if (!numbers(n, 12, lo, hi, where, path, v, diags)) return false;
  std::copy(v.begin(), v.end(), out.begin());
  return true;
}

}  // namespace

const Schema& facility_data_schema() {
  static const Schema monthly_schema{
      "monthly normals",
      {twelve("dry_bulb_mean_c", "monthly mean air temperature (mean of daily means), C"),
       twelve("daily_range_c", "mean daily maximum - mean daily minimum, C"),
       twelve("relative_humidity_pct", "monthly mean relative humidity, %"),
       twelve("daily_sd_c", "sd of the daily mean about the monthly mean, C; [] = no day-to-day anomaly", false)}};
  static const Schema site{
      "site",
      {text("description", "\"\"", "station and normal period"),
       required(number("latitude_deg", "", -90, 90, "latitude, degrees north")),
       required(number("utc_offset_h", "", -12, 14, "local standard time - UTC, h")),
       number("elevation_m", "0", -500, 6000, "station elevation, m (informative: wet bulb at sea-level pressure)"),
       required(text("carbon_region", "", "grid region of `regions` (carbon.yaml)")),
       required(nested("monthly", FieldKind::kMap, &monthly_schema, "monthly climatological normals")),
       source_field()}};
  static const Schema region{
      "region",
      {text("description", "\"\"", "grid and year"),
       required(number("intensity_g_per_kwh", "", 0, 2000, "mean grid carbon intensity, gCO2e/kWh")),
       any("hourly_factor", "[]", "24 multipliers by local hour (mean 1); [] = flat"),
       number("electricity_usd_per_kwh", "0", 0, 10, "industrial electricity price, USD/kWh; 0 = none"),
       text("electricity_source", "\"\"", "where the price comes from"), source_field()}};
  static const Schema constant{"constant",
                               {required(number("value", "", -1e9, 1e9, "the value, in the unit its name says")),
                                text("unit", "\"\"", "unit"), source_field()}};
  static const Schema reference{
      "reference point",
      {required(text("name", "", "short name")),
       text("cooling", "\"\"", "the facility's cooling in words (air-chiller, evaporative-economizer, mixed, ...)"),
       text("model_cooling", "\"\"", "the closest facility.cooling kind"),
       text("model_heat_rejection", "\"\"", "the closest facility.heat_rejection"),
       text("site", "\"\"", "location in words"),
       text("climate_site", "\"\"", "a climate.yaml site of similar climate"),
       number("load_fraction", "0", 0, 1.5, "IT load / design IT, where published; 0 = not given"),
       number("outdoor_dry_bulb_c", "-100", -100, 60, "outdoor dry bulb of the figure, where stated"),
       number("pue", "0", 0, 5, "published PUE; 0 = not given"), any("pue_range", "[]", "[low, high] where given"),
       number("wue_l_per_kwh", "-1", -1, 50, "published WUE, L/kWh IT; -1 = not given"),
       number("tolerance", "0.05", 0, 5, "accepted |model - published| on the PUE"),
       text("period", "\"\"", "annual, trailing-12-month, design, ..."),
       text("claim_type", "\"\"", "measured-published, vendor-claim, survey, research-measured"), source_field()}};
  static const Schema limit{
      "regulatory limit",
      {required(text("name", "", "short name")), required(number("pue_max", "", 1, 5, "the PUE ceiling")),
       text("scope", "\"\"", "what it applies to"), source_field()}};
  static const Schema root{
      "facility data",
      {nested("sites", FieldKind::kNamedMaps, &site, "climate sites by name"),
       nested("regions", FieldKind::kNamedMaps, &region, "grid carbon regions by name"),
       nested("constants", FieldKind::kNamedMaps, &constant, "cooling model constants by name"),
       nested("reference_points", FieldKind::kListOfMaps, &reference, "published facility PUE/WUE points"),
       nested("regulatory_limits", FieldKind::kListOfMaps, &limit, "PUE ceilings set by regulation")}};
  return root;
}

void add_facility_data_file(const std::string& path, FacilityData& out, Diagnostics& diags) {
  YAML::Node root;
  std::string text_in;
  if (!load_yaml_file(path, "cannot read facility data file", root, text_in, diags)) return;
  const ResolvedConfig r = resolve(root, facility_data_schema(), path, diags);
  const YAML::Node sites = yaml_child(r.tree, "sites");
  for (auto it = sites.begin(); sites.IsMap() && it != sites.end(); ++it) {
    const std::string name = it->first.Scalar(), p = "sites." + name;
    const YAML::Node e = it->second, m = yaml_child(e, "monthly");
    ClimateSite s;
    s.name = name;
    s.description = str(e, "description");
    s.latitude_deg = num(e, "latitude_deg", 0);
    s.utc_offset_h = num(e, "utc_offset_h", 0);
    s.carbon_region = str(e, "carbon_region");
    s.source = str(e, "source");
    bool ok =
        monthly(yaml_child(m, "dry_bulb_mean_c"), -60, 50, r, p + ".monthly.dry_bulb_mean_c", s.dry_bulb_mean_c, diags);
    ok = monthly(yaml_child(m, "daily_range_c"), 0, 40, r, p + ".monthly.daily_range_c", s.daily_range_c, diags) && ok;
    ok = monthly(yaml_child(m, "relative_humidity_pct"), 1, 100, r, p + ".monthly.relative_humidity_pct",
                 s.relative_humidity_pct, diags) &&
         ok;
    const YAML::Node sd = yaml_child(m, "daily_sd_c");
    if (sd.IsSequence() && sd.size() > 0)
      ok = monthly(sd, 0, 20, r, p + ".monthly.daily_sd_c", s.daily_sd_c, diags) && ok;
    if (ok) out.sites[name] = s;
  }
  const YAML::Node regions = yaml_child(r.tree, "regions");
  for (auto it = regions.begin(); regions.IsMap() && it != regions.end(); ++it) {
    const std::string name = it->first.Scalar(), p = "regions." + name;
    CarbonRegion c;
    c.name = name;
    c.intensity_g_per_kwh = num(it->second, "intensity_g_per_kwh", 0);
    c.source = str(it->second, "source");
    c.electricity_usd_per_kwh = num(it->second, "electricity_usd_per_kwh", 0);
    c.electricity_source = str(it->second, "electricity_source");
    const YAML::Node hourly = yaml_child(it->second, "hourly_factor");
    if (hourly.IsSequence() && hourly.size() > 0 &&
        !numbers(hourly, 24, 0, 10, r, p + ".hourly_factor", c.hourly_factor, diags))
      continue;
    out.regions[name] = c;
  }
  const YAML::Node constants = yaml_child(r.tree, "constants");
  for (auto it = constants.begin(); constants.IsMap() && it != constants.end(); ++it)
    out.constants[it->first.Scalar()] = {num(it->second, "value", 0), str(it->second, "source")};
  const YAML::Node refs = yaml_child(r.tree, "reference_points");
  for (size_t i = 0; refs.IsSequence() && i < refs.size(); ++i) {
    const YAML::Node e = refs[i];
    FacilityReference f;
    f.name = str(e, "name");
    f.cooling = str(e, "model_cooling");
    f.heat_rejection = str(e, "model_heat_rejection");
    f.site = str(e, "climate_site");
    f.load_fraction = num(e, "load_fraction", 0);
    f.dry_bulb_c = num(e, "outdoor_dry_bulb_c", -100);
    f.pue = num(e, "pue", 0);
    f.wue = num(e, "wue_l_per_kwh", -1);
    f.period = str(e, "period");
    f.tolerance = num(e, "tolerance", 0.05);
    f.source = str(e, "source");
    out.references.push_back(f);
  }
}

FacilityData load_facility_data(Diagnostics& diags) {
  // A sweep validates each grid value with a full pass: the files are read once per process (when clean).
  static std::map<std::string, FacilityData> cache;
  const fs::path dir = fs::path(data_dir()) / "facility";
  const auto cached = cache.find(dir.string());
  if (cached != cache.end()) return cached->second;
  FacilityData data;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diags.add({dir.string(), 0, 0}, "facility.model", "the facility data folder '" + dir.string() + "' is missing",
              "facility.model: cooling reads data/facility/*.yaml (climate, carbon, cooling constants)");
    return data;
  }
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  const size_t problems = diags.size();
  for (const auto& f : files) add_facility_data_file(f, data, diags);
  if (diags.size() == problems) cache.emplace(dir.string(), data);
  return data;
}

const std::vector<std::string>& required_facility_constants() {
  static const std::vector<std::string> names = {"chiller_carnot_fraction",
                                                 "chiller_carnot_fraction_air",
                                                 "evaporator_approach_k",
                                                 "condenser_approach_water_k",
                                                 "condenser_approach_air_k",
                                                 "chiller_cop_max",
                                                 "chilled_water_supply_c",
                                                 "chilled_water_delta_t_k",
                                                 "crah_fan_power_fraction",
                                                 "pump_power_fraction",
                                                 "liquid_supply_temperature_c",
                                                 "liquid_loop_delta_t_k",
                                                 "liquid_heat_capture_fraction",
                                                 "immersion_supply_temperature_c",
                                                 "immersion_heat_capture_fraction",
                                                 "cooling_tower_approach_c",
                                                 "dry_cooler_approach_c",
                                                 "waterside_economizer_approach_c",
                                                 "adiabatic_effectiveness",
                                                 "adiabatic_coil_air_rise_k",
                                                 "tower_fan_w_per_w",
                                                 "dry_fan_w_per_w",
                                                 "electrical_loss_no_load",
                                                 "electrical_loss_proportional",
                                                 "electrical_loss_quadratic",
                                                 "lighting_misc_fraction",
                                                 "storage_frontend_fraction",
                                                 "evaporation_l_per_kwh_heat",
                                                 "tower_latent_share",
                                                 "cycles_of_concentration",
                                                 "airside_economizer_max_dry_bulb_c",
                                                 "hall_air_rise_k"};
  return names;
}

void check_facility(const FacilitySpec& f, const ResolvedConfig& resolved, const FacilityData& data,
                    Diagnostics& diags) {
  if (f.model != FacilityModelKind::kCooling) return;
  auto names = [](const auto& m) {
    std::vector<std::string> out;
    for (const auto& [k, v] : m) out.push_back(k);
    return out;
  };
  const bool constant_weather = f.outdoor_temperature_c >= -99;
  if (f.site.empty() && !constant_weather)
    diags.add(resolved.location_of("facility.model"), "facility.site", "facility.model cooling needs a site",
              "set facility.site (one of data/facility/climate.yaml: e.g. beijing) or facility.outdoor_temperature");
  std::string region = f.carbon_region;
  if (!f.site.empty()) {
    const auto s = data.sites.find(f.site);
    if (s == data.sites.end())
      diags.add(resolved.location_of("facility.site"), "facility.site",
                "unknown site '" + f.site + "' (data/facility/climate.yaml)", did_you_mean(f.site, names(data.sites)));
    else if (region.empty())
      region = s->second.carbon_region;
  }
  if (!region.empty() && !data.regions.count(region))
    diags.add(resolved.location_of(f.carbon_region.empty() ? "facility.site" : "facility.carbon_region"),
              "facility.carbon_region", "unknown carbon region '" + region + "' (data/facility/carbon.yaml)",
              did_you_mean(region, names(data.regions)));
  double hour = 0;
  std::string error;
  if (!parse_facility_start(f.start, hour, error))
    diags.add(resolved.location_of("facility.start"), "facility.start", error, "e.g. start: 2025-07-01T00:00");
  for (const std::string& c : required_facility_constants())
    if (!data.constants.count(c))
      diags.add({(fs::path(data_dir()) / "facility").string(), 0, 0}, "constants." + c,
                "the cooling model's constant '" + c + "' is missing from data/facility",
                "each constant is {value, source} under `constants:` (cooling.yaml)");
}

}  // namespace clustersim
