#include "common/units.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "common/diagnostics.hpp"

namespace clustersim {

namespace {

struct UnitSymbol {
  const char* symbol;
  Quantity quantity;
  double factor;  ///< canonical units per one of this unit
};

using Q = Quantity;

// Preferred spellings first: suggestions keep this order among equally close symbols.
const UnitSymbol kUnits[] = {
    // bandwidth -> bit/s
    {"bps", Q::kBandwidth, 1},
    {"kbps", Q::kBandwidth, 1e3},
    {"Mbps", Q::kBandwidth, 1e6},
    {"Gbps", Q::kBandwidth, 1e9},
    {"Tbps", Q::kBandwidth, 1e12},
    {"Pbps", Q::kBandwidth, 1e15},
    {"b/s", Q::kBandwidth, 1},
    {"kb/s", Q::kBandwidth, 1e3},
    {"Mb/s", Q::kBandwidth, 1e6},
    {"Gb/s", Q::kBandwidth, 1e9},
    {"Tb/s", Q::kBandwidth, 1e12},
    {"Pb/s", Q::kBandwidth, 1e15},
    {"bit/s", Q::kBandwidth, 1},
    {"kbit/s", Q::kBandwidth, 1e3},
    {"Mbit/s", Q::kBandwidth, 1e6},
    {"Gbit/s", Q::kBandwidth, 1e9},
    {"Tbit/s", Q::kBandwidth, 1e12},
    {"Pbit/s", Q::kBandwidth, 1e15},
    {"Bps", Q::kBandwidth, 8},
    {"kBps", Q::kBandwidth, 8e3},
    {"MBps", Q::kBandwidth, 8e6},
    {"GBps", Q::kBandwidth, 8e9},
    {"TBps", Q::kBandwidth, 8e12},
    {"B/s", Q::kBandwidth, 8},
    {"kB/s", Q::kBandwidth, 8e3},
    {"KB/s", Q::kBandwidth, 8e3},
    {"MB/s", Q::kBandwidth, 8e6},
    {"GB/s", Q::kBandwidth, 8e9},
    {"TB/s", Q::kBandwidth, 8e12},
    {"KiB/s", Q::kBandwidth, 8.0 * 1024},
    {"MiB/s", Q::kBandwidth, 8.0 * 1024 * 1024},
    {"GiB/s", Q::kBandwidth, 8.0 * 1024 * 1024 * 1024},
    {"TiB/s", Q::kBandwidth, 8.0 * 1024 * 1024 * 1024 * 1024},
    // data -> B
    {"B", Q::kData, 1},
    {"kB", Q::kData, 1e3},
    {"KB", Q::kData, 1e3},
    {"MB", Q::kData, 1e6},
    {"GB", Q::kData, 1e9},
    {"TB", Q::kData, 1e12},
    {"PB", Q::kData, 1e15},
    {"KiB", Q::kData, 1024.0},
    {"MiB", Q::kData, 1024.0 * 1024},
    {"GiB", Q::kData, 1024.0 * 1024 * 1024},
    {"TiB", Q::kData, 1024.0 * 1024 * 1024 * 1024},
    {"PiB", Q::kData, 1024.0 * 1024 * 1024 * 1024 * 1024},
    {"b", Q::kData, 1.0 / 8},
    {"kb", Q::kData, 1e3 / 8},
    {"Mb", Q::kData, 1e6 / 8},
    {"Gb", Q::kData, 1e9 / 8},
    {"Tb", Q::kData, 1e12 / 8},
    // power -> W
    {"W", Q::kPower, 1},
    {"kW", Q::kPower, 1e3},
    {"MW", Q::kPower, 1e6},
    {"GW", Q::kPower, 1e9},
    {"mW", Q::kPower, 1e-3},
    // energy -> J
    {"J", Q::kEnergy, 1},
    {"kJ", Q::kEnergy, 1e3},
    {"MJ", Q::kEnergy, 1e6},
    {"GJ", Q::kEnergy, 1e9},
    {"TJ", Q::kEnergy, 1e12},
    {"Wh", Q::kEnergy, 3600},
    {"kWh", Q::kEnergy, 3.6e6},
    {"MWh", Q::kEnergy, 3.6e9},
    {"GWh", Q::kEnergy, 3.6e12},
    // time -> s
    {"s", Q::kTime, 1},
    {"ms", Q::kTime, 1e-3},
    {"us", Q::kTime, 1e-6},
    {"µs", Q::kTime, 1e-6},
    {"ns", Q::kTime, 1e-9},
    {"min", Q::kTime, 60},
    {"h", Q::kTime, 3600},
    {"d", Q::kTime, 86400},
    {"w", Q::kTime, 7 * 86400},
    // compute -> FLOP/s
    {"FLOPS", Q::kCompute, 1},
    {"kFLOPS", Q::kCompute, 1e3},
    {"MFLOPS", Q::kCompute, 1e6},
    {"GFLOPS", Q::kCompute, 1e9},
    {"TFLOPS", Q::kCompute, 1e12},
    {"PFLOPS", Q::kCompute, 1e15},
    {"EFLOPS", Q::kCompute, 1e18},
    {"FLOP/s", Q::kCompute, 1},
    {"kFLOP/s", Q::kCompute, 1e3},
    {"MFLOP/s", Q::kCompute, 1e6},
    {"GFLOP/s", Q::kCompute, 1e9},
    {"TFLOP/s", Q::kCompute, 1e12},
    {"PFLOP/s", Q::kCompute, 1e15},
    {"EFLOP/s", Q::kCompute, 1e18},
    // count -> 1
    {"k", Q::kCount, 1e3},
    {"K", Q::kCount, 1e3},
    {"M", Q::kCount, 1e6},
    {"G", Q::kCount, 1e9},
    {"B", Q::kCount, 1e9},
    {"T", Q::kCount, 1e12},
    // ratio -> 1
    {"%", Q::kRatio, 0.01},
};

// Display units for format_quantity, ascending factors.
struct DisplayUnit {
  double factor;
  const char* symbol;
};

std::vector<DisplayUnit> display_units(Quantity q) {
  switch (q) {
    case Q::kBandwidth:
      return {{1, " bit/s"},    {1e3, " kbit/s"},  {1e6, " Mbit/s"},
              {1e9, " Gbit/s"}, {1e12, " Tbit/s"}, {1e15, " Pbit/s"}};
    case Q::kData: return {{1, " B"}, {1e3, " kB"}, {1e6, " MB"}, {1e9, " GB"}, {1e12, " TB"}, {1e15, " PB"}};
    case Q::kPower: return {{1e-3, " mW"}, {1, " W"}, {1e3, " kW"}, {1e6, " MW"}, {1e9, " GW"}};
    case Q::kEnergy: return {{1, " J"}, {3600, " Wh"}, {3.6e6, " kWh"}, {3.6e9, " MWh"}, {3.6e12, " GWh"}};
    case Q::kTime:
      return {{1e-9, " ns"}, {1e-6, " us"}, {1e-3, " ms"}, {1, " s"}, {60, " min"}, {3600, " h"}, {86400, " d"}};
    case Q::kCompute:
      return {{1, " FLOP/s"},     {1e3, " kFLOP/s"},  {1e6, " MFLOP/s"}, {1e9, " GFLOP/s"},
              {1e12, " TFLOP/s"}, {1e15, " PFLOP/s"}, {1e18, " EFLOP/s"}};
    case Q::kCount: return {{1, ""}, {1e3, "k"}, {1e6, "M"}, {1e9, "G"}, {1e12, "T"}};
    case Q::kRatio: return {{0.01, "%"}};
  }
  return {{1, ""}};
}

// The unit used in "add a unit, e.g. 800Gbps".
const char* example_unit(Quantity q) {
  switch (q) {
    case Q::kBandwidth: return "Gbps";
    case Q::kData: return "GB";
    case Q::kPower: return "W";
    case Q::kEnergy: return "kWh";
    case Q::kTime: return "s";
    case Q::kCompute: return "TFLOPS";
    case Q::kCount:
    case Q::kRatio: return "";
  }
  return "";
}

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Length of the decimal number at the start of `s` (optional exponent), 0 when there is none.
size_t number_length(const std::string& s) {
  size_t i = 0, digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && is_digit(s[j])) {
      while (j < s.size() && is_digit(s[j])) ++j;
      i = j;
    }
  }
  return i;
}

