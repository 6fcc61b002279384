#include "common/diagnostics.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using namespace clustersim;

namespace {

TEST(Diagnostics, EditDistanceCountsTranspositionsAsOne) {
  EXPECT_EQ(edit_distance("worklaod", "workload"), 1u);  // "ao" <-> "oa": one adjacent swap
  EXPECT_EQ(edit_distance("lnk", "link"), 1u);           // one insertion
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);     // classic: 2 substitutions + 1 insertion
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("MW", "mW"), 1u);  // case-sensitive
}

TEST(Diagnostics, ClosestNamesRanksCaseInsensitiveMatchesFirst) {
  const std::vector<std::string> names = {"workload", "output", "Workload2", "name"};
  EXPECT_EQ(closest_names("WORKLOAD", names), (std::vector<std::string>{"workload", "Workload2"}));
  EXPECT_EQ(closest_names("worklaod", names).front(), "workload");
  EXPECT_TRUE(closest_names("zzzzzz", names).empty());
  // Prefix matches qualify when the edit distance is too large: H10 -> H100-SXM (distance 5).
  EXPECT_EQ(closest_names("H10", {"H100-SXM", "B200"}), (std::vector<std::string>{"H100-SXM"}));
}

TEST(Diagnostics, DidYouMeanOrTheFullList) {
  EXPECT_EQ(did_you_mean("lnk", {"link", "tiers", "radix"}), "did you mean 'link'?");
  EXPECT_EQ(did_you_mean("qqq", {"tiers", "link"}), "valid names are: link, tiers");
  EXPECT_EQ(did_you_mean("x", {}), "there are no valid names here");
}

TEST(Diagnostics, FormatShowsSourceLineAndCaret) {
  const std::string file = testing::TempDir() + "diag_caret.yaml";
  std::ofstream(file) << "name: x\nfabric:\n  lnk: 800Gbps\n";
  const std::string text =
      format_diagnostic(Diagnostic{SourceLocation{file, 3, 3}, "fabric", "unknown key 'lnk'", "did you mean 'link'?"});
  EXPECT_EQ(text, file +
                      ":3:3: error: fabric: unknown key 'lnk'\n"
                      "      lnk: 800Gbps\n"
                      "      ^\n"
                      "  did you mean 'link'?\n");
  std::remove(file.c_str());
}

TEST(Diagnostics, FormatWithoutLineOmitsPosition) {
  const std::string text =
      format_diagnostic(Diagnostic{SourceLocation{"--set fabric.link=9", 0, 0}, "fabric.link", "missing unit", ""});
  EXPECT_EQ(text, "--set fabric.link=9: error: fabric.link: missing unit\n");
}

TEST(Diagnostics, FormatCountsErrors) {
  Diagnostics d;
  d.add({"a.yaml", 1, 1}, "", "first");
  EXPECT_NE(d.format().find("1 error, nothing was run."), std::string::npos);
  d.add({"a.yaml", 2, 1}, "", "second");
  d.add({"a.yaml", 3, 1}, "", "third");
  const std::string all = d.format();
  EXPECT_NE(all.find("a.yaml:2:1: error: second"), std::string::npos);
  EXPECT_EQ(all.substr(all.size() - 26), "3 errors, nothing was run.");
  const ConfigError e(d);
  EXPECT_EQ(e.diagnostics().size(), 3u);
}

}  // namespace
