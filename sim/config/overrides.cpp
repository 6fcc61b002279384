#include "sim/config/overrides.hpp"

#include <cctype>

#include "sim/config/experiment_loader.hpp"

namespace clustersim {

namespace {

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

bool parse_override(const std::string& text, Override& out, std::string& error) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) {
    error = "expected key=value, got '" + text + "'";
    return false;
  }
  out.key = trim(text.substr(0, eq));
  out.value = trim(text.substr(eq + 1));
  if (out.key.empty()) {
    error = "missing key before '=' in '" + text + "'";
    return false;
  }
  KeyPath path;
  return parse_key_path(out.key, path, error);
}

bool parse_key_path(const std::string& text, KeyPath& out, std::string& error) {
  out = KeyPath{};
  size_t i = 0;
  while (i <= text.size()) {
    const size_t end = text.find_first_of(".[", i);
    const std::string key = text.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (key.empty()) {
      error = "empty key in '" + text + "'";
      return false;
    }
    out.segments.push_back({key, all_digits(key) && !out.segments.empty()});
    if (end == std::string::npos) break;
    i = end + 1;
    if (text[end] == '[') {
      const size_t close = text.find(']', i);
      if (close == std::string::npos || !all_digits(text.substr(i, close - i))) {
        error = "bad list index in '" + text + "' (write key[0] or key.0)";
        return false;
      }
      out.segments.push_back({text.substr(i, close - i), true});
      i = close + 1;
      if (i == text.size()) break;
      if (text[i] != '.') {
        error = "expected '.' after ']' in '" + text + "'";
        return false;
      }
      ++i;
    }
  }
  for (const auto& s : out.segments)
    out.canonical += s.index ? "[" + s.key + "]" : (out.canonical.empty() ? "" : ".") + s.key;
  return true;
}

bool apply_override(YAML::Node root, const KeyPath& path, const std::string& value_yaml, std::string& error) {
  YAML::Node value;
  try {
    value = YAML::Load(value_yaml);
  } catch (const YAML::Exception& e) {
    error = "cannot parse the value '" + value_yaml + "' as YAML: " + e.msg;
    return false;
  }
  YAML::Node cur = root;
  std::string where;
  for (size_t i = 0; i < path.segments.size(); ++i) {
    const auto& seg = path.segments[i];
    const bool last = i + 1 == path.segments.size();
    if (seg.index && cur.IsSequence()) {
      const size_t index = std::stoul(seg.key);
      if (index >= cur.size()) {
        error =
            "'" + where + "' has " + std::to_string(cur.size()) + " element(s); index " + seg.key + " is out of range";
        return false;
      }
      if (last) {
        cur[index] = value;
        return true;
      }
      YAML::Node next = cur[index];
      cur.reset(next);
    } else {
      if (cur.IsDefined() && !cur.IsNull() && !cur.IsMap()) {
        error = "'" + where + "' is " + (cur.IsSequence() ? "a list" : "not a mapping") + ", cannot set '" + seg.key +
                "' in it";
        return false;
      }
      if (last) {
        cur[seg.key] = value;
        return true;
      }
      YAML::Node next = cur[seg.key];
      cur.reset(next);
    }
    where += seg.index ? "[" + seg.key + "]" : (where.empty() ? "" : ".") + seg.key;
  }
  return true;
}

bool check_schema_path(const KeyPath& path, const Schema& schema, std::string& error, std::string& hint) {
  const Schema* current = &schema;
  std::string where;
  for (size_t i = 0; i < path.segments.size(); ++i) {
    const auto& seg = path.segments[i];
    const Field* f = current->find(seg.key);
    if (f == nullptr || seg.index) {
      error = "unknown key '" + seg.key + "'" + (where.empty() ? "" : " in '" + where + "'");
      hint = did_you_mean(seg.key, current->names());
      return false;
    }
    where += (where.empty() ? "" : ".") + seg.key;
    const bool last = i + 1 == path.segments.size();
    if (last || f->kind == FieldKind::kAny) return true;
    switch (f->kind) {
      case FieldKind::kMap: current = f->schema; break;
      case FieldKind::kListOfMaps:
        if (!path.segments[i + 1].index) {
          error = "'" + where + "' is a list: address an element as " + where + "[0]";
          return false;
        }
        ++i;
        where += "[" + path.segments[i].key + "]";
        if (i + 1 == path.segments.size()) return true;
        current = f->schema;
        break;
      case FieldKind::kNamedMaps:
        ++i;  // a free entry name
        where += "." + path.segments[i].key;
        if (i + 1 == path.segments.size()) return true;
        current = f->schema;
        break;
      default:
        error = "'" + where + "' is a single value and has no key '" + path.segments[i + 1].key + "'";
        return false;
    }
  }
  return true;
}

}  // namespace clustersim
