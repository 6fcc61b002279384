#pragma once
/// @file
/// Catalog files (data/catalog/*.yaml, user catalog files, an experiment's inline `catalog:`) -> Catalog.
/// Later sources override earlier entries of the same name field by field; a new entry needs every
/// required field. Errors are diagnostics located in the file that holds them.

#include <map>
#include <string>
#include <vector>

#include "sim/config/schema.hpp"
#include "spec/catalog.hpp"

namespace clustersim {

/// The schema of one catalog file: sections accelerators, servers, nics, switches, transceivers, models
/// (maps of name -> entry) and calibration (fixed keys -> {value, source}). Sections are partial.
const Schema& catalog_schema();

/// The shipped catalog files: data_dir()/catalog/*.yaml in sorted order (empty when the folder is missing).
std::vector<std::string> shipped_catalog_files();

/// Reports (and returns false) when data_dir() does not exist: an experiment with an inline catalog would
/// otherwise run silently without the shipped catalog, traces and anchors. With `need_catalog`, also when it has
/// no catalog/ folder (without it, a data directory lacking catalog/ is allowed: a self-contained experiment
/// brings its whole catalog inline; the experiment loader reports the folder when nothing inline replaces it).
bool check_data_dir(Diagnostics& diags, bool need_catalog = false);

/// Merges catalog sources in order, then builds the typed catalog.
class CatalogBuilder {
 public:
  /// Reads, validates and merges one catalog file (a missing or unparsable file is a diagnostic).
  void add_file(const std::string& path, Diagnostics& diags);

  /// Merges a resolved catalog tree (catalog_schema()); `where` gives the locations of its key paths,
  /// which start with `prefix` ("" for a catalog file, "catalog" for an experiment's inline catalog).
  void merge(const YAML::Node& catalog_tree, const ResolvedConfig& where, const std::string& prefix,
             Diagnostics& diags);

  /// Cross checks (every accelerator's default_server exists), then the typed catalog.
  Catalog build(Diagnostics& diags) const;

 private:
  /// section -> name -> entry (field -> canonical scalar); std::map for O(log n) merges of large catalogs.
  std::map<std::string, std::map<std::string, YAML::Node>> merged_;
  std::map<std::string, SourceLocation> locations_;  ///< "section.name[.field]" -> where last written
};

}  // namespace clustersim
