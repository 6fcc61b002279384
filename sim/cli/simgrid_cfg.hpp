#pragma once
/// @file
/// Checks `run --simgrid-cfg NAME:VALUE` settings before anything is loaded or simulated: the syntax, then
/// SimGrid itself in a short-lived child process (an engine can be created once per process), so that an
/// unknown key or a refused value is an input error (exit 2) naming the setting, with a did-you-mean
/// against SimGrid's own key list, instead of SimGrid's key dump (exit 1) or abort (SIGABRT).

#include <string>
#include <vector>

#include "common/diagnostics.hpp"

namespace clustersim {

/// Adds one diagnostic per bad setting to `diags` (location "--simgrid-cfg SETTING").
void check_simgrid_settings(const std::vector<std::string>& settings, Diagnostics& diags);

/// SimGrid's "Bad config key: K ... Existing config keys:" text -> K and the listed keys (for tests).
bool parse_bad_key_message(const std::string& text, std::string& key, std::vector<std::string>& known);

}  // namespace clustersim