std::string expected_text(Quantity q) {
  return std::string("expected ") + quantity_name(q) + " such as " + quantity_examples(q);
}

// "bandwidth" from "a bandwidth".
std::string family_noun(Quantity q) {
  const std::string name = quantity_name(q);
  return name.substr(name.find(' ') + 1);
}

ParsedQuantity failure(std::string error, std::string hint) {
  ParsedQuantity p;
  p.error = std::move(error);
  p.hint = std::move(hint);
  return p;
}

}  // namespace

const char* canonical_unit(Quantity q) {
  switch (q) {
    case Q::kBandwidth: return "bit/s";
    case Q::kData: return "B";
    case Q::kPower: return "W";
    case Q::kEnergy: return "J";
    case Q::kTime: return "s";
    case Q::kCompute: return "FLOP/s";
    case Q::kCount:
    case Q::kRatio: return "1";
  }
  return "1";
}

const char* quantity_name(Quantity q) {
  switch (q) {
    case Q::kBandwidth: return "a bandwidth";
    case Q::kData: return "a data size";
    case Q::kPower: return "a power";
    case Q::kEnergy: return "an energy";
    case Q::kTime: return "a time";
    case Q::kCompute: return "a compute rate";
    case Q::kCount: return "a count";
    case Q::kRatio: return "a ratio";
  }
  return "a quantity";
}

