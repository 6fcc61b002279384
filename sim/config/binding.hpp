#pragma once
/// @file
/// One declaration per key (ns-3's attribute idea, DuckDB's settings table): each schema entry is bound to
/// the struct member it fills, so the key's name, unit, default, range, doc and member are written in ONE
/// line of a key table (experiment_schema.cpp). From a `KeyTable<S>` come both the `Schema` (validation,
/// resolved YAML, `describe keys`) and the filling of an `S` from the resolved tree (spec_builder.cpp keeps
/// only the derived values: "0 = from the accelerator", batch rounding, catalog look-ups).
///
/// How a key is added (e.g. `facility.model`):
///   1. the member with its default in the spec struct (spec/experiment_spec.hpp):
///        `FacilityModelKind model = FacilityModelKind::kConstantPue;`
///      (a string kind is an `enum class` with its {name, value, doc} table in spec/kinds.{hpp,cpp});
///   2. one line in the struct's key table (sim/config/experiment_schema.cpp):
///        `bind(&FacilitySpec::model, one_of("model", "constant-pue", "facility power model")),`
///   3. its use. tests/unit/sim/config/key_bindings_test.cpp then checks that the struct default equals the schema
///      default and that the key is bound; the builder needs no edit.
/// A key that fills no member (read elsewhere, or only through a derived value) is declared with
/// `unbound(field, "why")`; a key whose member holds a converted value with `bind_as<T>(member, field, fn)`.

#include <yaml-cpp/yaml.h>

#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/config/field_builders.hpp"
#include "sim/config/schema.hpp"
#include "sim/config/yaml_source.hpp"
#include "spec/kinds.hpp"

namespace clustersim {

/// The outcome of checking one key against its struct member (tests/unit/sim/config/key_bindings_test.cpp).
struct KeyCheck {
  std::string path;     ///< dotted key path ("fabric.link", "workload.training[].parallelism.tp")
  std::string unbound;  ///< non-empty: the key fills no member, for this reason
  bool matches = true;  ///< the default-constructed member equals the schema default (or, with no schema
                        ///< default, the member's value-initialised "none": 0, "", false)
  std::string detail;   ///< "struct <v> vs schema <v>" when it does not match
};

/// One key of a mapping whose values go to a struct `S`.
template <typename S>
struct Key {
  Field field;
  /// Fills the member from the resolved value (a scalar, or the mapping / list of a nested key);
  /// null for an unbound key.
  std::function<void(const YAML::Node& value, S& out)> set;
  std::string unbound;  ///< why the key fills no member (unbound keys only)
  /// Appends this key's checks (and those of nested keys) to `out`.
  std::function<void(const std::string& path, std::vector<KeyCheck>& out)> check;
};

/// A mapping schema whose keys fill an `S`. Build nested tables first and keep every table in static
/// storage: the schema refers to nested tables by address.
template <typename S>
class KeyTable {
 public:
  KeyTable(std::string name, std::vector<Key<S>> keys) : keys_(std::move(keys)) {
    schema_.name = std::move(name);
    for (const auto& k : keys_) schema_.fields.push_back(k.field);
  }
  KeyTable(const KeyTable&) = delete;
  KeyTable& operator=(const KeyTable&) = delete;

  /// The schema of the mapping, fields in declaration order.
  const Schema& schema() const { return schema_; }
  const std::vector<Key<S>>& keys() const { return keys_; }

  /// Sets every bound member of `out` whose key is present in the resolved mapping `map` (members of missing
  /// keys keep their struct default: a key whose value had an error is absent).
  void fill(const YAML::Node& map, S& out) const {
    if (!map.IsMap()) return;
    for (const auto& k : keys_) {
      if (!k.set) continue;
      const YAML::Node v = yaml_child(map, k.field.name);
      if (v.IsDefined() && !v.IsNull()) k.set(v, out);
    }
  }

  /// Checks every key, nested ones included, under `prefix`.
  std::vector<KeyCheck> check(const std::string& prefix = "") const {
    std::vector<KeyCheck> out;
    for (const auto& k : keys_) k.check(prefix.empty() ? k.field.name : prefix + "." + k.field.name, out);
    return out;
  }

