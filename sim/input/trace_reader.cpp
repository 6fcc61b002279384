#include "sim/input/trace_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "common/diagnostics.hpp"
#include "common/units.hpp"

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

/// "YYYY-MM-DD HH:MM:SS.fff" -> seconds since 1970. Field widths bound every integer (no overflow).
bool parse_timestamp(const std::string& s, double& seconds) {
  int y, mo, d, h, mi;
  double sec;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d %2d:%2d:%lf", &y, &mo, &d, &h, &mi, &sec) != 6) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || !(sec >= 0 && sec < 61))
    return false;
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

/// The integers of the list after `"key":`; false when one is negative or does not fit 32 bits.
bool json_int_list(const std::string& line, const char* key, std::vector<uint32_t>& out) {
  const size_t at = line.find(std::string("\"") + key + "\"");
  if (at == std::string::npos) return true;
  const size_t open = line.find('[', at), close = line.find(']', at);
  if (open == std::string::npos || close == std::string::npos) return true;
  const char* p = line.c_str() + open + 1;
  const char* end = line.c_str() + close;
  while (p < end) {
    if (*p == '-') return false;
    char* next = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(p, &next, 10);
    if (next == p) {
      ++p;
      continue;
    }
    if (errno == ERANGE || v > std::numeric_limits<uint32_t>::max()) return false;
    out.push_back(static_cast<uint32_t>(v));
    p = next;
  }
  return true;
}

/// A token count read as a double: a whole number in [0, kMaxRequestTokens]; 0 becomes 1 (a request has at
/// least one token). Returns "" or what is wrong.
std::string check_tokens(double v, const char* what, int& tokens) {
  if (!std::isfinite(v) || v < 0 || v > kMaxRequestTokens || v != std::floor(v)) {
    std::ostringstream m;
    m << what << " " << v << " is not a whole number of tokens in [0, " << static_cast<long>(kMaxRequestTokens) << "]";
    return m.str();
  }
  tokens = std::max(1, static_cast<int>(v));
  return "";
}

/// A CSV field holding a token count: the whole field must be a number.
std::string parse_tokens(const std::string& field, const char* what, int& tokens) {
  const char* begin = field.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  while (end && (*end == ' ' || *end == '\t')) ++end;
  if (end == begin || *end != '\0') return std::string(what) + " '" + field + "' is not a number";
  return check_tokens(v, what, tokens);
}

/// One row: "" when read; "malformed" when it does not have the format (a header is); else what is wrong.
using RowResult = std::string;
const char* const kMalformed = "malformed";

/// Reads a trace file line by line: `parse(line, time, request)` returns a RowResult; a bad row becomes a
/// diagnostic at file:line (kShownBadRows of them, then a count); `time` is the raw timestamp in s.
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
  int lineno = 0, bad = 0, first_line = 0, last_line = 0, last_bad_line = 0;
  double first = 0, previous = -std::numeric_limits<double>::infinity();
  auto report = [&](const std::string& message, const std::string& hint) {
    last_bad_line = lineno;
    if (++bad <= kShownBadRows) diags.add({path, lineno, 1}, "", message, hint);
  };
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    double t = 0;
    RequestArrival r;
    const RowResult result = parse(line, t, r);
    if (result == kMalformed) {
      if (lineno == 1) continue;  // a header row
      report(row_message + " '" + line.substr(0, 80) + "'", row_hint);
      continue;
    }
    if (!result.empty()) {
      report(result, row_hint);
      continue;
    }
    if (t < previous) {
      report("row out of order: its timestamp is " + format_number(previous - t) +
                 " s before the previous row's (line " + std::to_string(last_line) + ")",
             "sort the trace by timestamp (e.g. sort -t, -k1,1 for a CSV after its header)");
      continue;
    }
    previous = t;
    last_line = lineno;
    if (out.empty()) first = t, first_line = lineno;
    r.time_s = t - first;
    out.push_back(std::move(r));
  }
  if (bad > kShownBadRows)
    diags.add({path, last_bad_line, 1}, "",
              "and " + std::to_string(bad - kShownBadRows) + " more bad rows (" + std::to_string(bad) + " in all)");
  if (diags.empty() && out.empty())  // an empty file still has a line 1
    diags.add({path, std::max(lineno, 1), 1}, "",
              "the trace has no requests (" + std::to_string(lineno) + (lineno == 1 ? " line" : " lines") + " read)",
              "give a trace with at least one row, or another arrival kind");
  if (diags.empty() && out.size() > 1 && !(out.back().time_s > 0 && std::isfinite(out.back().time_s)))
    diags.add({path, first_line, 1}, "",
              "the trace's " + std::to_string(out.size()) + " requests span " + format_number(out.back().time_s) +
                  " s (lines " + std::to_string(first_line) + " to " + std::to_string(last_line) +
                  "): it cannot be replayed cyclically",
              "give distinct timestamps, or use arrivals kind: batch for requests all present at once");
  if (!diags.empty()) throw ConfigError(diags);
  return out;
}

}  // namespace

std::vector<RequestArrival> read_mooncake_trace(const std::string& path) {
  return read_rows(path, "give a .jsonl path or mooncake-conv / mooncake-synthetic", "malformed trace line",
                   "expected {\"timestamp\": ms, \"input_length\": n, \"output_length\": n, \"hash_ids\": [...]}",
                   [](const std::string& line, double& t, RequestArrival& r) -> RowResult {
                     double ms = 0, input = 0, output = 0;
                     if (!json_number(line, "timestamp", ms) || !json_number(line, "input_length", input) ||
                         !json_number(line, "output_length", output))
                       return kMalformed;
                     if (!std::isfinite(ms) || ms < 0)
                       return "timestamp " + format_number(ms) + " is not a finite time >= 0 ms";
                     t = ms / 1000.0;
                     r = {};
                     std::string why = check_tokens(input, "input_length", r.input_tokens);
                     if (why.empty()) why = check_tokens(output, "output_length", r.output_tokens);
                     if (why.empty() && !json_int_list(line, "hash_ids", r.prefix_blocks))
                       why = "a hash id is negative or does not fit 32 bits";
                     return why;
                   });
}

std::vector<RequestArrival> read_trace(const std::string& path) {
  const bool jsonl = path.size() >= 6 && path.compare(path.size() - 6, 6, ".jsonl") == 0;
  return jsonl ? read_mooncake_trace(path) : read_azure_trace(path);
}

std::vector<RequestArrival> read_azure_trace(const std::string& path) {
  return read_rows(path, "give a CSV path or a trace name (azure-conv, azure-code)", "malformed trace row",
                   "expected TIMESTAMP,ContextTokens,GeneratedTokens as in the Azure LLM inference trace 2023",
                   [](const std::string& line, double& t, RequestArrival& r) -> RowResult {
                     std::stringstream ss(line);
                     std::string ts, ctx, gen;
                     if (!std::getline(ss, ts, ',') || !std::getline(ss, ctx, ',') || !std::getline(ss, gen, ',') ||
                         !parse_timestamp(ts, t))
                       return kMalformed;
                     r = {};
                     std::string why = parse_tokens(ctx, "ContextTokens", r.input_tokens);
                     if (why.empty()) why = parse_tokens(gen, "GeneratedTokens", r.output_tokens);
                     return why;
                   });
}

}  // namespace clustersim
