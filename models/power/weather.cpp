#include "models/power/weather.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace clustersim {

namespace {

constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
constexpr double kPi = 3.14159265358979323846;
constexpr double kMagnusA = 17.625, kMagnusB = 243.04;  // Alduchov & Eskridge (1996)

/// First day (0-based) of each month and the day of each month's middle.
struct Calendar {
  std::array<int, 13> first{};
  std::array<double, 12> mid{};
  Calendar() {
    for (int m = 0; m < 12; ++m) {
      first[m + 1] = first[m] + kDays[m];
      mid[m] = first[m] + kDays[m] / 2.0;
    }
  }
};

const Calendar& calendar() {
  static const Calendar c;
  return c;
}

/// Periodic Catmull-Rom through the 12 mid-month `nodes`, at day `day` (0..365).
double smooth(const std::array<double, 12>& nodes, double day) {
  const Calendar& c = calendar();
  int k = 11;  // the mid-month at or before `day` (wrapping)
  for (int m = 0; m < 12; ++m)
    if (c.mid[m] <= day) k = m;
  const double t0 = c.mid[k];
  double span = c.mid[(k + 1) % 12] - t0;
  if (span <= 0) span += 365;
  double u = day - t0;
  if (u < 0) u += 365;
  u /= span;
  const double p0 = nodes[(k + 11) % 12], p1 = nodes[k], p2 = nodes[(k + 1) % 12], p3 = nodes[(k + 2) % 12];
  return 0.5 *
         (2 * p1 + (-p0 + p2) * u + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u * u + (-p0 + 3 * p1 - 3 * p2 + p3) * u * u * u);
}

/// Daily values (365) of a smooth curve whose monthly means equal `target` (a few fixed-point corrections).
std::vector<double> daily_curve(const std::array<double, 12>& target) {
  const Calendar& c = calendar();
  std::array<double, 12> nodes = target;
  std::vector<double> day(365);
  for (int iteration = 0; iteration < 6; ++iteration) {
    for (int d = 0; d < 365; ++d) day[d] = smooth(nodes, d + 0.5);
    for (int m = 0; m < 12; ++m) {
      double sum = 0;
      for (int d = c.first[m]; d < c.first[m + 1]; ++d) sum += day[d];
      nodes[m] += target[m] - sum / kDays[m];
    }
  }
  for (int d = 0; d < 365; ++d) day[d] = smooth(nodes, d + 0.5);
  return day;
}

}  // namespace

double stull_wet_bulb_c(double t, double rh) {
  return t * std::atan(0.151977 * std::sqrt(rh + 8.313659)) + std::atan(t + rh) - std::atan(rh - 1.676331) +
         0.00391838 * std::pow(rh, 1.5) * std::atan(0.023101 * rh) - 4.686035;
}

double dew_point_c(double t, double rh) {
  const double g = std::log(std::max(rh, 1e-3) / 100.0) + kMagnusA * t / (kMagnusB + t);
  return kMagnusB * g / (kMagnusA - g);
}

double relative_humidity_pct(double t, double dew) {
  const double rh = 100.0 * std::exp(kMagnusA * dew / (kMagnusB + dew) - kMagnusA * t / (kMagnusB + t));
  return std::min(rh, 100.0);
}

int Weather::month_of_hour(int h) {
  const Calendar& c = calendar();
  const int day = h / 24;
  for (int m = 0; m < 12; ++m)
    if (day < c.first[m + 1]) return m;
  return 11;
}

Weather::Weather(const WeatherParams& p) : dry_(kHours), wet_(kHours) {
  if (p.constant_dry_bulb_c >= -99) {
    const double wb = stull_wet_bulb_c(p.constant_dry_bulb_c, std::clamp(p.constant_humidity_pct, 5.0, 99.0));
    std::fill(dry_.begin(), dry_.end(), p.constant_dry_bulb_c);
    std::fill(wet_.begin(), wet_.end(), std::min(wb, p.constant_dry_bulb_c));
    return;
  }
  const Calendar& c = calendar();
  const std::vector<double> mean = daily_curve(p.dry_bulb_mean_c);
  const std::vector<double> range = daily_curve(p.daily_range_c);
  const std::vector<double> rh = daily_curve(p.relative_humidity_pct);
  const std::vector<double> sd = daily_curve(p.daily_sd_c);
  // Day-to-day anomaly: AR(1) with the day's sd, then each month centred so its mean stays the normal.
  std::vector<double> anomaly(365, 0);
  std::mt19937_64 rng(p.seed);
  std::normal_distribution<double> normal(0, 1);
  const double phi = p.anomaly_lag1_correlation, innovation = std::sqrt(1 - phi * phi);
  double a = 0;
  for (int d = 0; d < 365; ++d) {
    a = phi * a + innovation * normal(rng);
    anomaly[d] = a * std::max(sd[d], 0.0);
  }
  for (int m = 0; m < 12; ++m) {
    double sum = 0;
    for (int d = c.first[m]; d < c.first[m + 1]; ++d) sum += anomaly[d];
    for (int d = c.first[m]; d < c.first[m + 1]; ++d) anomaly[d] -= sum / kDays[m];
  }
  for (int h = 0; h < kHours; ++h) {
    const int d = h / 24;
    const double hour = h % 24 + 0.5;
    // Linear between day centres (the anomaly of each day at its noon), wrapping at the year's ends.
    const double x = hour / 24.0 - 0.5;
    const int other = x < 0 ? (d + 364) % 365 : (d + 1) % 365;
    const double an = anomaly[d] + std::abs(x) * (anomaly[other] - anomaly[d]);
    const double daily_mean = mean[d] + an;
    const double t = daily_mean + 0.5 * range[d] * std::cos(2 * kPi * (hour - p.diurnal_peak_hour) / 24.0);
    const double dew = dew_point_c(daily_mean, std::clamp(rh[d], 1.0, 100.0));
    const double r = std::clamp(relative_humidity_pct(t, dew), 5.0, 99.0);
    dry_[h] = t;
    wet_[h] = std::min(stull_wet_bulb_c(t, r), t);
  }
}

}  // namespace clustersim
