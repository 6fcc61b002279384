#pragma once
/// @file
/// Hourly outdoor weather of a site for one 365-day climatological year, generated deterministically from
/// monthly normals: the monthly mean dry bulb, interpolated smoothly (periodic Catmull-Rom) between mid-months
/// and corrected so that each month's mean is the normal; a diurnal cosine of the mean daily range, highest at
/// 15:00 local; a seeded day-to-day AR(1) anomaly with the month's sd (each month's anomalies centred, so the
/// monthly means stay the normals), linear between day centres. Humidity: the daily mean dew point follows from
/// the mean temperature and mean RH (Magnus), the hourly RH from the dew point and the hourly temperature, the
/// wet bulb from the dry bulb and RH by Stull (2011). Arrays are built once; a lookup is O(1) by hour.

#include <array>
#include <cstdint>
#include <vector>

namespace clustersim {

struct WeatherParams {
  std::array<double, 12> dry_bulb_mean_c{};
  std::array<double, 12> daily_range_c{};
  std::array<double, 12> relative_humidity_pct{};
  std::array<double, 12> daily_sd_c{};    ///< day-to-day sd, C (0: no anomaly)
  double anomaly_lag1_correlation = 0.7;  ///< AR(1) coefficient of daily mean anomalies
  double diurnal_peak_hour = 15;          ///< local hour of the daily maximum
  uint64_t seed = 1;
  /// >= -99: every hour at this dry bulb and `constant_humidity_pct` instead (tests, what-ifs).
  double constant_dry_bulb_c = -100;
  double constant_humidity_pct = 50;
};

class Weather {
 public:
  static constexpr int kHours = 8760;

  explicit Weather(const WeatherParams& params);

  /// Dry and wet bulb of hour `hour` of the year (0 = 1 January 00:00 local; taken modulo the year), C.
  double dry_bulb_c(int64_t hour) const { return dry_[index(hour)]; }
  double wet_bulb_c(int64_t hour) const { return wet_[index(hour)]; }

  const std::vector<double>& dry_bulb() const { return dry_; }
  const std::vector<double>& wet_bulb() const { return wet_; }

  /// The hour's index in [0, kHours).
  static int index(int64_t hour) { return static_cast<int>(((hour % kHours) + kHours) % kHours); }

  /// Month (0..11) of hour `h` in [0, kHours).
  static int month_of_hour(int h);

 private:
  std::vector<double> dry_, wet_;
};

/// Wet-bulb temperature from dry bulb (C) and relative humidity (%) at sea-level pressure, Stull (2011),
/// "Wet-bulb temperature from relative humidity and air temperature", J. Appl. Meteor. Climatol. 50:2267;
/// within about 1 C for RH 5..99 % and -20..50 C.
double stull_wet_bulb_c(double dry_bulb_c, double relative_humidity_pct);

/// Dew point (C) from temperature (C) and RH (%), Magnus formula with Alduchov & Eskridge (1996) constants.
double dew_point_c(double dry_bulb_c, double relative_humidity_pct);

/// Relative humidity (%) of air at `dry_bulb_c` whose dew point is `dew_point_c` (Magnus), at most 100.
double relative_humidity_pct(double dry_bulb_c, double dew_point_c);

}  // namespace clustersim
