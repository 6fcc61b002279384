#include "sim/config/schema.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

namespace clustersim {

const Field* Schema::find(const std::string& key) const {
  for (const auto& f : fields)
    if (f.name == key) return &f;
  return nullptr;
}

std::vector<std::string> Schema::names() const {
  std::vector<std::string> out;
  for (const auto& f : fields) out.push_back(f.name);
  return out;
}

SourceLocation ResolvedConfig::location_of(const std::string& path) const {
  std::string p = path;
  while (true) {
    auto it = locations.find(p);
    if (it != locations.end()) return it->second;
    const auto cut = p.find_last_of(".[");
    if (cut == std::string::npos) break;
    p = p.substr(0, cut);
  }
  auto root = locations.find("");
  return root != locations.end() ? root->second : SourceLocation{};
}

namespace {

std::string join(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

std::string describe_node(const YAML::Node& n) {
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  if (n.IsNull()) return "nothing";
  return "'" + n.Scalar() + "'";
}

bool parse_int(const std::string& text, long long& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtoll(text.c_str(), &end, 10);
  return errno == 0 && end == text.c_str() + text.size();
}

bool parse_float(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out);
}

// A bound of `f` as human text in the field's unit.
std::string bound_text(const Field& f, double v) {
  return f.kind == FieldKind::kQuantity ? format_quantity(v, f.quantity) : format_number(v);
}

std::string range_text(const Field& f) {
  const bool has_min = std::isfinite(f.min), has_max = std::isfinite(f.max);
  const std::string zero = f.zero_ok ? "0 or " : "";
  if (has_min && has_max)
    return zero + (f.min_exclusive ? "> " + bound_text(f, f.min) + " and <= " + bound_text(f, f.max)
                                   : bound_text(f, f.min) + " to " + bound_text(f, f.max));
  if (has_min) return zero + (f.min_exclusive ? "> " : ">= ") + bound_text(f, f.min);
  if (has_max) return zero + "<= " + bound_text(f, f.max);
  return "";
}

const char* kind_text(FieldKind k) {
  switch (k) {
    case FieldKind::kInt: return "int";
    case FieldKind::kFloat: return "float";
    case FieldKind::kBool: return "bool";
    case FieldKind::kString: return "string";
    case FieldKind::kEnum: return "enum";
    case FieldKind::kQuantity: return "quantity";
    case FieldKind::kOversubscription: return "ratio N:1";
    case FieldKind::kMap: return "map";
    case FieldKind::kListOfMaps: return "list of maps";
    case FieldKind::kNamedMaps: return "map of named entries";
    case FieldKind::kStringList: return "list of strings";
    case FieldKind::kAny: return "any";
    case FieldKind::kNamedValues: return "map of name -> value";
  }
  return "?";
}

/// The recursive walker behind resolve(): never reassigns a node handle, only reads `const` inputs.
class Walker {
 public:
  Walker(const std::string& file, Diagnostics& diags, const std::map<std::string, std::string>& overridden,
         ResolvedConfig& out)
      : file_(file), diags_(diags), overridden_(overridden), out_(out) {}

  // Where `path` is written: on the command line when it (or an ancestor) was overridden, else at `mark`,
  // else at `fallback`.
  SourceLocation locate(const std::string& path, const YAML::Mark& mark, const SourceLocation& fallback) const {
    for (const auto& [key, value] : overridden_) {
      if (path == key || (path.size() > key.size() && path.compare(0, key.size(), key) == 0 &&
                          (path[key.size()] == '.' || path[key.size()] == '[')))
        return {"--set " + key + "=" + value, 0, 0};
    }
    if (!mark.is_null()) return {file_, mark.line + 1, mark.column + 1};
    return fallback;
  }

