// The topology registry: the built-ins by name, the unknown-name hint, registration rules, the schema's
// fabric.topology choices agree with it, a topology added to a registry works through the interfaces, and each
// built-in's describe-fabric line.
#include "topologies/topology_registry.hpp"

#include <gtest/gtest.h>

#include "sim/config/experiment_loader.hpp"
#include "sim/config/schema.hpp"
#include "topologies/fabric.hpp"

namespace clustersim {
namespace {

TEST(TopologyRegistry, HoldsTheBuiltIns) {
  EXPECT_EQ(topologies().names(), (std::vector<std::string>{"fat-tree", "rail-optimized", "dragonfly"}));
  for (const auto& t : topologies().all()) {
    EXPECT_FALSE(t->description().empty()) << t->name();
    EXPECT_FALSE(t->keys().empty()) << t->name();
    EXPECT_EQ(&topologies().at(t->name()), t.get());
  }
  EXPECT_EQ(topologies().find("torus"), nullptr);
}

TEST(TopologyRegistry, UnknownNameHintComesFromTheRegistry) {
  try {
    topologies().at("dragonfy");
    FAIL() << "no error";
  } catch (const TopologyError& e) {
    EXPECT_EQ(e.key(), "fabric.topology");
    EXPECT_EQ(e.hint(), "did you mean 'dragonfly'?");
  }
  try {
    topologies().at("torus");
    FAIL() << "no error";
  } catch (const TopologyError& e) {
    EXPECT_EQ(e.hint(), "valid names are: dragonfly, fat-tree, rail-optimized");
  }
}

// The experiment schema accepts exactly the registered names (the schema sits below topologies/ and keeps its
// own list: this keeps the two equal).
TEST(TopologyRegistry, SchemaChoicesMatch) {
  const Field* fabric = experiment_schema().find("fabric");
  ASSERT_NE(fabric, nullptr);
  ASSERT_NE(fabric->schema, nullptr);
  const Field* topology = fabric->schema->find("topology");
  ASSERT_NE(topology, nullptr);
  EXPECT_EQ(topology->choices, topologies().names());
}

/// A toy topology: every server on one switch, one group; the platform is not needed here.
class OneSwitchFabric : public BuiltTopology {
 public:
  explicit OneSwitchFabric(int servers) {
    for (int s = 0; s <= servers; ++s) boost::add_vertex(graph_);
    for (int s = 0; s < servers; ++s) boost::add_edge(s, servers, graph_);
    inventory_.servers = servers;
  }
  const TopologyGraph& graph() const override { return graph_; }
  const FabricInventory& inventory() const override { return inventory_; }
  int group_of(int) const override { return 0; }
  int pod_of(int) const override { return 0; }
  std::string summary() const override { return "one-switch: " + std::to_string(inventory_.servers) + " servers"; }
  Platform instantiate(const PlatformParams&) const override { return {}; }

 private:
  TopologyGraph graph_;
  FabricInventory inventory_;
};

class OneSwitch : public Topology {
 public:
  std::string name() const override { return "one-switch"; }
  std::string description() const override { return "every server on one switch"; }
  std::vector<std::string> keys() const override { return {"fabric.radix"}; }
  std::unique_ptr<const BuiltTopology> build(const FabricBuildParams& p) const override {
    if (p.tree.servers > p.tree.radix) throw TopologyError("too many servers", "fewer", "fabric.radix");
    return std::make_unique<const OneSwitchFabric>(p.tree.servers);
  }
};

TEST(TopologyRegistry, AddedTopologyWorksThroughTheInterfaces) {
  TopologyRegistry r;
  r.add(std::make_unique<OneSwitch>());
  EXPECT_THROW(r.add(std::make_unique<OneSwitch>()), std::invalid_argument);  // the name is taken
  EXPECT_EQ(r.names(), std::vector<std::string>{"one-switch"});
  FabricBuildParams p;
  p.topology = "one-switch";
  p.tree.servers = 4;
  const auto built = r.at("one-switch").build(p);
  EXPECT_EQ(boost::num_vertices(built->graph()), 5u);
  EXPECT_EQ(built->summary(), "one-switch: 4 servers");
  p.tree.servers = 100;
  EXPECT_THROW(r.at("one-switch").build(p), TopologyError);
}

FabricBuildParams small(const std::string& topology, int servers, int tiers) {
  FabricBuildParams p;
  p.topology = topology;
  p.tree.servers = servers;
  p.tree.nics_per_server = 8;
  p.tree.link_bps = 400e9;
  p.tree.radix = 64;
  p.tree.tiers = tiers;
  return p;
}

// describe-fabric lines. Fat-tree 3 tiers, radix 64 1:1: 4 servers per leaf, 32 leaves per pod -> 1024 servers
// are 256 leaves; spines at 1.5:1 take 38 of them per pod: 7 pods. Rail-optimized SU 32 over 128 servers: 4 units on 8
// rails. Dragonfly 128 servers, radix 64, 8 NICs: 2 servers per router, 32 routers and 16 global links per router, 2
// groups, c = 512 cables.
TEST(TopologyRegistry, SummaryLines) {
  FabricBuildParams ft = small("fat-tree", 1024, 3);
  ft.tree.leaf_oversubscription = 1;
  ft.tree.spine_oversubscription = 1.5;
  EXPECT_EQ(build_fabric(ft).summary(),
            "fat-tree: 3 tiers, oversubscription leaf 1:1, spine 1.5:1; 7 pods of 38 leaves");
  EXPECT_EQ(build_fabric(small("rail-optimized", 128, 2)).summary(),
            "rail-optimized: 2 tiers, oversubscription leaf 1:1; 4 scalable units of 32 servers on 8 rails");
  EXPECT_EQ(build_fabric(small("dragonfly", 128, 2)).summary(),
            "dragonfly: 2 groups x 32 routers x 2 servers, 16 global links per router, 512 global cables per "
            "group pair");
}

TEST(FabricBuildParams, EqualityCoversEveryPart) {
  const FabricBuildParams a = small("fat-tree", 64, 2);
  FabricBuildParams b = a;
  EXPECT_TRUE(a == b);
  b.tree.link_bps = 800e9;
  EXPECT_TRUE(a != b);
  b = a;
  b.dragonfly.groups = 3;
  EXPECT_TRUE(a != b);
  b = a;
  b.topology = "dragonfly";
  EXPECT_TRUE(a != b);
  b = a;
  b.scaleup_domain_gpus = 72;
  EXPECT_TRUE(a != b);
}

}  // namespace
}  // namespace clustersim
