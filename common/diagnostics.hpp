#pragma once
/// @file
/// Diagnostics for user input: compiler-style errors with file:line:column, the key path,
/// a message and a hint. "Your input is wrong" is a ConfigError (exit code 2); "our bug" is an
/// assertion (xbt_assert / std::logic_error).

#include <stdexcept>
#include <string>
#include <vector>

namespace clustersim {

/// A position in a source file. Line and column are 1-based; line 0 means "unknown position"
/// (for example a value that came from `--set` on the command line, which `file` then names).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

/// One problem found in the user's input.
struct Diagnostic {
  SourceLocation location;
  std::string key_path;  ///< dotted path such as "workload.training[0].parallelism.tp"; may be empty
  std::string message;   ///< what is wrong, e.g. "unknown key 'worklaod'"
  std::string hint;      ///< optional: "did you mean 'workload'?"
};

/// Formats one diagnostic as `file:line:col: error: key.path: message` plus an indented hint line
/// (and, when the file is readable and the line known, the offending source line with a caret).
std::string format_diagnostic(const Diagnostic& d);

/// As above with the source line already read (nullptr: no source line is shown).
std::string format_diagnostic(const Diagnostic& d, const std::string* source_line);

/// An ordered collection of diagnostics: validation collects them all, then reports them at once.
class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void add(const SourceLocation& loc, const std::string& key_path, const std::string& message,
           const std::string& hint = "") {
    items_.push_back({loc, key_path, message, hint});
  }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  /// All diagnostics formatted, then a final line "N errors, nothing was run." ("1 error, ..." for one).
  std::string format() const;

 private:
  std::vector<Diagnostic> items_;
};

/// Thrown when the user's input is invalid. Carries every diagnostic found. Exit code 2.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(Diagnostics diags) : std::runtime_error(diags.format()), diagnostics_(std::move(diags)) {}
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  Diagnostics diagnostics_;
};

/// Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions and
/// adjacent transpositions), case-sensitive.
size_t edit_distance(const std::string& a, const std::string& b);

/// Up to `max_results` candidates closest to `name` (Damerau-Levenshtein distance <= max(2, |name|/3),
/// case-insensitive matches first), best first. A candidate that `name` is a prefix of (or the reverse, for
/// names of 2+ characters) also qualifies, after the close ones ("H10" -> "H100-SXM").
std::vector<std::string> closest_names(const std::string& name, const std::vector<std::string>& candidates,
                                       size_t max_results = 3);

/// A hint for an unknown name: "did you mean 'x'?" when a close candidate exists, otherwise
/// "valid names are: a, b, c" (the full list, sorted). Every candidate ranked as well as the best one is
/// named (at most three): "did you mean 'Gbps' or 'Gb/s'?".
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace clustersim