  void resolve_map(const YAML::Node& node, const Schema& schema, const std::string& path, const SourceLocation& anchor,
                   YAML::Node out, bool partial) {
    struct Present {
      YAML::Node value;
      SourceLocation key_location;
    };
    std::map<std::string, Present> present;
    std::map<std::string, SourceLocation> seen;
    if (node.IsMap()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node key = it->first;  // a copy: `it->first` lives in a temporary proxy
        const std::string name = key.IsScalar() ? key.Scalar() : "";
        const SourceLocation key_loc = locate(join(path, name), key.Mark(), anchor);
        if (name.empty()) {
          diags_.add(key_loc, path, "expected a key name, got " + describe_node(key));
          continue;
        }
        // A duplicate is a fault of the file even when --set overrides the key: blame the written key.
        const SourceLocation written =
            key.Mark().is_null() ? key_loc : SourceLocation{file_, key.Mark().line + 1, key.Mark().column + 1};
        auto first = seen.find(name);
        if (first != seen.end()) {
          diags_.add(written, path, "duplicate key '" + name + "'",
                     first->second.line > 0 ? "first defined at line " + std::to_string(first->second.line)
                                            : "first defined at " + first->second.file);
          continue;
        }
        seen[name] = written;
        const Field* field = schema.find(name);
        if (field == nullptr) {
          diags_.add(key_loc, path, "unknown key '" + name + "'" + (path.empty() ? " in '" + schema.name + "'" : ""),
                     did_you_mean(name, schema.names()));
          continue;
        }
        if (!field->removed.empty()) {
          diags_.add(key_loc, join(path, name), "key '" + name + "' was removed", field->removed);
          continue;
        }
        present[name] = {it->second, key_loc};
      }
    }
    for (const auto& field : schema.fields) {
      auto it = present.find(field.name);
      if (it == present.end()) continue;
      const std::string fpath = join(path, field.name);
      out_.locations[fpath] = it->second.key_location;
      YAML::Node result;
      if (resolve_value(it->second.value, field, fpath, it->second.key_location, result, partial)) {
        out[field.name] = result;
      }
    }
    if (!partial) fill_missing(schema, path, anchor, out, present);
  }

  // Reports missing required keys and fills defaults, for the keys of `schema` not in `present`.
  template <typename PresentMap>
  void fill_missing(const Schema& schema, const std::string& path, const SourceLocation& anchor, YAML::Node out,
                    const PresentMap& present) {
    for (const auto& field : schema.fields) {
      if (present.count(field.name) || !field.removed.empty()) continue;
      const std::string fpath = join(path, field.name);
      if (field.required) {
        diags_.add(
            anchor, path,
            "missing required key '" + field.name + "'" + (schema.name.empty() ? "" : " in '" + schema.name + "'"),
            field.doc.empty() ? "" : "'" + field.name + "': " + field.doc);
        continue;
      }
      YAML::Node result;
      const YAML::Node def = field.default_value.empty() ? YAML::Node() : YAML::Load(field.default_value);
      const bool has_default = !field.default_value.empty() || field.kind == FieldKind::kMap ||
                               field.kind == FieldKind::kListOfMaps || field.kind == FieldKind::kNamedMaps ||
                               field.kind == FieldKind::kNamedValues || field.kind == FieldKind::kStringList;
      if (!has_default) continue;
      // Defaults are declared by us; a bad one is our bug, reported like user input to stay visible.
      if (resolve_value(def, field, fpath, anchor, result, field.partial)) out[field.name] = result;
    }
  }

 private:
  /// Calls `fn(name, value, path, location)` for each entry of the mapping `value` whose key is a name not seen
  /// before (and records its location); an empty or non-scalar key ("expected <what>") and a repeated name are
  /// errors at the key.
  template <typename Fn>
  void for_each_named(const YAML::Node& value, const std::string& path, const SourceLocation& at,
                      const std::string& what, Fn fn) {
    std::map<std::string, int> seen;
    for (auto it = value.begin(); value.IsMap() && it != value.end(); ++it) {
      const std::string name = it->first.IsScalar() ? it->first.Scalar() : "";
      const std::string epath = join(path, name);
      const SourceLocation key_loc = locate(epath, it->first.Mark(), at);
      if (name.empty()) {
        diags_.add(key_loc, path, "expected " + what + ", got " + describe_node(it->first));
        continue;
      }
      if (seen.count(name)) {
        diags_.add(key_loc, path, "duplicate entry '" + name + "'",
                   "first defined at line " + std::to_string(seen[name]));
        continue;
      }
      seen[name] = key_loc.line;
      out_.locations[epath] = key_loc;
      fn(name, it->second, epath, key_loc);
    }
  }

  bool error(const YAML::Node& value, const std::string& path, const SourceLocation& fallback,
             const std::string& message, const std::string& hint = "") {
    diags_.add(locate(path, value.Mark(), fallback), path, message, hint);
    return false;
  }

