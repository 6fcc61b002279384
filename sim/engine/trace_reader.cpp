#include "sim/engine/trace_reader.hpp"

#include <cstdio>
#include <cstdlib>
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
/// The number after `"key":` in a JSON line; false when absent.
bool json_number(const std::string& line, const char* key, double& value) {
  const std::string k = std::string("\"") + key + "\"";
  const size_t at = line.find(k);
  if (at == std::string::npos) return false;
  const size_t colon = line.find(':', at + k.size());
  if (colon == std::string::npos) return false;
  char* end = nullptr;
  value = std::strtod(line.c_str() + colon + 1, &end);
  return end != line.c_str() + colon + 1;
}

/// The integers of the list after `"key":`.
std::vector<uint32_t> json_int_list(const std::string& line, const char* key) {
  std::vector<uint32_t> out;
  const size_t at = line.find(std::string("\"") + key + "\"");
  if (at == std::string::npos) return out;
  const size_t open = line.find('[', at), close = line.find(']', at);
  if (open == std::string::npos || close == std::string::npos) return out;
  const char* p = line.c_str() + open + 1;
  const char* end = line.c_str() + close;
  while (p < end) {
    char* next = nullptr;
    const unsigned long v = std::strtoul(p, &next, 10);
    if (next == p) {
      ++p;
      continue;
    }
    out.push_back(static_cast<uint32_t>(v));
    p = next;
  }
  return out;
}

}  // namespace

namespace {

/// Reads a trace file line by line: `parse(line, lineno, time, request)` returns false for a malformed row,
/// which becomes a diagnostic at file:line (at most 10 are collected); `time` is the raw timestamp in s.
/// Times are returned relative to the first request. Throws ConfigError.
template <typename Parse>
std::vector<RequestArrival> read_rows(const std::string& path, const std::string& open_hint,
                                      const std::string& row_message, const std::string& row_hint, Parse parse) {
  std::ifstream in(path);
  Diagnostics diags;
  if (!in) {
    diags.add({path, 0, 0}, "", "cannot read trace file", open_hint);
    throw ConfigError(diags);
  }
  std::vector<RequestArrival> out;
  std::string line;
  int lineno = 0;
  double first = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    double t = 0;
    RequestArrival r;
    if (!parse(line, lineno, t, r)) {
      if (lineno == 1) continue;  // a header row
      diags.add({path, lineno, 1}, "", row_message + " '" + line.substr(0, 80) + "'", row_hint);
      if (diags.size() >= 10) break;
      continue;
    }
    if (out.empty()) first = t;
    r.time_s = t - first;
    out.push_back(std::move(r));
  }
  if (!diags.empty()) throw ConfigError(diags);
  return out;
}

}  // namespace

std::vector<RequestArrival> read_mooncake_trace(const std::string& path) {
  return read_rows(path, "give a .jsonl path or mooncake-conv / mooncake-synthetic", "malformed trace line",
                   "expected {\"timestamp\": ms, \"input_length\": n, \"output_length\": n, \"hash_ids\": [...]}",
                   [](const std::string& line, int, double& t, RequestArrival& r) {
                     double ms = 0, input = 0, output = 0;
                     if (!json_number(line, "timestamp", ms) || !json_number(line, "input_length", input) ||
                         !json_number(line, "output_length", output))
                       return false;
                     t = ms / 1000.0;
                     r = {0, std::max(1, static_cast<int>(input)), std::max(1, static_cast<int>(output)),
                          json_int_list(line, "hash_ids")};
                     return true;
                   });
}

std::vector<RequestArrival> read_trace(const std::string& path) {
  const bool jsonl = path.size() >= 6 && path.compare(path.size() - 6, 6, ".jsonl") == 0;
  return jsonl ? read_mooncake_trace(path) : read_azure_trace(path);
}

std::vector<RequestArrival> read_azure_trace(const std::string& path) {
  return read_rows(path, "give a CSV path or a trace name (azure-conv, azure-code)", "malformed trace row",
                   "expected TIMESTAMP,ContextTokens,GeneratedTokens as in the Azure LLM inference trace 2023",
                   [](const std::string& line, int, double& t, RequestArrival& r) {
                     std::stringstream ss(line);
                     std::string ts, ctx, gen;
                     int context = 0, generated = 0;
                     if (!std::getline(ss, ts, ',') || !std::getline(ss, ctx, ',') || !std::getline(ss, gen, ',') ||
                         !parse_timestamp(ts, t) || std::sscanf(ctx.c_str(), "%d", &context) != 1 ||
                         std::sscanf(gen.c_str(), "%d", &generated) != 1)
                       return false;
                     r = {0, std::max(1, context), std::max(1, generated), {}};
                     return true;
                   });
}

}  // namespace clustersim
