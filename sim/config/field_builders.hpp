#pragma once
/// @file
/// Short constructors for schema fields, so that key tables (experiment_schema.cpp, catalog_schema.cpp)
/// read as one line per key.

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "sim/config/schema.hpp"

namespace clustersim::fields {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

/// A field of `kind` with only its name and documentation set.
inline Field make(std::string name, FieldKind kind, std::string doc) {
  Field f;
  f.name = std::move(name);
  f.kind = kind;
  f.doc = std::move(doc);
  return f;
}

/// Marks a field as required (it then has no default).
inline Field required(Field f) {
  f.required = true;
  f.default_value.clear();
  return f;
}

/// An integer key with an inclusive range.
inline Field integer(std::string name, std::string def, double min, double max, std::string doc) {
  Field f = make(std::move(name), FieldKind::kInt, std::move(doc));
  f.default_value = std::move(def);
  f.min = min;
  f.max = max;
  return f;
}

/// A plain number with an inclusive range (`min_exclusive` makes the minimum strict).
inline Field number(std::string name, std::string def, double min, double max, std::string doc,
                    bool min_exclusive = false) {
  Field f = make(std::move(name), FieldKind::kFloat, std::move(doc));
  f.default_value = std::move(def);
  f.min = min;
  f.max = max;
  f.min_exclusive = min_exclusive;
  return f;
}

inline Field boolean(std::string name, std::string def, std::string doc) {
  Field f = make(std::move(name), FieldKind::kBool, std::move(doc));
  f.default_value = std::move(def);
  return f;
}

/// A free string; `def` is YAML text, so an empty string default is written '""'.
inline Field text(std::string name, std::string def, std::string doc) {
  Field f = make(std::move(name), FieldKind::kString, std::move(doc));
  f.default_value = std::move(def);
  return f;
}

inline Field choice(std::string name, std::string def, std::vector<std::string> choices, std::string doc) {
  Field f = make(std::move(name), FieldKind::kEnum, std::move(doc));
  f.default_value = std::move(def);
  f.choices = std::move(choices);
  return f;
}

/// An enum key bound to a kind (binding.hpp): its choices come from the kind's table (spec/kinds.hpp).
inline Field one_of(std::string name, std::string def, std::string doc) {
  return choice(std::move(name), std::move(def), {}, std::move(doc));
}

/// A quantity with a unit of family `q`, range in canonical units.
inline Field quantity(std::string name, Quantity q, std::string def, double min, std::string doc,
                      bool min_exclusive = false, double max = kInf) {
  Field f = make(std::move(name), FieldKind::kQuantity, std::move(doc));
  f.quantity = q;
  f.default_value = std::move(def);
  f.min = min;
  f.max = max;
  f.min_exclusive = min_exclusive;
  return f;
}

inline Field oversubscription(std::string name, std::string def, double max, std::string doc) {
  Field f = make(std::move(name), FieldKind::kOversubscription, std::move(doc));
  f.default_value = std::move(def);
  f.min = 1;
  f.max = max;
  return f;
}

/// A nested mapping, a list of mappings or a mapping of named entries validated by `schema`.
inline Field nested(std::string name, FieldKind kind, const Schema* schema, std::string doc, bool partial = false) {
  Field f = make(std::move(name), kind, std::move(doc));
  f.schema = schema;
  f.partial = partial;
  return f;
}

/// Accepts 0 as well as the field's range ("0 = not supported", "0 = the default").
inline Field or_zero(Field f) {
  f.zero_ok = true;
  return f;
}

/// An integer key held in 64 bits (the spec struct uses a 64-bit type for it).
inline Field wide(Field f) {
  f.wide = true;
  return f;
}

/// A key that no longer exists: writing it is an error at its location, with `why` as the hint.
inline Field removed(std::string name, std::string why) {
  Field f = make(std::move(name), FieldKind::kString, "removed");
  f.removed = std::move(why);
  return f;
}

/// A mapping from free names to values, each validated like `item` (e.g. per-accelerator overrides).
inline Field named_values(std::string name, const Field* item, std::string doc) {
  Field f = make(std::move(name), FieldKind::kNamedValues, std::move(doc));
  f.default_value = "{}";
  f.item = item;
  return f;
}

inline Field string_list(std::string name, std::string doc) {
  return make(std::move(name), FieldKind::kStringList, std::move(doc));
}

inline Field any(std::string name, std::string def, std::string doc) {
  Field f = make(std::move(name), FieldKind::kAny, std::move(doc));
  f.default_value = std::move(def);
  return f;
}

}  // namespace clustersim::fields
