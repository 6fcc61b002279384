#include "sim/config/schema.hpp"

#include <gtest/gtest.h>

#include "sim/config/field_builders.hpp"

using namespace clustersim;
using namespace clustersim::fields;

namespace {

// A small two-level schema: link { speed, count }, items [ { name, weight } ], entries { <name>: {...} }.
struct TestSchemas {
  Schema item{"item", {required(text("name", "", "item name")), number("weight", "1.5", 0, 10, "weight")}};
  Schema link{"link",
              {quantity("speed", Quantity::kBandwidth, "400Gbps", 0, "link speed", true),
               integer("count", "2", 1, 8, "links"), oversubscription("ratio", "1:1", 64, "down:up")}};
  Schema root{"root",
              {required(text("name", "", "name")), choice("mode", "fast", {"fast", "slow"}, "mode"),
               boolean("on", "true", "switch"), nested("link", FieldKind::kMap, &link, "the link"),
               nested("items", FieldKind::kListOfMaps, &item, "items"),
               nested("entries", FieldKind::kNamedMaps, &item, "named entries", true), string_list("files", "files")}};
};

ResolvedConfig run(const std::string& yaml, const TestSchemas& s, Diagnostics& d,
                   const std::map<std::string, std::string>& overridden = {}) {
  return resolve(YAML::Load(yaml), s.root, "t.yaml", d, "", overridden);
}

TEST(Schema, DefaultsAreFilledAndQuantitiesAreCanonical) {
  TestSchemas s;
  Diagnostics d;
  const auto r = run("name: a\nlink: {speed: 1.6Tbps, ratio: '3:1'}\nitems: [{name: x}]\n", s, d);
  ASSERT_TRUE(d.empty()) << d.format();
  EXPECT_EQ(r.tree["mode"].as<std::string>(), "fast");
  EXPECT_TRUE(r.tree["on"].as<bool>());
  EXPECT_DOUBLE_EQ(r.tree["link"]["speed"].as<double>(), 1.6e12);
  EXPECT_EQ(r.tree["link"]["count"].as<int>(), 2);
  EXPECT_DOUBLE_EQ(r.tree["link"]["ratio"].as<double>(), 3.0);
  EXPECT_DOUBLE_EQ(r.tree["items"][0]["weight"].as<double>(), 1.5);
  EXPECT_TRUE(r.tree["entries"].IsMap());
  EXPECT_EQ(r.tree["files"].size(), 0u);
}

TEST(Schema, CollectsEveryProblemWithLocations) {
  TestSchemas s;
  Diagnostics d;
  // Line 2 duplicates 'name' (first at line 1); line 3: unknown key; line 4: count 9 > 8, col 17.
  run("name: a\nname: b\nmdoe: slow\nlink: {count: 9}\nitems:\n  - weight: 2\n", s, d);
  ASSERT_EQ(d.size(), 4u) << d.format();
  const auto& i = d.items();
  EXPECT_EQ(i[0].message, "duplicate key 'name'");
  EXPECT_EQ(i[0].hint, "first defined at line 1");
  EXPECT_EQ(i[0].location.line, 2);
  EXPECT_EQ(i[1].message, "unknown key 'mdoe' in 'root'");
  EXPECT_EQ(i[1].hint, "did you mean 'mode'?");
  EXPECT_EQ(i[2].key_path, "link.count");
  EXPECT_EQ(i[2].location.line, 4);
  EXPECT_EQ(i[2].location.column, 15);  // "link: {count: 9}": the 9 is the 15th character
  // The list item lacks 'name': reported at the item (line 6, column 5 = its first key).
  EXPECT_EQ(i[3].key_path, "items[0]");
  EXPECT_EQ(i[3].message, "missing required key 'name' in 'item'");
  EXPECT_EQ(i[3].location.line, 6);
  EXPECT_EQ(i[3].location.column, 5);
}

TEST(Schema, TypeErrors) {
  TestSchemas s;
  Diagnostics d;
  run("name: [a]\nlink: 5\non: maybe\nitems: {a: 1}\n", s, d);
  ASSERT_EQ(d.size(), 4u) << d.format();
  EXPECT_EQ(d.items()[0].message, "expected a string, got a list");
  EXPECT_EQ(d.items()[1].message, "expected true or false, got 'maybe'");
  EXPECT_EQ(d.items()[2].message, "expected a mapping, got '5'");
  EXPECT_EQ(d.items()[3].message, "expected a list, got a mapping");
}

TEST(Schema, OverriddenValuesAreLocatedOnTheCommandLine) {
  TestSchemas s;
  Diagnostics d;
  run("name: a\nlink: {speed: 800}\n", s, d, {{"link.speed", "800"}});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d.items()[0].location.file, "--set link.speed=800");
  EXPECT_EQ(d.items()[0].location.line, 0);
  EXPECT_NE(d.items()[0].hint.find("800Gbps"), std::string::npos);
}

TEST(Schema, PartialEntriesAreNotCompletedUntilAsked) {
  TestSchemas s;
  Diagnostics d;
  const auto r = run("name: a\nentries:\n  e1: {weight: 3}\n", s, d);
  ASSERT_TRUE(d.empty()) << d.format();
  EXPECT_FALSE(r.tree["entries"]["e1"]["name"].IsDefined());
  YAML::Node entry = r.tree["entries"]["e1"];
  complete_defaults(entry, s.item, r.location_of("entries.e1"), "entries.e1", d);
  ASSERT_EQ(d.size(), 1u);  // 'name' is required
  EXPECT_EQ(d.items()[0].location.line, 3);
}

TEST(Schema, EmittedTreeResolvesToTheSameTree) {
  TestSchemas s;
  Diagnostics d;
  const auto first = run("name: a\nlink: {speed: 100GB/s}\nitems: [{name: x, weight: 0.1}]\n", s, d);
  const std::string text = emit_resolved(first.tree, s.root);
  EXPECT_NE(text.find("speed: 800000000000bit/s"), std::string::npos) << text;  // 100 GB/s x 8
  const auto second = run(text, s, d);
  ASSERT_TRUE(d.empty()) << d.format() << text;
  EXPECT_EQ(emit_resolved(second.tree, s.root), text);
}

TEST(Schema, DescribeListsNestedKeys) {
  TestSchemas s;
  const std::string text = describe_schema(s.root);
  EXPECT_NE(text.find("link.speed"), std::string::npos);
  EXPECT_NE(text.find("items[].weight"), std::string::npos);
  EXPECT_NE(text.find("fast | slow"), std::string::npos);
  EXPECT_NE(text.find("1 to 8"), std::string::npos);
}

}  // namespace
