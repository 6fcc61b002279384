#pragma once
/// @file
/// `clustersim describe [topic]`: the catalogs and the experiment keys, with units and sources.

#include <string>

namespace clustersim {

/// Help text listing the topics.
std::string describe_topics_help();

/// The text for a topic ("" lists the topics). Unknown topics throw ConfigError with did-you-mean. `prefix`
/// (topic keys only): the experiment keys that start with it (`describe keys fabric`).
std::string describe_topic(const std::string& topic, const std::string& prefix = "");

}  // namespace clustersim
