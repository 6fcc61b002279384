#pragma once
/// @file
/// Table-driven parser for quantities with units ("800Gbps", "1.6Tbps", "100GB/s", "700W", "35MW",
/// "24h", "16M"). Every quantity is converted to one canonical SI unit per family, the unit that
/// names carry in the code: bit/s, B, W, J, s, FLOP/s, 1 (counts and ratios).

#include <string>
#include <vector>

namespace clustersim {

/// A family of units; each has one canonical unit.
enum class Quantity {
  kBandwidth,  ///< canonical bit/s: bps kbps Mbps Gbps Tbps Pbps, b/s forms, byte forms Bps kBps MBps GBps TBps
               ///< and B/s kB/s MB/s GB/s TB/s (x8), binary KiB/s MiB/s GiB/s TiB/s
  kData,       ///< canonical B: B kB KB MB GB TB PB, KiB MiB GiB TiB PiB; bits b kb Mb Gb Tb (/8)
  kPower,      ///< canonical W: mW W kW MW GW
  kEnergy,     ///< canonical J: J kJ MJ GJ TJ Wh kWh MWh GWh
  kTime,       ///< canonical s: ns us µs ms s min h d w; a bare 'm' is rejected (did you mean min or ms?)
  kCompute,    ///< canonical FLOP/s: FLOPS kFLOPS MFLOPS GFLOPS TFLOPS PFLOPS EFLOPS and FLOP/s forms
  kCount,      ///< canonical 1: plain numbers and SI-like multipliers k K M G B T ("16M" tokens, "1.5B")
  kRatio,      ///< canonical 1: a plain number (0.7) or a percentage ("70%")
};

/// Bits in a byte: the one bit/byte conversion. Specs, results and the user's files carry bandwidths in
/// bit/s (names end in `_bps`); the models and SimGrid's links work in B/s (names end in `_Bps`). Every
/// crossing goes through these two.
constexpr double kBitsPerByte = 8;

/// A bandwidth in bit/s as B/s.
constexpr double bytes_per_s(double bandwidth_bps) { return bandwidth_bps / kBitsPerByte; }

/// A bandwidth in B/s as bit/s.
constexpr double bits_per_s(double bandwidth_Bps) { return bandwidth_Bps * kBitsPerByte; }

/// The canonical unit symbol of a family, as written in results ("bit/s", "B", "W", "J", "s", "FLOP/s", "1").
const char* canonical_unit(Quantity q);

/// The UDUNITS-2 spelling of a unit as the results declare it (the file's `units` attributes follow the CF
/// conventions): counts are UDUNITS' "count" ("token" -> "count", "token/s" and "FLOP/s" -> "count/s", "J/token" ->
/// "J/count"), "B" -> "byte", "C" -> "degC", "1/s" -> "s-1", "L/kWh" -> "L/(kW h)", money as a number ("USD" ->
/// "1", "USD/h" -> "h-1": UDUNITS has no currency); every other unit as it is.
/// The declared spelling stays beside it as the attribute `clustersim_units` (tests/e2e/units.sh checks every
/// unit of a run file and of a sweep file with Debian's udunits2).
std::string udunits_spelling(const std::string& units);

/// A human name of the family ("bandwidth") and examples for hints ("800Gbps, 1.6Tbps, 100GB/s").
const char* quantity_name(Quantity q);
const char* quantity_examples(Quantity q);

/// The outcome of parsing a quantity.
struct ParsedQuantity {
  bool ok = false;
  double value = 0;   ///< in the canonical unit of the family
  std::string error;  ///< what is wrong when !ok, e.g. "unknown unit 'Gbs' in '800Gbs'"
  std::string hint;   ///< e.g. "did you mean 'Gbps'? expected a bandwidth such as 800Gbps, 1.6Tbps, 100GB/s"
};

/// Parses `text` as a quantity of family `q`. Grammar: optional '+', a decimal number (with optional
/// exponent), optional single space, then a unit symbol (case-sensitive). A bare number is accepted
/// only for kCount and kRatio; dimensioned families require a unit. Negative values are rejected.
ParsedQuantity parse_quantity(const std::string& text, Quantity q);

/// Formats a canonical value back into a short human string with a suitable unit ("800 Gbit/s", "1.6 Tbit/s",
/// "35 MW", "2.5 h"), for summaries.
std::string format_quantity(double value, Quantity q);

/// The shortest decimal text that reads back as exactly `value` ("0.1", "400000000000", "1e-06").
std::string format_number(double value);

/// A canonical value as text that parse_quantity reads back exactly: the number and the canonical
/// unit symbol ("400000000000bit/s", "600s"); a plain number for kCount and kRatio.
std::string canonical_text(double value, Quantity q);

/// Parses an oversubscription ratio "3:1" (or a plain number 3) into 3.0. Returns false on bad syntax
/// or a ratio below 1.
bool parse_oversubscription(const std::string& text, double& ratio, std::string& error);

}  // namespace clustersim