  bool check_range(const YAML::Node& value, const Field& f, const std::string& path, const SourceLocation& at, double v,
                   const std::string& text) {
    if (!std::isfinite(v))
      return error(value, path, at, "'" + text + "' is not a finite number (it overflows)",
                   "allowed range: " + (range_text(f).empty() ? "finite values" : range_text(f)));
    if (f.zero_ok && v == 0) return true;
    const bool below = f.min_exclusive ? !(v > f.min) : v < f.min;
    if (below)
      return error(
          value, path, at,
          "'" + text + "' is " + (f.min_exclusive ? "not above " : "below ") + "the minimum " + bound_text(f, f.min),
          "allowed range: " + range_text(f));
    if (v > f.max)
      return error(value, path, at, "'" + text + "' is above the maximum " + bound_text(f, f.max),
                   "allowed range: " + range_text(f));
    return true;
  }

  bool resolve_value(const YAML::Node& value, const Field& f, const std::string& path, const SourceLocation& at,
                     YAML::Node& result, bool partial) {
    switch (f.kind) {
      case FieldKind::kMap:
        if (!value.IsNull() && !value.IsMap())
          return error(value, path, at, "expected a mapping, got " + describe_node(value));
        result = YAML::Node(YAML::NodeType::Map);
        resolve_map(value, *f.schema, path, at, result, partial || f.partial);
        return true;
      case FieldKind::kListOfMaps: {
        if (!value.IsNull() && !value.IsSequence())
          return error(value, path, at, "expected a list, got " + describe_node(value),
                       "write one '- key: value' item per entry");
        result = YAML::Node(YAML::NodeType::Sequence);
        size_t i = 0;
        for (auto it = value.begin(); value.IsSequence() && it != value.end(); ++it, ++i) {
          const YAML::Node item = *it;
          const std::string ipath = path + "[" + std::to_string(i) + "]";
          const SourceLocation iloc = locate(ipath, item.Mark(), at);
          out_.locations[ipath] = iloc;
          if (!item.IsMap()) {
            error(item, ipath, at, "expected a mapping, got " + describe_node(item));
            continue;
          }
          YAML::Node entry(YAML::NodeType::Map);
          resolve_map(item, *f.schema, ipath, iloc, entry, partial || f.partial);
          result.push_back(entry);
        }
        return true;
      }
      case FieldKind::kNamedMaps: {
        if (!value.IsNull() && !value.IsMap())
          return error(value, path, at, "expected a mapping of named entries, got " + describe_node(value));
        result = YAML::Node(YAML::NodeType::Map);
        for_each_named(value, path, at, "an entry name",
                       [&](const std::string& name, const YAML::Node& item, const std::string& epath,
                           const SourceLocation& key_loc) {
                         if (!item.IsMap()) {
                           error(item, epath, key_loc, "expected a mapping, got " + describe_node(item));
                           return;
                         }
                         YAML::Node entry(YAML::NodeType::Map);
                         resolve_map(item, *f.schema, epath, key_loc, entry, partial || f.partial);
                         result.force_insert(
                             name, entry);  // names are unique (checked above); result[name] would scan: O(n^2)
                       });
        return true;
      }
      case FieldKind::kNamedValues: {
        if (!value.IsNull() && !value.IsMap())
          return error(value, path, at, "expected a mapping of name: value, got " + describe_node(value));
        result = YAML::Node(YAML::NodeType::Map);
        for_each_named(value, path, at, "a name",
                       [&](const std::string& name, const YAML::Node& item, const std::string& epath,
                           const SourceLocation& key_loc) {
                         YAML::Node resolved;
                         if (resolve_scalar(item, *f.item, epath, key_loc, resolved))
                           result.force_insert(name, resolved);
                       });
        return true;
      }
      case FieldKind::kStringList: {
        if (value.IsScalar() && f.scalar_is_list) {  // `pool: h100` = `pool: [h100]`
          result = YAML::Node(YAML::NodeType::Sequence);
          result.push_back(value.Scalar());
          return true;
        }
        if (!value.IsNull() && !value.IsSequence())
          return error(value, path, at, "expected a list of strings, got " + describe_node(value),
                       "write [a, b] or one '- item' per line");
        result = YAML::Node(YAML::NodeType::Sequence);
        size_t i = 0;
        for (auto it = value.begin(); value.IsSequence() && it != value.end(); ++it, ++i) {
          const YAML::Node item = *it;
          if (!item.IsScalar()) {
            error(item, path + "[" + std::to_string(i) + "]", at, "expected a string, got " + describe_node(item));
            continue;
          }
          result.push_back(item.Scalar());
        }
        return true;
      }
      case FieldKind::kAny: result = value; return true;
      default: return resolve_scalar(value, f, path, at, result);
    }
  }

