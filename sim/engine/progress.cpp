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

RunPhases& run_phases() {
  static RunPhases phases;
  return phases;
}

std::string progress_text(double sim_now_s, double total_s, double wall_s, const RunPhases& phases) {
  const double frac = total_s > 0 ? sim_now_s / total_s : 0;
  char body[160];
  std::snprintf(body, sizeof body, "simulated %s of %s (%3.0f%%)  wall %.1f s",
                format_quantity(sim_now_s, Quantity::kTime).c_str(), format_quantity(total_s, Quantity::kTime).c_str(),
                100 * frac, wall_s);
  if (phases.detailed > 0)
    return "[detailed steps: " + std::to_string(phases.detailed) + (phases.detailed == 1 ? " job] " : " jobs] ") + body;
  if (phases.steady > 0) return std::string("[steady state] ") + body;
  const double eta = frac > 0 ? wall_s * (1 - frac) / frac : 0;
  char eta_text[32];
  std::snprintf(eta_text, sizeof eta_text, "  ETA %.0f s", eta);
  return body + std::string(eta_text);
}

void ProgressLine::update(double sim_now_s) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const double wall = std::chrono::duration<double>(now - start_).count();
  if (wall < kFirstDrawAfterS || std::chrono::duration<double>(now - last_draw_).count() < kRedrawEveryS) return;
  last_draw_ = now;
  shown_ = true;
  std::fprintf(stderr, "\r  %s   ", progress_text(sim_now_s, total_s_, wall, run_phases()).c_str());
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (shown_) std::fprintf(stderr, "\r%80s\r", "");
}

}  // namespace clustersim
