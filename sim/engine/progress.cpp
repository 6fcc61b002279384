#include "sim/engine/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include "common/units.hpp"

namespace clustersim {

namespace {
constexpr double kFirstDrawAfterS = 2.0;  // short runs stay silent
constexpr double kRedrawEveryS = 0.25;
}  // namespace

ProgressLine::ProgressLine(double total_sim_s, bool enabled)
    : total_s_(total_sim_s),
      enabled_(enabled && isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void ProgressLine::update(double sim_now_s) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const double wall = std::chrono::duration<double>(now - start_).count();
  if (wall < kFirstDrawAfterS || std::chrono::duration<double>(now - last_draw_).count() < kRedrawEveryS) return;
  last_draw_ = now;
  shown_ = true;
  const double frac = total_s_ > 0 ? sim_now_s / total_s_ : 0;
  const double eta = frac > 0 ? wall * (1 - frac) / frac : 0;
  std::fprintf(stderr, "\r  simulated %s of %s (%3.0f%%)  wall %.1f s  ETA %.0f s   ",
               format_quantity(sim_now_s, Quantity::kTime).c_str(), format_quantity(total_s_, Quantity::kTime).c_str(),
               100 * frac, wall, eta);
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (shown_) std::fprintf(stderr, "\r%80s\r", "");
}

}  // namespace clustersim
