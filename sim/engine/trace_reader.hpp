#pragma once
/// @file
/// Reads request traces into RequestArrival lists. Formats: the Azure LLM inference trace 2023 CSV
/// (header `TIMESTAMP,ContextTokens,GeneratedTokens`, timestamps `YYYY-MM-DD HH:MM:SS.fffffff`) and the
/// Mooncake FAST'25 JSON lines (`{"timestamp": ms, "input_length": n, "output_length": n, "hash_ids": [...]}`,
/// hash_ids naming the prompt's 512-token blocks). Bad rows are input errors: ConfigError at file:line.

#include <string>
#include <vector>

#include "models/inference/arrivals.hpp"

namespace clustersim {

/// Reads an Azure-format CSV; times are seconds since the first request.
std::vector<RequestArrival> read_azure_trace(const std::string& path);

/// Reads a Mooncake JSON-lines trace; times are seconds since the first request.
std::vector<RequestArrival> read_mooncake_trace(const std::string& path);

/// Reads a trace by extension: .jsonl = Mooncake, otherwise Azure CSV.
std::vector<RequestArrival> read_trace(const std::string& path);

}  // namespace clustersim
