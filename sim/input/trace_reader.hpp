#pragma once
/// @file
/// Reads request traces into RequestArrival lists. Formats: the Azure LLM inference trace 2023 CSV
/// (header `TIMESTAMP,ContextTokens,GeneratedTokens`, timestamps `YYYY-MM-DD HH:MM:SS.fffffff`) and the
/// Mooncake FAST'25 JSON lines (`{"timestamp": ms, "input_length": n, "output_length": n, "hash_ids": [...]}`,
/// hash_ids naming the prompt's 512-token blocks).
///
/// Bad rows are input errors, thrown together as one ConfigError at file:line (the first kShownBadRows, then
/// "and N more"): a malformed row, a timestamp that is not finite (or negative, Mooncake), a token count that is
/// not a whole number in [0, kMaxRequestTokens] (0 is read as 1), a hash id beyond 32 bits, a row earlier than
/// the one before it (traces must be sorted by time), a trace without requests (empty or header only), and a
/// trace of several requests that spans 0 s (it cannot be replayed cyclically).

#include <string>
#include <vector>

#include "spec/request_arrival.hpp"

namespace clustersim {

/// Bad rows reported one by one; the rest are counted in one last diagnostic.
constexpr int kShownBadRows = 5;

/// Reads an Azure-format CSV; times are seconds since the first request.
std::vector<RequestArrival> read_azure_trace(const std::string& path);

/// Reads a Mooncake JSON-lines trace; times are seconds since the first request.
std::vector<RequestArrival> read_mooncake_trace(const std::string& path);

/// Reads a trace by extension: .jsonl = Mooncake, otherwise Azure CSV.
std::vector<RequestArrival> read_trace(const std::string& path);

}  // namespace clustersim
