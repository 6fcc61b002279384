#include "common/units.hpp"

#include <gtest/gtest.h>

#include <xbt/parse_units.hpp>

using clustersim::parse_quantity;
using clustersim::Quantity;

namespace {

struct Good {
  const char* text;
  Quantity quantity;
  double expected;  // canonical unit: bit/s, B, W, J, s, FLOP/s, 1
};

// Each expected value is the number times the unit factor, by hand: byte bandwidths x8, Gb = 1e9/8 B,
// GiB = 2^30 B, Wh = 3600 J, min = 60 s, M = 1e6, % = 0.01.
const Good kGood[] = {
    {"800Gbps", Quantity::kBandwidth, 800e9},
    {"1.6Tbps", Quantity::kBandwidth, 1.6e12},
    {"100GB/s", Quantity::kBandwidth, 8e11},  // 100e9 B/s x 8
    {"100GBps", Quantity::kBandwidth, 8e11},
    {"400Gb/s", Quantity::kBandwidth, 4e11},
    {"1 GiB/s", Quantity::kBandwidth, 8589934592},  // 2^30 x 8
    {"3.35TB/s", Quantity::kBandwidth, 26.8e12},    // 3.35e12 x 8
    {"700W", Quantity::kPower, 700},
    {"35MW", Quantity::kPower, 35e6},
    {"1.2kW", Quantity::kPower, 1200},
    {"24h", Quantity::kTime, 86400},
    {"10min", Quantity::kTime, 600},
    {"1us", Quantity::kTime, 1e-6},
    {"1µs", Quantity::kTime, 1e-6},
    {"1e3ms", Quantity::kTime, 1},
    {"+5s", Quantity::kTime, 5},
    {"16M", Quantity::kCount, 16e6},
    {"1.5B", Quantity::kCount, 1.5e9},
    {"64", Quantity::kCount, 64},
    {"70%", Quantity::kRatio, 0.7},
    {"0.7", Quantity::kRatio, 0.7},
    {"1 GB", Quantity::kData, 1e9},
    {"80GiB", Quantity::kData, 85899345920},  // 80 x 2^30
    {"8Gb", Quantity::kData, 1e9},            // 8 gigabit = 1 GB
    {"989TFLOPS", Quantity::kCompute, 989e12},
    {"2.25PFLOP/s", Quantity::kCompute, 2.25e15},
    {"10kWh", Quantity::kEnergy, 3.6e7},  // 10 x 3.6e6 J
};

TEST(Units, GoodStringsParseToCanonicalValues) {
  for (const auto& g : kGood) {
    const auto p = parse_quantity(g.text, g.quantity);
    ASSERT_TRUE(p.ok) << g.text << ": " << p.error;
    EXPECT_DOUBLE_EQ(p.value, g.expected) << g.text;
  }
}

struct Bad {
  const char* text;
  Quantity quantity;
  const char* error;  // substring of the error
  const char* hint;   // substring of the hint
};

const Bad kBad[] = {
    {"800Gbs", Quantity::kBandwidth, "unknown unit 'Gbs' in '800Gbs'", "did you mean 'Gbps'"},
    {"5m", Quantity::kTime, "ambiguous unit 'm'", "did you mean 'min' (minute) or 'ms'?"},
    {"35Mw", Quantity::kPower, "unknown unit 'Mw'", "'MW'"},
    {"abc", Quantity::kPower, "'abc' is not a number", "expected a power such as"},
    {"-3W", Quantity::kPower, "negative value '-3W'", "700W"},
    {"800", Quantity::kBandwidth, "missing unit in '800'", "add a unit, e.g. 800Gbps"},
    {"700W", Quantity::kBandwidth, "'W' is a unit of power, not of bandwidth", "800Gbps"},
    {"", Quantity::kTime, "empty value", "expected a time"},
    {"1  GB", Quantity::kData, "unknown unit ' GB'", "expected a data size"},
    {"12 furlongs", Quantity::kTime, "unknown unit 'furlongs'", "expected a time such as"},
};

TEST(Units, BadStringsGiveErrorAndHint) {
  for (const auto& b : kBad) {
    const auto p = parse_quantity(b.text, b.quantity);
    EXPECT_FALSE(p.ok) << b.text;
    EXPECT_NE(p.error.find(b.error), std::string::npos) << b.text << " -> " << p.error;
    EXPECT_NE(p.hint.find(b.hint), std::string::npos) << b.text << " -> " << p.hint;
  }
}

// SimGrid returns bytes/s; ours is bit/s, so ours = 8 x SimGrid's for every symbol both accept.
TEST(Units, BandwidthMatchesSimGridParser) {
  for (const char* text : {"800Gbps", "1.6Tbps", "100GBps", "400Mbps", "25GiBps", "10kBps"}) {
    std::string ours = text;
    if (ours == "25GiBps") ours = "25GiB/s";  // we spell binary byte rates with /s only
    const auto p = parse_quantity(ours, Quantity::kBandwidth);
    ASSERT_TRUE(p.ok) << ours << ": " << p.error;
    EXPECT_DOUBLE_EQ(p.value, 8 * xbt_parse_get_bandwidth("test", 1, text, "link")) << text;
  }
}

TEST(Units, FormatQuantityPicksAReadableUnit) {
  EXPECT_EQ(clustersim::format_quantity(800e9, Quantity::kBandwidth), "800 Gbit/s");
  EXPECT_EQ(clustersim::format_quantity(1.6e12, Quantity::kBandwidth), "1.6 Tbit/s");
  EXPECT_EQ(clustersim::format_quantity(35e6, Quantity::kPower), "35 MW");
  EXPECT_EQ(clustersim::format_quantity(9000, Quantity::kTime), "2.5 h");  // 9000 s / 3600
  EXPECT_EQ(clustersim::format_quantity(0, Quantity::kTime), "0 s");
  EXPECT_EQ(clustersim::format_quantity(0.7, Quantity::kRatio), "70%");
  EXPECT_EQ(clustersim::format_quantity(16e6, Quantity::kCount), "16M");
}

TEST(Units, CanonicalTextReadsBackExactly) {
  for (double v : {400e9, 0.1, 1e-6, 3.35e12 * 8, 123456.789}) {
    const auto p = parse_quantity(clustersim::canonical_text(v, Quantity::kBandwidth), Quantity::kBandwidth);
    ASSERT_TRUE(p.ok);
    EXPECT_EQ(p.value, v);
  }
  EXPECT_EQ(clustersim::canonical_text(600, Quantity::kTime), "600s");
  EXPECT_EQ(clustersim::format_number(0.1), "0.1");
}

TEST(Units, Oversubscription) {
  double r = 0;
  std::string error;
  ASSERT_TRUE(clustersim::parse_oversubscription("3:1", r, error));
  EXPECT_DOUBLE_EQ(r, 3);
  ASSERT_TRUE(clustersim::parse_oversubscription("4:2", r, error));  // 4 / 2
  EXPECT_DOUBLE_EQ(r, 2);
  ASSERT_TRUE(clustersim::parse_oversubscription("1.5", r, error));
  EXPECT_DOUBLE_EQ(r, 1.5);
  EXPECT_FALSE(clustersim::parse_oversubscription("1:3", r, error));
  EXPECT_NE(error.find("below 1:1"), std::string::npos);
  EXPECT_FALSE(clustersim::parse_oversubscription("3:x", r, error));
  EXPECT_FALSE(clustersim::parse_oversubscription("3:0", r, error));
}

}  // namespace