const char* quantity_examples(Quantity q) {
  switch (q) {
    case Q::kBandwidth: return "800Gbps, 1.6Tbps, 100GB/s";
    case Q::kData: return "80GB, 512MiB, 1TB";
    case Q::kPower: return "700W, 1.2kW, 35MW";
    case Q::kEnergy: return "10kWh, 5MWh, 3.6MJ";
    case Q::kTime: return "1us, 10ms, 30s, 10min, 24h";
    case Q::kCompute: return "989TFLOPS, 2.25PFLOPS";
    case Q::kCount: return "64, 4M, 1.5B";
    case Q::kRatio: return "0.7, 70%";
  }
  return "";
}

ParsedQuantity parse_quantity(const std::string& text, Quantity q) {
  if (text.empty()) return failure("empty value", expected_text(q));
  size_t i = 0;
  if (text[0] == '-') return failure("negative value '" + text + "' is not allowed", expected_text(q));
  if (text[0] == '+') i = 1;
  const size_t len = number_length(text.substr(i));
  if (len == 0) return failure("'" + text + "' is not a number with a unit", expected_text(q));
  const std::string number = text.substr(i, len);
  const double value = std::strtod(number.c_str(), nullptr);
  if (!std::isfinite(value)) return failure("'" + text + "' is out of range", expected_text(q));
  i += len;
  if (i < text.size() && text[i] == ' ') ++i;
  const std::string unit = text.substr(i);

  ParsedQuantity out;
  if (unit.empty()) {
    if (q != Q::kCount && q != Q::kRatio)
      return failure(std::string("missing unit in '") + text + "'",
                     std::string("add a unit, e.g. ") + number + example_unit(q) + "; " + expected_text(q));
    out.ok = true;
    out.value = value;
    return out;
  }
  std::vector<std::string> family;
  const UnitSymbol* other = nullptr;
  for (const auto& u : kUnits) {
    if (u.quantity == q) {
      if (unit == u.symbol) {
        out.ok = true;
        out.value = value * u.factor;
        if (!std::isfinite(out.value)) return failure("'" + text + "' is out of range", expected_text(q));
        return out;
      }
      family.push_back(u.symbol);
    } else if (unit == u.symbol && other == nullptr) {
      other = &u;
    }
  }
  if (q == Q::kTime && unit == "m")
    return failure("ambiguous unit 'm' in '" + text + "'", "did you mean 'min' (minute) or 'ms'?");
  if (other != nullptr)
    return failure("'" + unit + "' is a unit of " + family_noun(other->quantity) + ", not of " + family_noun(q) +
                       " ('" + text + "')",
                   expected_text(q));
  const auto close = closest_names(unit, family, 1);
  std::string hint = close.empty() ? "" : did_you_mean(unit, family) + " ";
  return failure("unknown unit '" + unit + "' in '" + text + "'", hint + expected_text(q));
}

std::string format_number(double value) {
  char buf[40];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  return buf;
}

std::string canonical_text(double value, Quantity q) {
  if (q == Q::kCount || q == Q::kRatio) return format_number(value);
  return format_number(value) + canonical_unit(q);
}

std::string format_quantity(double value, Quantity q) {
  const auto units = display_units(q);
  DisplayUnit chosen = units.front();
  for (const auto& u : units)
    if (u.factor == 1) chosen = u;  // zero and tiny values read best in the base unit
  if (q != Q::kRatio && value != 0) {
    chosen = units.front();
    for (const auto& u : units)
      if (std::fabs(value) >= u.factor * (1 - 1e-12)) chosen = u;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.4g", value / chosen.factor);
  return std::string(buf) + chosen.symbol;
}

bool parse_oversubscription(const std::string& text, double& ratio, std::string& error) {
  const auto colon = text.find(':');
  const std::string down = text.substr(0, colon);
  const std::string up = colon == std::string::npos ? "1" : text.substr(colon + 1);
  auto parse = [](const std::string& s, double& v) {
    const size_t len = number_length(s);
    if (len == 0 || len != s.size()) return false;
    v = std::strtod(s.c_str(), nullptr);
    return true;
  };
  double d = 0, u = 0;
  if (!parse(down, d) || !parse(up, u) || u == 0) {
    error = "'" + text + "' is not an oversubscription ratio such as 1:1, 3:1 or 2";
    return false;
  }
  ratio = d / u;
  if (!std::isfinite(ratio)) {
    error = "oversubscription '" + text + "' is out of range";
    return false;
  }
  if (ratio < 1) {
    error = "oversubscription '" + text + "' is below 1:1";
    return false;
  }
  return true;
}

std::string udunits_spelling(const std::string& units) {
  static const std::map<std::string, std::string> spelling{
      {"token", "count"}, {"token/s", "count/s"}, {"FLOP/s", "count/s"}, {"J/token", "J/count"}, {"B", "byte"},
      {"C", "degC"},      {"1/s", "s-1"},         {"L/kWh", "L/(kW h)"}, {"USD", "1"},           {"USD/h", "h-1"},
  };
  const auto it = spelling.find(units);
  return it == spelling.end() ? units : it->second;
}

}  // namespace clustersim
