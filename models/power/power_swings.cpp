#include "models/power/power_swings.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numeric>

namespace clustersim {

namespace {

/// In-place radix-2 FFT (size a power of two).
void fft(std::vector<std::complex<double>>& a) {
  const size_t n = a.size();
  for (size_t i = 1, j = 0; i < n; ++i) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (size_t len = 2; len <= n; len <<= 1) {
    const double angle = -2 * M_PI / static_cast<double>(len);
    const std::complex<double> w(std::cos(angle), std::sin(angle));
    for (size_t i = 0; i < n; i += len) {
      std::complex<double> wk(1);
      for (size_t k = 0; k < len / 2; ++k) {
        const std::complex<double> u = a[i + k], v = a[i + k + len / 2] * wk;
        a[i + k] = u + v;
        a[i + k + len / 2] = u - v;
        wk *= w;
      }
    }
  }
}

}  // namespace

PowerSwingStats power_swing_stats(const std::vector<double>& p, double dt_s) {
  PowerSwingStats s;
  if (p.empty() || dt_s <= 0) return s;
  const auto [lo, hi] = std::minmax_element(p.begin(), p.end());
  s.peak_w = *hi;
  s.min_w = *lo;
  s.swing_w = s.peak_w - s.min_w;
  s.mean_w = std::accumulate(p.begin(), p.end(), 0.0) / static_cast<double>(p.size());
  for (size_t i = 1; i < p.size(); ++i)
    s.max_ramp_w_per_s = std::max(s.max_ramp_w_per_s, std::abs(p[i] - p[i - 1]) / dt_s);
  if (s.swing_w <= 1e-9 * std::max(1.0, std::abs(s.peak_w)) || p.size() < 4) return s;
  // The largest component of the zero-padded spectrum, DC excluded (the trace less its mean). Padded to 8x the
  // trace: a window that holds a non-whole number of periods spreads the fundamental over two bins of the unpadded
  // spectrum, and a harmonic that falls on a bin could then look larger (a 40 s window of 5.46 s steps did).
  size_t n = 1;
  while (n < 8 * p.size()) n <<= 1;
  std::vector<std::complex<double>> a(n, 0.0);
  for (size_t i = 0; i < p.size(); ++i) a[i] = p[i] - s.mean_w;
  fft(a);
  size_t best = 1;
  for (size_t k = 1; k <= n / 2; ++k)
    if (std::abs(a[k]) > std::abs(a[best])) best = k;
  s.main_frequency_hz = static_cast<double>(best) / (static_cast<double>(n) * dt_s);
  return s;
}

StorageResult smooth_with_storage(const std::vector<double>& site_w, double dt_s, const StorageParams& p) {
  StorageResult r;
  r.grid_w = site_w;
  if (site_w.empty() || p.energy_j <= 0 || p.power_w <= 0 || dt_s <= 0) return r;
  const double way = std::sqrt(std::clamp(p.efficiency, 1e-6, 1.0));  // one-way efficiency
  const double alpha = p.smoothing_s > 0 ? 1 - std::exp(-dt_s / p.smoothing_s) : 1;
  // Before the window the grid was drawing about the site's mean: start from the mean of one time constant.
  const size_t lead = std::clamp<size_t>(static_cast<size_t>(p.smoothing_s / dt_s), 1, site_w.size());
  double target = std::accumulate(site_w.begin(), site_w.begin() + static_cast<std::ptrdiff_t>(lead), 0.0) /
                  static_cast<double>(lead);
  double stored = 0.5 * p.energy_j;
  r.state_min = r.state_max = 0.5;
  for (size_t i = 0; i < site_w.size(); ++i) {
    target += alpha * (site_w[i] - target);
    // Battery output (+ discharges into the site, - charges from the grid) to meet the target.
    double out = std::clamp(site_w[i] - target, -p.power_w, p.power_w);
    if (out > 0) {
      out = std::min(out, stored * way / dt_s);
      stored -= out / way * dt_s;
      r.loss_j += out / way * dt_s - out * dt_s;
    } else if (out < 0) {
      const double in = std::min(-out, (p.energy_j - stored) / way / dt_s);
      out = -in;
      stored += in * way * dt_s;
      r.loss_j += in * dt_s - in * way * dt_s;
    }
    r.grid_w[i] = site_w[i] - out;
    r.state_min = std::min(r.state_min, stored / p.energy_j);
    r.state_max = std::max(r.state_max, stored / p.energy_j);
  }
  r.state_end = stored / p.energy_j;
  return r;
}

}  // namespace clustersim