 private:
  Schema schema_;
  std::vector<Key<S>> keys_;
};

namespace binding_detail {

/// The resolved form of `f`'s declared default (throws std::logic_error when it does not resolve: our bug).
YAML::Node resolved_default(const Field& f);

/// A resolved int (decimal digits) as int; throws std::logic_error when the schema range let it overflow.
int to_int(const YAML::Node& n, const std::string& key);

/// Reads the resolved scalar `n` of key `key` into `out`; false when it is not a scalar.
template <typename T>
bool read(const YAML::Node& n, const std::string& key, T& out) {
  if (!n.IsScalar()) return false;
  if constexpr (std::is_enum_v<T>) {
    const auto v = kind_from_name<T>(n.Scalar());
    if (!v) return false;  // the schema refused it already
    out = *v;
  } else if constexpr (std::is_same_v<T, int>) {
    out = to_int(n, key);
  } else {
    out = n.as<T>();
  }
  return true;
}

template <typename T>
std::string text(const T& v) {
  if constexpr (std::is_enum_v<T>) {
    return kind_name(v);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return "'" + v + "'";
  } else if constexpr (std::is_same_v<T, bool>) {
    return v ? "true" : "false";
  } else {
    return YAML::Node(v).Scalar();
  }
}

/// The choices of an enum key come from its kind table.
template <typename T>
Field with_choices(Field f) {
  if constexpr (std::is_enum_v<T>) {
    f.kind = FieldKind::kEnum;
    f.choices = kind_names<T>();
  }
  return f;
}

}  // namespace binding_detail

/// A key whose resolved value, read as `T` and converted by `convert`, sets `member`.
template <typename T, typename S, typename M, typename Convert>
Key<S> bind_as(M S::*member, Field f, Convert convert) {
  Key<S> k;
  k.field = binding_detail::with_choices<T>(std::move(f));
  const std::string name = k.field.name;
  k.set = [member, convert, name](const YAML::Node& v, S& out) {
    T value{};
    if (binding_detail::read(v, name, value)) out.*member = convert(value);
  };
  const Field field = k.field;
  k.check = [member, convert, field](const std::string& path, std::vector<KeyCheck>& out) {
    KeyCheck c;
    c.path = path;
    const S defaults{};
    M expected{};
    if (!field.default_value.empty()) {
      T value{};
      binding_detail::read(binding_detail::resolved_default(field), field.name, value);
      expected = convert(value);
    }
    c.matches = defaults.*member == expected;
    if (!c.matches)
      c.detail = "struct " + binding_detail::text(defaults.*member) + " vs schema " + binding_detail::text(expected);
    out.push_back(c);
  };
  return k;
}

/// A key that sets `member` (int, 64-bit unsigned, double, bool, string or a kind enum) from its value.
template <typename S, typename M>
Key<S> bind(M S::*member, Field f) {
  return bind_as<M>(member, std::move(f), [](const M& v) { return v; });
}

/// A key whose value is a name or a list of names in order of preference: the first sets `first`, the others
/// `rest` (a workload's `pool: h100` or `pool: [h100, h20]`). Its default is none ("" and no others).
template <typename S>
Key<S> bind_preference(std::string S::*first, std::vector<std::string> S::*rest, Field f) {
  Key<S> k;
  f.kind = FieldKind::kStringList;
  f.scalar_is_list = true;
  k.field = std::move(f);
  k.set = [first, rest](const YAML::Node& v, S& out) {
    if (!v.IsSequence()) return;
    out.*rest = {};
    for (size_t i = 0; i < v.size(); ++i) {
      if (i == 0)
        out.*first = v[i].Scalar();
      else
        (out.*rest).push_back(v[i].Scalar());
    }
  };
  k.check = [first, rest](const std::string& path, std::vector<KeyCheck>& out) {
    KeyCheck c;
    c.path = path;
    const S defaults{};
    c.matches = (defaults.*first).empty() && (defaults.*rest).empty();
    if (!c.matches) c.detail = "struct default is not empty vs schema none";
    out.push_back(c);
  };
  return k;
}

/// A key that fills no member: it is read elsewhere (`why` says where) or only through a derived value.
template <typename S>
Key<S> unbound(Field f, std::string why) {
  Key<S> k;
  k.field = std::move(f);
  k.unbound = std::move(why);
  const std::string reason = k.unbound;
  k.check = [reason](const std::string& path, std::vector<KeyCheck>& out) {
    KeyCheck c;
    c.path = path;
    c.unbound = reason;
    out.push_back(c);
  };
  return k;
}

/// A nested mapping whose keys fill the same struct (e.g. `parallelism` into the training job).
template <typename S>
Key<S> group(const KeyTable<S>& table, std::string name, std::string doc) {
  Key<S> k;
  k.field = fields::nested(std::move(name), FieldKind::kMap, &table.schema(), std::move(doc));
  const KeyTable<S>* t = &table;
  k.set = [t](const YAML::Node& v, S& out) { t->fill(v, out); };
  k.check = [t](const std::string& path, std::vector<KeyCheck>& out) {
    for (auto& c : t->check(path)) out.push_back(std::move(c));
  };
  return k;
}

/// A nested mapping whose keys fill the member struct `member` (e.g. `fabric` into ExperimentSpec::fabric).
template <typename S, typename T>
Key<S> nested(T S::*member, const KeyTable<T>& table, std::string name, std::string doc) {
  Key<S> k;
  k.field = fields::nested(std::move(name), FieldKind::kMap, &table.schema(), std::move(doc));
  const KeyTable<T>* t = &table;
  k.set = [t, member](const YAML::Node& v, S& out) { t->fill(v, out.*member); };
  k.check = [t](const std::string& path, std::vector<KeyCheck>& out) {
    for (auto& c : t->check(path)) out.push_back(std::move(c));
  };
  return k;
}

/// A list of mappings, each filling one element appended to the vector `member` (e.g. training jobs).
template <typename S, typename T>
Key<S> list(std::vector<T> S::*member, const KeyTable<T>& table, std::string name, std::string doc) {
  Key<S> k;
  k.field = fields::nested(std::move(name), FieldKind::kListOfMaps, &table.schema(), std::move(doc));
  const KeyTable<T>* t = &table;
  k.set = [t, member](const YAML::Node& v, S& out) {
    if (!v.IsSequence()) return;
    for (const auto& item : v) {
      T element{};
      t->fill(item, element);
      (out.*member).push_back(std::move(element));
    }
  };
  k.check = [t](const std::string& path, std::vector<KeyCheck>& out) {
    for (auto& c : t->check(path + "[]")) out.push_back(std::move(c));
  };
  return k;
}

/// Marks a key as required (it then has no default).
template <typename S>
Key<S> required(Key<S> k) {
  k.field = fields::required(std::move(k.field));
  return k;
}

}  // namespace clustersim
