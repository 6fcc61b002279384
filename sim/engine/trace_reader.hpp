#pragma once
/// @file
/// Reads request traces into RequestArrival lists. Format: the Azure LLM inference trace 2023 CSV
/// (header `TIMESTAMP,ContextTokens,GeneratedTokens`, timestamps `YYYY-MM-DD HH:MM:SS.fffffff`).
/// Bad rows are input errors: ConfigError located at file:line.

#include <string>
#include <vector>

#include "models/inference/arrivals.hpp"

namespace clustersim {

/// Reads an Azure-format CSV; times are seconds since the first request.
std::vector<RequestArrival> read_azure_trace(const std::string& path);

}  // namespace clustersim