  bool resolve_scalar(const YAML::Node& value, const Field& f, const std::string& path, const SourceLocation& at,
                      YAML::Node& result) {
    if (value.IsNull() && f.kind == FieldKind::kString) {
      result = YAML::Node(std::string());
      return true;
    }
    if (!value.IsScalar()) {
      const std::string what = value.IsNull() ? "no value" : describe_node(value);
      return error(value, path, at, std::string("expected ") + expected(f) + ", got " + what,
                   f.doc.empty() ? "" : "'" + f.name + "': " + f.doc);
    }
    const std::string text = value.Scalar();
    switch (f.kind) {
      case FieldKind::kInt: {
        long long v = 0;
        if (!parse_int(text, v))
          return error(value, path, at, "expected an integer, got '" + text + "'",
                       "an integer written in digits (1000000, not 1e6 or 1M); allowed range: " + range_text(f));
        if (!check_range(value, f, path, at, static_cast<double>(v), text)) return false;
        result = YAML::Node(v);
        return true;
      }
      case FieldKind::kFloat: {
        double v = 0;
        if (!parse_float(text, v)) return error(value, path, at, "expected a number, got '" + text + "'");
        if (!check_range(value, f, path, at, v, text)) return false;
        result = YAML::Node(format_number(v));
        return true;
      }
      case FieldKind::kBool: {
        bool v = false;
        if (!YAML::convert<bool>::decode(value, v))
          return error(value, path, at, "expected true or false, got '" + text + "'");
        result = YAML::Node(v ? "true" : "false");
        return true;
      }
      case FieldKind::kString: result = YAML::Node(text); return true;
      case FieldKind::kEnum:
        if (std::find(f.choices.begin(), f.choices.end(), text) == f.choices.end())
          return error(value, path, at, "unknown value '" + text + "' for '" + f.name + "'",
                       did_you_mean(text, f.choices));
        result = YAML::Node(text);
        return true;
      case FieldKind::kQuantity: {
        const ParsedQuantity q = parse_quantity(text, f.quantity);
        if (!q.ok) return error(value, path, at, q.error, q.hint);
        if (!check_range(value, f, path, at, q.value, text)) return false;
        result = YAML::Node(format_number(q.value));
        return true;
      }
      case FieldKind::kOversubscription: {
        double ratio = 0;
        std::string message;
        if (!parse_oversubscription(text, ratio, message))
          return error(value, path, at, message, "write it as down:up, e.g. 1:1 or 3:1");
        if (!check_range(value, f, path, at, ratio, text)) return false;
        result = YAML::Node(format_number(ratio));
        return true;
      }
      default: return false;
    }
  }

  static std::string expected(const Field& f) {
    switch (f.kind) {
      case FieldKind::kInt: return "an integer";
      case FieldKind::kFloat: return "a number";
      case FieldKind::kBool: return "true or false";
      case FieldKind::kEnum: return "one of the names";
      case FieldKind::kQuantity: return quantity_name(f.quantity);
      case FieldKind::kOversubscription: return "a ratio such as 3:1";
      default: return "a string";
    }
  }

