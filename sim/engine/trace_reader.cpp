#include "sim/engine/trace_reader.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "sim/config/diagnostics.hpp"

namespace clustersim {

namespace {
// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
long days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

bool parse_timestamp(const std::string& s, double& seconds) {
  int y, mo, d, h, mi;
  double sec;
  if (std::sscanf(s.c_str(), "%d-%d-%d %d:%d:%lf", &y, &mo, &d, &h, &mi, &sec) != 6) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec < 0 || sec >= 61) return false;
  seconds = days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + sec;
  return true;
}
}  // namespace

std::vector<RequestArrival> read_azure_trace(const std::string& path) {
  std::ifstream in(path);
  Diagnostics diags;
  if (!in) {
    diags.add({path, 0, 0}, "", "cannot read trace file", "give a CSV path or a trace name (azure-conv, azure-code)");
    throw ConfigError(diags);
  }
  std::vector<RequestArrival> out;
  std::string line;
  int lineno = 0;
  double first = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (lineno == 1 || line.empty()) continue;  // header
    std::stringstream ss(line);
    std::string ts, ctx, gen;
    double t = 0;
    int context = 0, generated = 0;
    if (!std::getline(ss, ts, ',') || !std::getline(ss, ctx, ',') || !std::getline(ss, gen, ',') ||
        !parse_timestamp(ts, t) || std::sscanf(ctx.c_str(), "%d", &context) != 1 ||
        std::sscanf(gen.c_str(), "%d", &generated) != 1) {
      diags.add({path, lineno, 1}, "", "malformed trace row '" + line + "'",
                "expected TIMESTAMP,ContextTokens,GeneratedTokens as in the Azure LLM inference trace 2023");
      if (diags.size() >= 10) break;
      continue;
    }
    if (out.empty()) first = t;
    out.push_back({t - first, std::max(1, context), std::max(1, generated)});
  }
  if (!diags.empty()) throw ConfigError(diags);
  return out;
}

}  // namespace clustersim
