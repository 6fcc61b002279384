#include "common/diagnostics.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <tuple>

namespace clustersim {

namespace {

std::string to_lower(const std::string& s) {
  std::string out = s;
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// The 1-based `line` of `file`, or nullopt-like false when unreadable.
bool read_source_line(const std::string& file, int line, std::string& out) {
  std::ifstream in(file);
  if (!in) return false;
  std::string text;
  for (int i = 1; std::getline(in, text); ++i) {
    if (i == line) {
      if (!text.empty() && text.back() == '\r') text.pop_back();
      out = text;
      return true;
    }
  }
  return false;
}

// How good a candidate is: (tier, case-insensitive distance, case-sensitive distance); lower is better.
// Tier 0: equal ignoring case; 1: within the edit-distance threshold; 2: one is a prefix of the other.
using Rank = std::tuple<int, size_t, size_t>;

bool rank_candidate(const std::string& name, const std::string& candidate, Rank& rank) {
  const std::string a = to_lower(name);
  const std::string b = to_lower(candidate);
  const size_t ci = edit_distance(a, b);
  const size_t cs = edit_distance(name, candidate);
  const size_t threshold = std::max<size_t>(2, name.size() / 3);
  if (ci == 0) {
    rank = {0, 0, cs};
  } else if (ci <= threshold && ci < std::max(a.size(), b.size())) {
    rank = {1, ci, cs};
  } else if (a.size() >= 2 && (starts_with(b, a) || starts_with(a, b))) {
    rank = {2, 0, 0};
  } else {
    return false;
  }
  return true;
}

std::vector<std::pair<Rank, std::string>> ranked(const std::string& name, const std::vector<std::string>& candidates) {
  std::vector<std::pair<Rank, std::string>> out;
  for (const auto& c : candidates) {
    Rank r;
    if (rank_candidate(name, c, r)) out.emplace_back(r, c);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  return out;
}

// Every line of `file` (without '\r'); empty when unreadable.
std::vector<std::string> read_lines(const std::string& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  std::string text;
  while (std::getline(in, text)) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    out.push_back(text);
  }
  return out;
}

}  // namespace

size_t edit_distance(const std::string& a, const std::string& b) {
  // Optimal string alignment (Damerau-Levenshtein with adjacent transpositions).
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string source;
  const bool known = d.location.line > 0 && read_source_line(d.location.file, d.location.line, source);
  return format_diagnostic(d, known ? &source : nullptr);
}

std::string format_diagnostic(const Diagnostic& d, const std::string* source_line) {
  std::string out = d.location.file.empty() ? "<input>" : d.location.file;
  if (d.location.line > 0) {
    out += ":" + std::to_string(d.location.line);
    if (d.location.column > 0) out += ":" + std::to_string(d.location.column);
  }
  out += ": error: ";
  if (!d.key_path.empty()) out += d.key_path + ": ";
  out += d.message + "\n";
  if (source_line != nullptr) {
    const std::string& source = *source_line;
    out += "    " + source + "\n";
    // Keep tabs in the caret line so that the caret lines up under the source text.
    std::string pad;
    for (int i = 0; i + 1 < d.location.column && i < static_cast<int>(source.size()); ++i)
      pad += source[i] == '\t' ? '\t' : ' ';
    out += "    " + pad + "^\n";
  }
  if (!d.hint.empty()) out += "  " + d.hint + "\n";
  return out;
}

std::string Diagnostics::format() const {
  // Each file is read once: reading it again for every diagnostic made N errors cost O(N x file) (a file of
  // 40,000 unknown keys took minutes).
  std::map<std::string, std::vector<std::string>> lines;
  std::string out;
  for (const auto& d : items_) {
    if (d.location.line <= 0) {
      out += format_diagnostic(d);
      continue;
    }
    auto file = lines.find(d.location.file);
    if (file == lines.end()) file = lines.emplace(d.location.file, read_lines(d.location.file)).first;
    const auto& text = file->second;
    out +=
        format_diagnostic(d, d.location.line <= static_cast<int>(text.size()) ? &text[d.location.line - 1] : nullptr);
  }
  out += std::to_string(items_.size()) + (items_.size() == 1 ? " error" : " errors") + ", nothing was run.";
  return out;
}

std::vector<std::string> closest_names(const std::string& name, const std::vector<std::string>& candidates,
                                       size_t max_results) {
  std::vector<std::string> out;
  for (const auto& [rank, candidate] : ranked(name, candidates)) {
    if (out.size() >= max_results) break;
    out.push_back(candidate);
  }
  return out;
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  const auto all = ranked(name, candidates);
  if (all.empty()) {
    if (candidates.empty()) return "there are no valid names here";
    std::vector<std::string> sorted = candidates;
    std::sort(sorted.begin(), sorted.end());
    std::string list;
    for (const auto& c : sorted) list += (list.empty() ? "" : ", ") + c;
    return "valid names are: " + list;
  }
  // Every candidate as good as the best one (at most three).
  std::vector<std::string> best;
  for (const auto& [rank, candidate] : all) {
    if (rank != all.front().first || best.size() == 3) break;
    best.push_back("'" + candidate + "'");
  }
  std::string text = best[0];
  for (size_t i = 1; i < best.size(); ++i) text += (i + 1 == best.size() ? " or " : ", ") + best[i];
  return "did you mean " + text + "?";
}

}  // namespace clustersim