  const std::string& file_;
  Diagnostics& diags_;
  const std::map<std::string, std::string>& overridden_;
  ResolvedConfig& out_;
};

void emit_map(YAML::Emitter& e, const YAML::Node& tree, const Schema& schema);

void emit_value(YAML::Emitter& e, const YAML::Node& value, const Field& f) {
  if ((value.IsMap() || value.IsSequence()) && value.size() == 0) e << YAML::Flow;
  switch (f.kind) {
    case FieldKind::kQuantity: e << canonical_text(value.as<double>(), f.quantity); break;
    case FieldKind::kMap: emit_map(e, value, *f.schema); break;
    case FieldKind::kListOfMaps:
      e << YAML::BeginSeq;
      for (const auto& item : value) emit_map(e, item, *f.schema);
      e << YAML::EndSeq;
      break;
    case FieldKind::kNamedMaps:
      e << YAML::BeginMap;
      for (auto it = value.begin(); it != value.end(); ++it) {
        e << YAML::Key << it->first.Scalar() << YAML::Value;
        emit_map(e, it->second, *f.schema);
      }
      e << YAML::EndMap;
      break;
    case FieldKind::kStringList:
      e << YAML::BeginSeq;
      for (const auto& item : value) e << item.Scalar();
      e << YAML::EndSeq;
      break;
    case FieldKind::kAny: e << value; break;
    case FieldKind::kNamedValues:
      e << YAML::BeginMap;
      for (auto it = value.begin(); it != value.end(); ++it) {
        e << YAML::Key << it->first.Scalar() << YAML::Value;
        emit_value(e, it->second, *f.item);
      }
      e << YAML::EndMap;
      break;
    default: e << value.Scalar(); break;
  }
}

void emit_map(YAML::Emitter& e, const YAML::Node& tree, const Schema& schema) {
  e << YAML::BeginMap;
  for (const auto& f : schema.fields) {
    const YAML::Node value = tree[f.name];
    if (!value.IsDefined()) continue;
    e << YAML::Key << f.name << YAML::Value;
    emit_value(e, value, f);
  }
  e << YAML::EndMap;
}

struct DescribeRow {
  std::string path, kind, def, range, doc;
};

void describe_rows(const Schema& schema, const std::string& prefix, std::vector<DescribeRow>& rows) {
  for (const auto& f : schema.fields) {
    if (!f.removed.empty()) continue;
    const std::string path = join(prefix, f.name);
    DescribeRow row{path, kind_text(f.kind), f.required ? "(required)" : f.default_value, "", f.doc};
    if (f.kind == FieldKind::kQuantity)
      row.kind = std::string(quantity_name(f.quantity)).substr(std::string(quantity_name(f.quantity)).find(' ') + 1) +
                 " (" + canonical_unit(f.quantity) + ")";
    if (f.kind == FieldKind::kEnum) {
      for (const auto& c : f.choices) row.range += (row.range.empty() ? "" : " | ") + c;
    } else {
      row.range = range_text(f.kind == FieldKind::kNamedValues ? *f.item : f);
    }
    rows.push_back(row);
    if (f.kind == FieldKind::kMap) describe_rows(*f.schema, path, rows);
    if (f.kind == FieldKind::kListOfMaps) describe_rows(*f.schema, path + "[]", rows);
    if (f.kind == FieldKind::kNamedMaps) describe_rows(*f.schema, path + ".<name>", rows);
  }
}

}  // namespace

ResolvedConfig resolve(const YAML::Node& input, const Schema& schema, const std::string& file, Diagnostics& diags,
                       const std::string& path_prefix, const std::map<std::string, std::string>& overridden) {
  ResolvedConfig out;
  out.tree = YAML::Node(YAML::NodeType::Map);
  Walker walker(file, diags, overridden, out);
  const SourceLocation root = walker.locate(path_prefix, input.Mark(), {file, 1, 1});
  out.locations[path_prefix] = root;
  if (input.IsDefined() && !input.IsNull() && !input.IsMap()) {
    diags.add(root, path_prefix, "expected a mapping of keys, got " + describe_node(input));
    return out;
  }
  walker.resolve_map(input, schema, path_prefix, root, out.tree, false);
  return out;
}

void complete_defaults(YAML::Node resolved_map, const Schema& schema, const SourceLocation& anchor,
                       const std::string& path, Diagnostics& diags) {
  ResolvedConfig scratch;
  const std::map<std::string, std::string> none;
  Walker walker(anchor.file, diags, none, scratch);
  std::set<std::string> present;
  for (auto it = resolved_map.begin(); it != resolved_map.end(); ++it) present.insert(it->first.Scalar());
  walker.fill_missing(schema, path, anchor, resolved_map, present);
}

std::string emit_resolved(const YAML::Node& tree, const Schema& schema) {
  YAML::Emitter e;
  e.SetIndent(2);
  emit_map(e, tree, schema);
  return std::string(e.c_str()) + "\n";
}

std::string describe_schema(const Schema& schema, const std::string& path_prefix) {
  std::vector<DescribeRow> rows;
  describe_rows(schema, path_prefix, rows);
  const DescribeRow header{"key", "kind", "default", "range/choices", "description"};
  size_t w[4] = {header.path.size(), header.kind.size(), header.def.size(), header.range.size()};
  for (const auto& r : rows) {
    w[0] = std::max(w[0], r.path.size());
    w[1] = std::max(w[1], r.kind.size());
    w[2] = std::max(w[2], r.def.size());
    w[3] = std::max(w[3], r.range.size());
  }
  auto line = [&](const DescribeRow& r) {
    auto pad = [](const std::string& s, size_t n) { return s + std::string(n - s.size() + 2, ' '); };
    std::string text = pad(r.path, w[0]) + pad(r.kind, w[1]) + pad(r.def, w[2]) + pad(r.range, w[3]) + r.doc;
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text + "\n";
  };
  std::string out = line(header);
  for (const auto& r : rows) out += line(r);
  return out;
}

}  // namespace clustersim
