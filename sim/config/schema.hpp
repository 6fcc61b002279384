#pragma once
/// @file
/// The declarative key spec (DuckDB's settings table idea): every key of an experiment or catalog
/// file is declared once, with its kind, unit family, default, range and documentation. From these
/// declarations come the validator (unknown keys with "did you mean", duplicates, types, units,
/// ranges, missing keys), the resolved configuration (defaults made explicit, canonical SI units)
/// and `clustersim describe keys`.

#include <yaml-cpp/yaml.h>

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/units.hpp"

namespace clustersim {

struct Schema;

/// What a key holds.
enum class FieldKind {
  kInt,               ///< an integer (YAML int; "16M"-style multipliers are not accepted here)
  kFloat,             ///< a plain number
  kBool,              ///< true/false
  kString,            ///< any string
  kEnum,              ///< one of `choices` (with "did you mean")
  kQuantity,          ///< a number with a unit of family `quantity` (see units.hpp); resolved to canonical SI
  kOversubscription,  ///< "3:1" or a number >= 1; resolved to the ratio as a float
  kMap,               ///< a nested mapping validated by `schema`
  kListOfMaps,        ///< a sequence of mappings, each validated by `schema`
  kNamedMaps,         ///< a mapping from free names to mappings validated by `schema` (catalog entries)
  kStringList,        ///< a sequence of strings (or one string, where scalar_is_list)
  kAny,               ///< any YAML, copied as is (validated elsewhere, e.g. sweep grids)
  kNamedValues,       ///< a mapping from free names to scalars, each validated like `*item` (calibration by_gpu)
};

/// One declared key.
struct Field {
  std::string name;
  FieldKind kind = FieldKind::kString;
  std::string doc;  ///< one line, with the unit when it has one
  bool required = false;
  std::string default_value;             ///< YAML text of the default, parsed like user input; empty = none
  Quantity quantity = Quantity::kCount;  ///< for kQuantity
  /// Inclusive, canonical units. Every number is also finite (NaN, inf and overflowing values such as
  /// 1e300Gbps are refused). Integers are held in `int` unless `wide`, so an integer field's range must
  /// lie within int32 (tests/unit/sim/config/config_ranges_test.cpp checks every declared field).
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();  ///< inclusive, canonical units
  bool min_exclusive = false;  ///< true: the value must be strictly greater than `min` ("> 0")
  bool zero_ok = false;        ///< true: 0 ("none" / "the default") is accepted besides [min, max]
  bool wide = false;           ///< kInt read into a 64-bit integer (range up to +-9.2e18)
  /// Non-empty: the key was removed; writing it is an error that says this (why, and what to use instead).
  std::string removed;
  std::vector<std::string> choices;  ///< for kEnum
  bool scalar_is_list = false;       ///< kStringList: one string stands for a list of it
  const Schema* schema = nullptr;    ///< for kMap, kListOfMaps, kNamedMaps
  const Field* item = nullptr;       ///< for kNamedValues: how each value is validated (its name is ignored)
  /// Partial content (catalog sections): below this key, missing keys are neither required nor filled
  /// with defaults, because entries may override earlier entries field by field (see complete_defaults).
  bool partial = false;
};

/// A mapping's declared keys, in documentation order.
struct Schema {
  std::string name;  ///< e.g. "experiment", "cluster", "accelerator"
  std::vector<Field> fields;
  const Field* find(const std::string& key) const;
  std::vector<std::string> names() const;
};

/// The output of validation: the resolved tree (defaults filled in, quantities as canonical doubles,
/// oversubscription as a float, enums as strings) and where each key path came from.
struct ResolvedConfig {
  YAML::Node tree;
  std::map<std::string, SourceLocation> locations;  ///< key path -> where its value (or parent) is written
  /// The location of `path`, or of its nearest ancestor that has one.
  SourceLocation location_of(const std::string& path) const;
};

/// Validates `input` against `schema`, collecting every problem into `diags` (it never throws on bad
/// input). `file` names the source for locations; `path_prefix` is prepended to key paths.
/// Checks: unknown keys (with did-you-mean), duplicate keys, wrong types, bad units, out-of-range
/// values, unknown enum values, missing required keys. Values whose path is in `overridden`
/// (from --set) are reported at location {"--set path=value", 0, 0}.
ResolvedConfig resolve(const YAML::Node& input, const Schema& schema, const std::string& file, Diagnostics& diags,
                       const std::string& path_prefix = "", const std::map<std::string, std::string>& overridden = {});

/// Completes one resolved mapping of `schema` that was resolved as partial: reports each missing required
/// key at `anchor` (path `path`) and fills every other missing key with its resolved default.
void complete_defaults(YAML::Node resolved_map, const Schema& schema, const SourceLocation& anchor,
                       const std::string& path, Diagnostics& diags);

/// Emits a resolved tree of `schema` as block YAML, keys in schema order, quantities as canonical text with
/// their unit ("400000000000bit/s", see canonical_text) so that resolving the output again gives the same tree.
std::string emit_resolved(const YAML::Node& tree, const Schema& schema);

/// Writes the documentation of a schema (and its nested schemas) as an aligned text table:
/// key path, kind/unit, default, range or choices, doc.
std::string describe_schema(const Schema& schema, const std::string& path_prefix = "");

}  // namespace clustersim
