// Internal to the fake aws: ports awscli's formatter.py, text.py and table.py (v2.9) so output matches byte for byte.
#include "aws/output.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <regex>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "spotcheck/text.hpp"

namespace spotcheck::fakes::aws {
namespace {

// ---------------------------------------------------------------- Python scalars

// float.__repr__: shortest round-trip digits, fixed notation for exponents -4..15, else d.ddde+XX.
std::string python_float(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  const auto e_pos = sci.find('e');
  const int exponent = std::stoi(sci.substr(e_pos + 1));
  if (exponent < -4 || exponent >= 16) return sci;
  std::string sign = sci[0] == '-' ? "-" : "";
  std::string digits;
  for (char c : sci.substr(0, e_pos))
    if (c >= '0' && c <= '9') digits += c;
  if (exponent < 0) return sign + "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  const auto int_len = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= int_len) return sign + digits + std::string(int_len - digits.size(), '0') + ".0";
  return sign + digits.substr(0, int_len) + "." + digits.substr(int_len);
}

std::string python_number(const Json& v) {
  if (v.is_number_float()) return python_float(v.get<double>());
  return v.dump();
}

// repr() of a str: single quotes unless the text has ' and no ", control characters as \xNN.
std::string python_string_repr(const std::string& s) {
  const bool has_single = s.find('\'') != std::string::npos;
  const char quote = (has_single && s.find('"') == std::string::npos) ? '"' : '\'';
  std::string out(1, quote);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\\')
      out += "\\\\";
    else if (c == static_cast<unsigned char>(quote))
      out += std::string("\\") + quote;
    else if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else
      out += static_cast<char>(c);
  }
  return out + quote;
}

std::string python_repr(const Json& v) {
  if (v.is_string()) return python_string_repr(v.get<std::string>());
  if (v.is_object()) {
    std::string out = "{";
    bool first = true;
    for (const auto& [key, item] : v.items()) {
      out += (first ? "" : ", ") + python_string_repr(key) + ": " + python_repr(item);
      first = false;
    }
    return out + "}";
  }
  if (v.is_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + python_repr(v[i]);
    return out + "]";
  }
  return python_str(v);
}

// Python truthiness, used by the table formatter's `if not current`.
bool python_truthy(const Json& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_float()) return v.get<double>() != 0.0;
  if (v.is_number()) return v != Json(0);
  if (v.is_string()) return !v.get_ref<const std::string&>().empty();  // Json::empty() is false for any string
  if (v.is_array() || v.is_object()) return !v.empty();
  return true;
}

std::string python_type_name(const Json& v) {
  if (v.is_null()) return "NoneType";
  if (v.is_boolean()) return "bool";
  if (v.is_number_float()) return "float";
  if (v.is_number()) return "int";
  if (v.is_string()) return "str";
  return v.is_array() ? "list" : "dict";
}

bool is_scalar(const Json& v) {
  return !v.is_array() && !v.is_object();
}

// ---------------------------------------------------------------- json (json.dump indent=4, ensure_ascii=False)

void append_json_string(const std::string& s, std::string& out) {
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else
          out += ch;
    }
  }
  out += '"';
}

std::string json_scalar(const Json& v) {
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
    return python_float(d);
  }
  if (v.is_string()) {
    std::string out;
    append_json_string(v.get<std::string>(), out);
    return out;
  }
  return v.dump();  // null, true, false, integers: same spelling as Python
}

void append_json(const Json& v, std::size_t depth, std::string& out) {
  if (is_scalar(v) || v.empty()) {
    out += is_scalar(v) ? json_scalar(v) : (v.is_array() ? "[]" : "{}");
    return;
  }
  const std::string inner = "\n" + std::string((depth + 1) * 4, ' ');
  out += v.is_array() ? '[' : '{';
  bool first = true;
  for (const auto& [key, item] : v.items()) {
    out += first ? inner : "," + inner;
    first = false;
    if (v.is_object()) {
      append_json_string(key, out);
      out += ": ";
    }
    append_json(item, depth + 1, out);
  }
  out += "\n" + std::string(depth * 4, ' ') + (v.is_array() ? ']' : '}');
}

std::string format_json(const Json& value) {
  if (value.is_object() && value.empty()) return "";  // `if response != {}`: no-output operations print nothing
  std::string out;
  append_json(value, 0, out);
  return out + "\n";
}

// ---------------------------------------------------------------- text (awscli/text.py)

std::string upper_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

std::string join_tabs(const std::vector<std::string>& cells) {
  return join(cells, "\t");
}

using Identifier = std::optional<std::string>;
using KeyList = std::optional<std::vector<std::string>>;

void text_any(const Json& item, const Identifier& identifier, const KeyList& scalar_keys, std::string& out);

void text_scalar_list(const std::vector<const Json*>& elements, const Identifier& identifier, std::string& out) {
  if (identifier) {
    for (const Json* e : elements) out += upper_ascii(*identifier) + "\t" + python_str(*e) + "\n";
    return;
  }
  std::vector<std::string> cells;
  for (const Json* e : elements) cells.push_back(python_str(*e));
  out += join_tabs(cells) + "\n";
}

// Sorted keys whose value is a scalar in any of the dicts (_all_scalar_keys).
std::vector<std::string> all_scalar_keys(const Json& list) {
  std::set<std::string> seen;
  for (const Json& element : list) {
    if (!element.is_object())  // the real code calls .items() on every element and crashes
      throw std::runtime_error("'" + python_type_name(element) + "' object has no attribute 'items'");
    for (const auto& [key, value] : element.items())
      if (is_scalar(value)) seen.insert(key);
  }
  return {seen.begin(), seen.end()};
}

void text_list(const Json& list, const Identifier& identifier, std::string& out) {
  if (list.empty()) return;
  const auto any = [&](auto pred) { return std::any_of(list.begin(), list.end(), pred); };
  if (any([](const Json& e) { return e.is_object(); })) {
    const auto keys = all_scalar_keys(list);
    for (const Json& element : list) text_any(element, identifier, keys, out);
    return;
  }
  std::vector<const Json*> scalars, non_scalars;
  for (const Json& element : list) (is_scalar(element) ? scalars : non_scalars).push_back(&element);
  if (non_scalars.empty()) return text_scalar_list(scalars, identifier, out);
  if (!scalars.empty()) text_scalar_list(scalars, identifier, out);
  for (const Json* element : non_scalars) text_any(*element, identifier, std::nullopt, out);
}

// _partition_dict: the scalar cells in order, and the nested (key, value) pairs sorted by key.
std::pair<std::vector<std::string>, std::vector<std::pair<std::string, const Json*>>> partition_dict(
    const Json& dict, const KeyList& scalar_keys) {
  std::vector<std::string> scalars;
  std::vector<std::pair<std::string, const Json*>> nested;
  std::vector<std::string> keys;
  for (const auto& [key, value] : dict.items()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  if (!scalar_keys) {
    for (const auto& key : keys) {
      const Json& value = dict.at(key);
      if (is_scalar(value))
        scalars.push_back(python_str(value));
      else
        nested.emplace_back(key, &value);
    }
    return {scalars, nested};
  }
  for (const auto& key : *scalar_keys) scalars.push_back(dict.contains(key) ? python_str(dict.at(key)) : "");
  for (const auto& key : keys)
    if (!std::binary_search(scalar_keys->begin(), scalar_keys->end(), key)) nested.emplace_back(key, &dict.at(key));
  return {scalars, nested};
}

void text_dict(const Json& dict, const Identifier& identifier, const KeyList& scalar_keys, std::string& out) {
  auto [scalars, nested] = partition_dict(dict, scalar_keys);
  if (!scalars.empty()) {
    if (identifier) scalars.insert(scalars.begin(), upper_ascii(*identifier));
    out += join_tabs(scalars) + "\n";
  }
  for (const auto& [key, value] : nested) text_any(*value, key, std::nullopt, out);
}

void text_any(const Json& item, const Identifier& identifier, const KeyList& scalar_keys, std::string& out) {
  if (item.is_object()) return text_dict(item, identifier, scalar_keys, out);
  if (item.is_array()) return text_list(item, identifier, out);
  out += python_str(item) + "\n";
}

std::string format_text(const Json& value) {
  std::string out;
  text_any(value, std::nullopt, std::nullopt, out);
  return out;
}

// ---------------------------------------------------------------- table (awscli/table.py, non-tty: 80 columns, no
// colour)

bool is_wide(char32_t c);

// get_text_length: East Asian Wide, Fullwidth and Ambiguous characters count 2 columns.
int text_length(const std::string& s) {
  int total = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    total += is_wide(c) ? 2 : 1;
    i += len;
  }
  return total;
}

std::string spaces(int n) {
  return n > 0 ? std::string(static_cast<std::size_t>(n), ' ') : "";
}
std::string dashes(int n) {
  return n > 0 ? std::string(static_cast<std::size_t>(n), '-') : "";
}

std::string center_text(const std::string& text, int length, const std::string& left_edge,
                        const std::string& right_edge) {
  const int text_len = text_length(text);
  const int char_start = (length / 2) - (text_len / 2) - 1;  // both non-negative here: floor division
  const int so_far = text_length(left_edge) + char_start + text_len;
  return left_edge + spaces(char_start) + text + spaces(length - text_length(right_edge) - so_far) + right_edge;
}

std::string align_left(const std::string& text, int length, const std::string& left_edge,
                       const std::string& right_edge) {
  const int text_len = text_length(text);
  const int computed = text_len + 2 + text_length(left_edge) + text_length(right_edge);
  const int padding = length - computed >= 0 ? 2 : 0;
  const int so_far = static_cast<int>(left_edge.size()) + padding + text_len;
  return left_edge + spaces(padding) + text + spaces(length - so_far - static_cast<int>(right_edge.size())) +
         right_edge;
}

struct Section {
  std::string title;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  bool title_is_none = false;  // Python measures a None title as the 4 characters of "None"
  int indent_level = 0;
  std::optional<std::size_t> num_cols;
  std::vector<int> max_widths;

  void update_max_widths(const std::vector<std::string>& row) {
    if (max_widths.empty()) {
      for (const auto& el : row) max_widths.push_back(text_length(el));
      return;
    }
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i >= max_widths.size()) throw std::runtime_error("list index out of range");
      max_widths[i] = std::max(text_length(row[i]), max_widths[i]);
    }
  }
  void add_header(const std::vector<std::string>& h) {
    update_max_widths(h);
    if (!num_cols) num_cols = h.size();
    headers = h;
  }
  void add_row(const std::vector<std::string>& row) {
    if (!num_cols) num_cols = row.size();
    if (row.size() != *num_cols)
      throw std::runtime_error("Row should have " + std::to_string(*num_cols) + " elements, instead it has " +
                               std::to_string(row.size()));
    rows.push_back(row);
    update_max_widths(row);
  }
  std::vector<int> column_widths(int padding, std::optional<int> max_width) const;
  int total_width(int padding, int outer_padding) const {
    int total = 0;
    for (int w : column_widths(0, std::nullopt)) total += w + padding;
    total += 2 + 2 * outer_padding;
    const int title_len = title_is_none ? 4 : text_length(title);
    return std::max(title_len + 2 + 2 * outer_padding, total);
  }
};

// Scales the natural widths to fill max_width exactly (Python round() is half-to-even, like nearbyint).
std::vector<int> Section::column_widths(int padding, std::optional<int> max_width) const {
  std::vector<int> widths;
  for (int w : max_widths) widths.push_back(w + padding);
  if (!max_width || widths.empty()) return widths;
  int sum = 0;
  for (int w : widths) sum += w;
  const double scale = *max_width / static_cast<double>(sum);
  for (int& w : widths) w = static_cast<int>(std::nearbyint(scale * w));
  int off_by = -*max_width;
  for (int w : widths) off_by += w;
  const int n = static_cast<int>(widths.size());
  while (off_by != 0) {
    for (int k = 0; k < n && off_by != 0; ++k) {
      const int i = off_by < 0 ? n - 1 - k : k;
      widths[static_cast<std::size_t>(i)] += off_by > 0 ? -1 : 1;
      off_by += off_by > 0 ? -1 : 1;
    }
  }
  return widths;
}

class MultiTable {
 public:
  void new_section(const std::optional<std::string>& title, int indent_level) {
    sections_.emplace_back();
    sections_.back().title = title.value_or("");
    sections_.back().title_is_none = !title;
    sections_.back().indent_level = indent_level;
  }
  Section& current() {
    if (sections_.empty()) throw std::runtime_error("'NoneType' object has no attribute 'add_row'");
    return sections_.back();
  }
  std::string render() {
    int max_width = calculate_max_width();
    if (max_width > kTerminalWidth) {  // determine_terminal_width() falls back to 80 when stdout is not a tty
      convert_to_vertical();
      max_width = calculate_max_width();
    }
    std::string out = dashes(max_width) + "\n";
    for (const auto& section : sections_) render_section(section, max_width, out);
    return out;
  }

 private:
  static constexpr int kTerminalWidth = 80;
  std::vector<Section> sections_;

  int calculate_max_width() const {
    int widest = 0;
    for (const auto& s : sections_) widest = std::max(widest, s.total_width(4, s.indent_level));
    return widest;
  }
  // Single-row sections with headers become header|value rows (convert_to_vertical_table).
  void convert_to_vertical() {
    for (auto& section : sections_) {
      if (section.rows.size() != 1 || section.headers.empty()) continue;
      Section vertical;
      vertical.title = section.title;
      vertical.title_is_none = section.title_is_none;
      vertical.indent_level = section.indent_level;
      for (std::size_t i = 0; i < section.headers.size() && i < section.rows[0].size(); ++i)
        vertical.add_row({section.headers[i], section.rows[0][i]});
      section = vertical;
    }
  }
  static void write_line(int indent, const std::string& text, std::string& out) {
    const std::string bars(static_cast<std::size_t>(indent), '|');
    out += bars + text + bars + "\n";
  }
  static std::string line_break(const std::vector<int>& widths) {
    std::string line;
    for (std::size_t i = 0; i < widths.size(); ++i)
      line += i == 0 ? "+" + dashes(widths[i] - 2) + "+" : dashes(widths[i] - 1) + "+";
    return line;
  }
  static void render_section(const Section& s, int max_width, std::string& out) {
    max_width -= s.indent_level * 2;
    if (!s.title.empty()) {
      write_line(s.indent_level, center_text(s.title, max_width, "|", "|"), out);
      if (s.headers.empty() && s.rows.empty()) write_line(s.indent_level, "+" + dashes(max_width - 2) + "+", out);
    }
    if (!s.headers.empty()) {
      const auto widths = s.column_widths(4, max_width);
      std::string line;
      for (std::size_t i = 0; i < widths.size() && i < s.headers.size(); ++i)
        line += center_text(s.headers[i], widths[i], i == 0 ? "|" : "", "|");
      write_line(s.indent_level, line_break(widths), out);
      write_line(s.indent_level, line, out);
    }
    if (s.rows.empty()) return;
    const auto widths = s.column_widths(4, max_width);
    if (widths.empty()) return;
    write_line(s.indent_level, line_break(widths), out);
    for (const auto& row : s.rows) {
      std::string line;
      for (std::size_t i = 0; i < widths.size() && i < row.size(); ++i)
        line += align_left(row[i], widths[i], i == 0 ? "|" : "", "|");
      write_line(s.indent_level, line, out);
    }
    write_line(s.indent_level, line_break(widths), out);
  }
  friend class TableBuilder;
};

// TableFormatter._build_table and helpers: which keys become columns and which become nested sections.
class TableBuilder {
 public:
  explicit TableBuilder(MultiTable& table) : table_(table) {}

  bool build(const std::optional<std::string>& title, const Json& current, int indent_level) {
    if (!python_truthy(current)) return false;
    if (title) table_.new_section(*title, indent_level);
    if (current.is_array()) build_list(current, title, indent_level);
    if (current.is_object()) build_dict(current, indent_level);
    return true;
  }

 private:
  MultiTable& table_;

  static std::vector<std::string> cells(const Json& item) {
    std::vector<std::string> row;
    if (item.is_object())
      for (const auto& [key, value] : item.items()) row.push_back(key);  // iterating a dict yields its keys
    else
      for (const Json& el : item) row.push_back(python_str(el));
    return row;
  }
  static bool all_scalar(const Json& item) {
    if (item.is_object()) return true;
    return std::all_of(item.begin(), item.end(), [](const Json& el) { return is_scalar(el); });
  }
  void build_list(const Json& list, const std::optional<std::string>& title, int indent_level) {
    if (list[0].is_object()) return build_list_of_dicts(list, title, indent_level);
    for (const Json& item : list) {
      if (is_scalar(item))
        table_.current().add_row({python_str(item)});
      else if (all_scalar(item))
        table_.current().add_row(cells(item));
      else
        build(std::nullopt, item, 0);
    }
  }
  static std::pair<std::vector<std::string>, std::vector<std::string>> group_scalar_keys(const Json& dict) {
    if (!dict.is_object()) throw std::runtime_error("string indices must be integers");
    std::vector<std::string> headers, more;
    for (const auto& [key, value] : dict.items()) (is_scalar(value) ? headers : more).push_back(key);
    std::sort(headers.begin(), headers.end());
    std::sort(more.begin(), more.end());
    return {headers, more};
  }
  void build_dict(const Json& dict, int indent_level) {
    const auto [headers, more] = group_scalar_keys(dict);
    if (headers.size() == 1) {
      table_.current().add_row({headers[0], python_str(dict.at(headers[0]))});
    } else if (!headers.empty()) {
      table_.current().add_header(headers);
      std::vector<std::string> row;
      for (const auto& key : headers) row.push_back(python_str(dict.at(key)));
      table_.current().add_row(row);
    }
    for (const auto& key : more) build(key, dict.at(key), indent_level + 1);
  }
  void build_list_of_dicts(const Json& list, const std::optional<std::string>& title, int indent_level) {
    std::set<std::string> header_set, more_set;
    for (const Json& item : list) {
      const auto [h, m] = group_scalar_keys(item);
      header_set.insert(h.begin(), h.end());
      more_set.insert(m.begin(), m.end());
    }
    const std::vector<std::string> headers(header_set.begin(), header_set.end());
    table_.current().add_header(headers);
    bool first = true;
    for (const Json& element : list) {
      if (!first && !more_set.empty()) {
        table_.new_section(title, indent_level);
        table_.current().add_header(headers);
      }
      first = false;
      std::vector<std::string> row;
      for (const auto& key : headers) row.push_back(element.contains(key) ? python_str(element.at(key)) : "");
      table_.current().add_row(row);
      for (const auto& key : more_set)
        if (element.contains(key)) build(key, element.at(key), indent_level + 1);
    }
  }
};

std::string format_table(const Json& value, std::string_view title) {
  MultiTable table;
  TableBuilder builder(table);
  if (!builder.build(std::string(title), value, 0)) return "";
  return table.render();
}

// ---------------------------------------------------------------- yaml (ruamel.yaml safe dumper, block style)
// A port of the common cases: block mappings/sequences, ruamel's float spelling, quoting of strings that would
// resolve to another YAML 1.2 type or start with an indicator, and folding of long plain scalars at column 80.

// ruamel's YAML 1.2 implicit resolvers: a plain scalar matching one of these would load as another type.
bool looks_like_other_type(const std::string& s) {
  static const std::regex resolvers(
      "true|True|TRUE|false|False|FALSE"
      "|[-+]?[0-9][0-9_]*\\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
      "|[-+]?\\.[0-9_]+([eE][-+][0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)"
      "|[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+"
      "|<<|~|null|Null|NULL|=|!|&|\\*"
      "|[0-9]{4}-[0-9]{2}-[0-9]{2}"
      "|[0-9]{4}-[0-9][0-9]?-[0-9][0-9]?([Tt]|[ \t]+)[0-9][0-9]?:[0-9]{2}:[0-9]{2}(\\.[0-9]*)?"
      "([ \t]*(Z|[-+][0-9][0-9]?(:[0-9]{2})?))?");
  return std::regex_match(s, resolvers);
}

enum class YamlStyle { Plain, Single, Double };

YamlStyle yaml_style(const std::string& s) {
  if (s.empty() || looks_like_other_type(s)) return YamlStyle::Single;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return YamlStyle::Double;
  }
  static const std::string indicators = "#,[]{}&*!|>'\"%@`";
  const char c0 = s[0];
  const bool dash_like = (c0 == '-' || c0 == '?' || c0 == ':') && (s.size() == 1 || s[1] == ' ');
  if (indicators.find(c0) != std::string::npos || dash_like) return YamlStyle::Single;
  if (s.front() == ' ' || s.back() == ' ' || s.back() == ':' || s.find('\n') != std::string::npos)
    return YamlStyle::Single;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return YamlStyle::Single;
  return YamlStyle::Plain;
}

// Writes text, turning single spaces into line breaks once past column 80 (ruamel's best_width).
void write_folded(const std::string& text, std::size_t indent, std::size_t& column, std::string& out) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool lone_space = text[i] == ' ' && i > 0 && text[i - 1] != ' ' && i + 1 < text.size() && text[i + 1] != ' ';
    if (lone_space && column > 80) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
    } else if (text[i] == '\n') {
      out += "\n\n" + std::string(indent, ' ');
      column = indent;
    } else {
      out += text[i];
      ++column;
    }
  }
}

// ruamel's double-quoted style: short escapes where YAML has them, \xNN for other control characters.
std::string yaml_double_quoted(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\0':
        out += "\\0";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      case 0x1b:
        out += "\\e";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02X", c);
          out += buf;
        } else
          out += ch;
    }
  }
  return out + "\"";
}

void yaml_string(const std::string& s, std::size_t indent, std::size_t column, std::string& out) {
  switch (yaml_style(s)) {
    case YamlStyle::Plain:
      return write_folded(s, indent, column, out);
    case YamlStyle::Single: {
      std::string doubled;
      for (char c : s) doubled += c == '\'' ? std::string("''") : std::string(1, c);
      out += '\'';
      ++column;
      write_folded(doubled, indent, column, out);
      out += '\'';
      return;
    }
    case YamlStyle::Double:
      out += yaml_double_quoted(s);
      return;
  }
}

std::string yaml_float(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d < 0 ? "-.inf" : ".inf";
  return python_float(d);
}

void yaml_scalar(const Json& v, std::size_t indent, std::size_t column, std::string& out) {
  if (v.is_string()) return yaml_string(v.get<std::string>(), indent, column, out);
  if (v.is_number_float())
    out += yaml_float(v.get<double>());
  else
    out += v.dump();  // null, true/false, integers
}

void yaml_node(const Json& v, std::size_t indent, std::string& out);

bool yaml_inline(const Json& v) {
  return is_scalar(v) || v.empty();
}

void yaml_inline_value(const Json& v, std::size_t indent, std::size_t column, std::string& out) {
  if (is_scalar(v))
    yaml_scalar(v, indent + 2, column, out);
  else
    out += v.is_array() ? "[]" : "{}";
  out += "\n";
}

// The safe representer sorts mapping keys; sequences keep their order.
std::vector<std::pair<std::string, const Json*>> yaml_entries(const Json& v) {
  std::vector<std::pair<std::string, const Json*>> entries;
  for (const auto& [key, item] : v.items()) entries.emplace_back(key, &item);
  if (v.is_object()) std::sort(entries.begin(), entries.end());
  return entries;
}

// A mapping or sequence whose first line continues the current one (after "- " or at a fresh line).
void yaml_node(const Json& v, std::size_t indent, std::string& out) {
  bool first = true;
  for (const auto& [key, item_ptr] : yaml_entries(v)) {
    const Json& item = *item_ptr;
    if (!first) out += std::string(indent, ' ');
    first = false;
    std::size_t column = indent;
    if (v.is_array()) {
      out += "- ";
      column += 2;
      if (yaml_inline(item))
        yaml_inline_value(item, indent, column, out);
      else
        yaml_node(item, indent + 2, out);
      continue;
    }
    std::string shown_key;
    yaml_string(key, indent + 2, column, shown_key);
    out += shown_key + ":";
    column += shown_key.size() + 2;
    if (yaml_inline(item)) {
      out += " ";
      yaml_inline_value(item, indent, column, out);
    } else {
      out += "\n" + std::string(item.is_array() ? indent : indent + 2, ' ');
      yaml_node(item, item.is_array() ? indent : indent + 2, out);
    }
  }
}

std::string format_yaml(const Json& value) {
  if (value.is_object() && value.empty()) return "";
  if (is_scalar(value)) return json_scalar(value) + "\n";  // YAMLDumper json-dumps scalars
  if (value.empty()) return value.is_array() ? "[]\n" : "{}\n";
  std::string out;
  yaml_node(value, 0, out);
  return out;
}

// yaml-stream wraps the (single, fully merged) response in a one-element list.
std::string format_yaml_stream(const Json& value) {
  if (value.is_object() && value.empty()) return "";
  return format_yaml(Json::array({value}));
}

// ---------------------------------------------------------------- East Asian Width W/F/A ranges
// Generated from Python 3.11's unicodedata (Unicode 14.0), the table awscli's get_text_length consults.
struct CodeRange {
  char32_t first, last;
};
constexpr CodeRange kWideRanges[] = {
    {0xA1, 0xA1},        {0xA4, 0xA4},       {0xA7, 0xA8},       {0xAA, 0xAA},       {0xAD, 0xAE},
    {0xB0, 0xB4},        {0xB6, 0xBA},       {0xBC, 0xBF},       {0xC6, 0xC6},       {0xD0, 0xD0},
    {0xD7, 0xD8},        {0xDE, 0xE1},       {0xE6, 0xE6},       {0xE8, 0xEA},       {0xEC, 0xED},
    {0xF0, 0xF0},        {0xF2, 0xF3},       {0xF7, 0xFA},       {0xFC, 0xFC},       {0xFE, 0xFE},
    {0x101, 0x101},      {0x111, 0x111},     {0x113, 0x113},     {0x11B, 0x11B},     {0x126, 0x127},
    {0x12B, 0x12B},      {0x131, 0x133},     {0x138, 0x138},     {0x13F, 0x142},     {0x144, 0x144},
    {0x148, 0x14B},      {0x14D, 0x14D},     {0x152, 0x153},     {0x166, 0x167},     {0x16B, 0x16B},
    {0x1CE, 0x1CE},      {0x1D0, 0x1D0},     {0x1D2, 0x1D2},     {0x1D4, 0x1D4},     {0x1D6, 0x1D6},
    {0x1D8, 0x1D8},      {0x1DA, 0x1DA},     {0x1DC, 0x1DC},     {0x251, 0x251},     {0x261, 0x261},
    {0x2C4, 0x2C4},      {0x2C7, 0x2C7},     {0x2C9, 0x2CB},     {0x2CD, 0x2CD},     {0x2D0, 0x2D0},
    {0x2D8, 0x2DB},      {0x2DD, 0x2DD},     {0x2DF, 0x2DF},     {0x300, 0x36F},     {0x378, 0x379},
    {0x380, 0x383},      {0x38B, 0x38B},     {0x38D, 0x38D},     {0x391, 0x3A9},     {0x3B1, 0x3C1},
    {0x3C3, 0x3C9},      {0x401, 0x401},     {0x410, 0x44F},     {0x451, 0x451},     {0x530, 0x530},
    {0x557, 0x558},      {0x58B, 0x58C},     {0x590, 0x590},     {0x5C8, 0x5CF},     {0x5EB, 0x5EE},
    {0x5F5, 0x5FF},      {0x70E, 0x70E},     {0x74B, 0x74C},     {0x7B2, 0x7BF},     {0x7FB, 0x7FC},
    {0x82E, 0x82F},      {0x83F, 0x83F},     {0x85C, 0x85D},     {0x85F, 0x85F},     {0x86B, 0x86F},
    {0x88F, 0x88F},      {0x892, 0x897},     {0x984, 0x984},     {0x98D, 0x98E},     {0x991, 0x992},
    {0x9A9, 0x9A9},      {0x9B1, 0x9B1},     {0x9B3, 0x9B5},     {0x9BA, 0x9BB},     {0x9C5, 0x9C6},
    {0x9C9, 0x9CA},      {0x9CF, 0x9D6},     {0x9D8, 0x9DB},     {0x9DE, 0x9DE},     {0x9E4, 0x9E5},
    {0x9FF, 0xA00},      {0xA04, 0xA04},     {0xA0B, 0xA0E},     {0xA11, 0xA12},     {0xA29, 0xA29},
    {0xA31, 0xA31},      {0xA34, 0xA34},     {0xA37, 0xA37},     {0xA3A, 0xA3B},     {0xA3D, 0xA3D},
    {0xA43, 0xA46},      {0xA49, 0xA4A},     {0xA4E, 0xA50},     {0xA52, 0xA58},     {0xA5D, 0xA5D},
    {0xA5F, 0xA65},      {0xA77, 0xA80},     {0xA84, 0xA84},     {0xA8E, 0xA8E},     {0xA92, 0xA92},
    {0xAA9, 0xAA9},      {0xAB1, 0xAB1},     {0xAB4, 0xAB4},     {0xABA, 0xABB},     {0xAC6, 0xAC6},
    {0xACA, 0xACA},      {0xACE, 0xACF},     {0xAD1, 0xADF},     {0xAE4, 0xAE5},     {0xAF2, 0xAF8},
    {0xB00, 0xB00},      {0xB04, 0xB04},     {0xB0D, 0xB0E},     {0xB11, 0xB12},     {0xB29, 0xB29},
    {0xB31, 0xB31},      {0xB34, 0xB34},     {0xB3A, 0xB3B},     {0xB45, 0xB46},     {0xB49, 0xB4A},
    {0xB4E, 0xB54},      {0xB58, 0xB5B},     {0xB5E, 0xB5E},     {0xB64, 0xB65},     {0xB78, 0xB81},
    {0xB84, 0xB84},      {0xB8B, 0xB8D},     {0xB91, 0xB91},     {0xB96, 0xB98},     {0xB9B, 0xB9B},
    {0xB9D, 0xB9D},      {0xBA0, 0xBA2},     {0xBA5, 0xBA7},     {0xBAB, 0xBAD},     {0xBBA, 0xBBD},
    {0xBC3, 0xBC5},      {0xBC9, 0xBC9},     {0xBCE, 0xBCF},     {0xBD1, 0xBD6},     {0xBD8, 0xBE5},
    {0xBFB, 0xBFF},      {0xC0D, 0xC0D},     {0xC11, 0xC11},     {0xC29, 0xC29},     {0xC3A, 0xC3B},
    {0xC45, 0xC45},      {0xC49, 0xC49},     {0xC4E, 0xC54},     {0xC57, 0xC57},     {0xC5B, 0xC5C},
    {0xC5E, 0xC5F},      {0xC64, 0xC65},     {0xC70, 0xC76},     {0xC8D, 0xC8D},     {0xC91, 0xC91},
    {0xCA9, 0xCA9},      {0xCB4, 0xCB4},     {0xCBA, 0xCBB},     {0xCC5, 0xCC5},     {0xCC9, 0xCC9},
    {0xCCE, 0xCD4},      {0xCD7, 0xCDC},     {0xCDF, 0xCDF},     {0xCE4, 0xCE5},     {0xCF0, 0xCF0},
    {0xCF3, 0xCFF},      {0xD0D, 0xD0D},     {0xD11, 0xD11},     {0xD45, 0xD45},     {0xD49, 0xD49},
    {0xD50, 0xD53},      {0xD64, 0xD65},     {0xD80, 0xD80},     {0xD84, 0xD84},     {0xD97, 0xD99},
    {0xDB2, 0xDB2},      {0xDBC, 0xDBC},     {0xDBE, 0xDBF},     {0xDC7, 0xDC9},     {0xDCB, 0xDCE},
    {0xDD5, 0xDD5},      {0xDD7, 0xDD7},     {0xDE0, 0xDE5},     {0xDF0, 0xDF1},     {0xDF5, 0xE00},
    {0xE3B, 0xE3E},      {0xE5C, 0xE80},     {0xE83, 0xE83},     {0xE85, 0xE85},     {0xE8B, 0xE8B},
    {0xEA4, 0xEA4},      {0xEA6, 0xEA6},     {0xEBE, 0xEBF},     {0xEC5, 0xEC5},     {0xEC7, 0xEC7},
    {0xECE, 0xECF},      {0xEDA, 0xEDB},     {0xEE0, 0xEFF},     {0xF48, 0xF48},     {0xF6D, 0xF70},
    {0xF98, 0xF98},      {0xFBD, 0xFBD},     {0xFCD, 0xFCD},     {0xFDB, 0xFFF},     {0x10C6, 0x10C6},
    {0x10C8, 0x10CC},    {0x10CE, 0x10CF},   {0x1100, 0x115F},   {0x1249, 0x1249},   {0x124E, 0x124F},
    {0x1257, 0x1257},    {0x1259, 0x1259},   {0x125E, 0x125F},   {0x1289, 0x1289},   {0x128E, 0x128F},
    {0x12B1, 0x12B1},    {0x12B6, 0x12B7},   {0x12BF, 0x12BF},   {0x12C1, 0x12C1},   {0x12C6, 0x12C7},
    {0x12D7, 0x12D7},    {0x1311, 0x1311},   {0x1316, 0x1317},   {0x135B, 0x135C},   {0x137D, 0x137F},
    {0x139A, 0x139F},    {0x13F6, 0x13F7},   {0x13FE, 0x13FF},   {0x169D, 0x169F},   {0x16F9, 0x16FF},
    {0x1716, 0x171E},    {0x1737, 0x173F},   {0x1754, 0x175F},   {0x176D, 0x176D},   {0x1771, 0x1771},
    {0x1774, 0x177F},    {0x17DE, 0x17DF},   {0x17EA, 0x17EF},   {0x17FA, 0x17FF},   {0x181A, 0x181F},
    {0x1879, 0x187F},    {0x18AB, 0x18AF},   {0x18F6, 0x18FF},   {0x191F, 0x191F},   {0x192C, 0x192F},
    {0x193C, 0x193F},    {0x1941, 0x1943},   {0x196E, 0x196F},   {0x1975, 0x197F},   {0x19AC, 0x19AF},
    {0x19CA, 0x19CF},    {0x19DB, 0x19DD},   {0x1A1C, 0x1A1D},   {0x1A5F, 0x1A5F},   {0x1A7D, 0x1A7E},
    {0x1A8A, 0x1A8F},    {0x1A9A, 0x1A9F},   {0x1AAE, 0x1AAF},   {0x1ACF, 0x1AFF},   {0x1B4D, 0x1B4F},
    {0x1B7F, 0x1B7F},    {0x1BF4, 0x1BFB},   {0x1C38, 0x1C3A},   {0x1C4A, 0x1C4C},   {0x1C89, 0x1C8F},
    {0x1CBB, 0x1CBC},    {0x1CC8, 0x1CCF},   {0x1CFB, 0x1CFF},   {0x1F16, 0x1F17},   {0x1F1E, 0x1F1F},
    {0x1F46, 0x1F47},    {0x1F4E, 0x1F4F},   {0x1F58, 0x1F58},   {0x1F5A, 0x1F5A},   {0x1F5C, 0x1F5C},
    {0x1F5E, 0x1F5E},    {0x1F7E, 0x1F7F},   {0x1FB5, 0x1FB5},   {0x1FC5, 0x1FC5},   {0x1FD4, 0x1FD5},
    {0x1FDC, 0x1FDC},    {0x1FF0, 0x1FF1},   {0x1FF5, 0x1FF5},   {0x1FFF, 0x1FFF},   {0x2010, 0x2010},
    {0x2013, 0x2016},    {0x2018, 0x2019},   {0x201C, 0x201D},   {0x2020, 0x2022},   {0x2024, 0x2027},
    {0x2030, 0x2030},    {0x2032, 0x2033},   {0x2035, 0x2035},   {0x203B, 0x203B},   {0x203E, 0x203E},
    {0x2065, 0x2065},    {0x2072, 0x2074},   {0x207F, 0x207F},   {0x2081, 0x2084},   {0x208F, 0x208F},
    {0x209D, 0x209F},    {0x20AC, 0x20AC},   {0x20C1, 0x20CF},   {0x20F1, 0x20FF},   {0x2103, 0x2103},
    {0x2105, 0x2105},    {0x2109, 0x2109},   {0x2113, 0x2113},   {0x2116, 0x2116},   {0x2121, 0x2122},
    {0x2126, 0x2126},    {0x212B, 0x212B},   {0x2153, 0x2154},   {0x215B, 0x215E},   {0x2160, 0x216B},
    {0x2170, 0x2179},    {0x2189, 0x2189},   {0x218C, 0x2199},   {0x21B8, 0x21B9},   {0x21D2, 0x21D2},
    {0x21D4, 0x21D4},    {0x21E7, 0x21E7},   {0x2200, 0x2200},   {0x2202, 0x2203},   {0x2207, 0x2208},
    {0x220B, 0x220B},    {0x220F, 0x220F},   {0x2211, 0x2211},   {0x2215, 0x2215},   {0x221A, 0x221A},
    {0x221D, 0x2220},    {0x2223, 0x2223},   {0x2225, 0x2225},   {0x2227, 0x222C},   {0x222E, 0x222E},
    {0x2234, 0x2237},    {0x223C, 0x223D},   {0x2248, 0x2248},   {0x224C, 0x224C},   {0x2252, 0x2252},
    {0x2260, 0x2261},    {0x2264, 0x2267},   {0x226A, 0x226B},   {0x226E, 0x226F},   {0x2282, 0x2283},
    {0x2286, 0x2287},    {0x2295, 0x2295},   {0x2299, 0x2299},   {0x22A5, 0x22A5},   {0x22BF, 0x22BF},
    {0x2312, 0x2312},    {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},    {0x2427, 0x243F},   {0x244B, 0x24E9},   {0x24EB, 0x254B},   {0x2550, 0x2573},
    {0x2580, 0x258F},    {0x2592, 0x2595},   {0x25A0, 0x25A1},   {0x25A3, 0x25A9},   {0x25B2, 0x25B3},
    {0x25B6, 0x25B7},    {0x25BC, 0x25BD},   {0x25C0, 0x25C1},   {0x25C6, 0x25C8},   {0x25CB, 0x25CB},
    {0x25CE, 0x25D1},    {0x25E2, 0x25E5},   {0x25EF, 0x25EF},   {0x25FD, 0x25FE},   {0x2605, 0x2606},
    {0x2609, 0x2609},    {0x260E, 0x260F},   {0x2614, 0x2615},   {0x261C, 0x261C},   {0x261E, 0x261E},
    {0x2640, 0x2640},    {0x2642, 0x2642},   {0x2648, 0x2653},   {0x2660, 0x2661},   {0x2663, 0x2665},
    {0x2667, 0x266A},    {0x266C, 0x266D},   {0x266F, 0x266F},   {0x267F, 0x267F},   {0x2693, 0x2693},
    {0x269E, 0x269F},    {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BF},   {0x26C4, 0x26E1},
    {0x26E3, 0x26E3},    {0x26E8, 0x26FF},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
    {0x273D, 0x273D},    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},
    {0x2776, 0x277F},    {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},
    {0x2B50, 0x2B50},    {0x2B55, 0x2B59},   {0x2B74, 0x2B75},   {0x2B96, 0x2B96},   {0x2CF4, 0x2CF8},
    {0x2D26, 0x2D26},    {0x2D28, 0x2D2C},   {0x2D2E, 0x2D2F},   {0x2D68, 0x2D6E},   {0x2D71, 0x2D7E},
    {0x2D97, 0x2D9F},    {0x2DA7, 0x2DA7},   {0x2DAF, 0x2DAF},   {0x2DB7, 0x2DB7},   {0x2DBF, 0x2DBF},
    {0x2DC7, 0x2DC7},    {0x2DCF, 0x2DCF},   {0x2DD7, 0x2DD7},   {0x2DDF, 0x2DDF},   {0x2E5E, 0x303E},
    {0x3040, 0x4DBF},    {0x4E00, 0xA4CF},   {0xA62C, 0xA63F},   {0xA6F8, 0xA6FF},   {0xA7CB, 0xA7CF},
    {0xA7D2, 0xA7D2},    {0xA7D4, 0xA7D4},   {0xA7DA, 0xA7F1},   {0xA82D, 0xA82F},   {0xA83A, 0xA83F},
    {0xA878, 0xA87F},    {0xA8C6, 0xA8CD},   {0xA8DA, 0xA8DF},   {0xA954, 0xA95E},   {0xA960, 0xA97F},
    {0xA9CE, 0xA9CE},    {0xA9DA, 0xA9DD},   {0xA9FF, 0xA9FF},   {0xAA37, 0xAA3F},   {0xAA4E, 0xAA4F},
    {0xAA5A, 0xAA5B},    {0xAAC3, 0xAADA},   {0xAAF7, 0xAB00},   {0xAB07, 0xAB08},   {0xAB0F, 0xAB10},
    {0xAB17, 0xAB1F},    {0xAB27, 0xAB27},   {0xAB2F, 0xAB2F},   {0xAB6C, 0xAB6F},   {0xABEE, 0xABEF},
    {0xABFA, 0xD7AF},    {0xD7C7, 0xD7CA},   {0xD7FC, 0xD7FF},   {0xE000, 0xFAFF},   {0xFB07, 0xFB12},
    {0xFB18, 0xFB1C},    {0xFB37, 0xFB37},   {0xFB3D, 0xFB3D},   {0xFB3F, 0xFB3F},   {0xFB42, 0xFB42},
    {0xFB45, 0xFB45},    {0xFBC3, 0xFBD2},   {0xFD90, 0xFD91},   {0xFDC8, 0xFDCE},   {0xFDD0, 0xFDEF},
    {0xFE00, 0xFE1F},    {0xFE30, 0xFE6F},   {0xFE75, 0xFE75},   {0xFEFD, 0xFEFE},   {0xFF00, 0xFF60},
    {0xFFBF, 0xFFC1},    {0xFFC8, 0xFFC9},   {0xFFD0, 0xFFD1},   {0xFFD8, 0xFFD9},   {0xFFDD, 0xFFE7},
    {0xFFEF, 0xFFF8},    {0xFFFD, 0xFFFF},   {0x1000C, 0x1000C}, {0x10027, 0x10027}, {0x1003B, 0x1003B},
    {0x1003E, 0x1003E},  {0x1004E, 0x1004F}, {0x1005E, 0x1007F}, {0x100FB, 0x100FF}, {0x10103, 0x10106},
    {0x10134, 0x10136},  {0x1018F, 0x1018F}, {0x1019D, 0x1019F}, {0x101A1, 0x101CF}, {0x101FE, 0x1027F},
    {0x1029D, 0x1029F},  {0x102D1, 0x102DF}, {0x102FC, 0x102FF}, {0x10324, 0x1032C}, {0x1034B, 0x1034F},
    {0x1037B, 0x1037F},  {0x1039E, 0x1039E}, {0x103C4, 0x103C7}, {0x103D6, 0x103FF}, {0x1049E, 0x1049F},
    {0x104AA, 0x104AF},  {0x104D4, 0x104D7}, {0x104FC, 0x104FF}, {0x10528, 0x1052F}, {0x10564, 0x1056E},
    {0x1057B, 0x1057B},  {0x1058B, 0x1058B}, {0x10593, 0x10593}, {0x10596, 0x10596}, {0x105A2, 0x105A2},
    {0x105B2, 0x105B2},  {0x105BA, 0x105BA}, {0x105BD, 0x105FF}, {0x10737, 0x1073F}, {0x10756, 0x1075F},
    {0x10768, 0x1077F},  {0x10786, 0x10786}, {0x107B1, 0x107B1}, {0x107BB, 0x107FF}, {0x10806, 0x10807},
    {0x10809, 0x10809},  {0x10836, 0x10836}, {0x10839, 0x1083B}, {0x1083D, 0x1083E}, {0x10856, 0x10856},
    {0x1089F, 0x108A6},  {0x108B0, 0x108DF}, {0x108F3, 0x108F3}, {0x108F6, 0x108FA}, {0x1091C, 0x1091E},
    {0x1093A, 0x1093E},  {0x10940, 0x1097F}, {0x109B8, 0x109BB}, {0x109D0, 0x109D1}, {0x10A04, 0x10A04},
    {0x10A07, 0x10A0B},  {0x10A14, 0x10A14}, {0x10A18, 0x10A18}, {0x10A36, 0x10A37}, {0x10A3B, 0x10A3E},
    {0x10A49, 0x10A4F},  {0x10A59, 0x10A5F}, {0x10AA0, 0x10ABF}, {0x10AE7, 0x10AEA}, {0x10AF7, 0x10AFF},
    {0x10B36, 0x10B38},  {0x10B56, 0x10B57}, {0x10B73, 0x10B77}, {0x10B92, 0x10B98}, {0x10B9D, 0x10BA8},
    {0x10BB0, 0x10BFF},  {0x10C49, 0x10C7F}, {0x10CB3, 0x10CBF}, {0x10CF3, 0x10CF9}, {0x10D28, 0x10D2F},
    {0x10D3A, 0x10E5F},  {0x10E7F, 0x10E7F}, {0x10EAA, 0x10EAA}, {0x10EAE, 0x10EAF}, {0x10EB2, 0x10EFF},
    {0x10F28, 0x10F2F},  {0x10F5A, 0x10F6F}, {0x10F8A, 0x10FAF}, {0x10FCC, 0x10FDF}, {0x10FF7, 0x10FFF},
    {0x1104E, 0x11051},  {0x11076, 0x1107E}, {0x110C3, 0x110CC}, {0x110CE, 0x110CF}, {0x110E9, 0x110EF},
    {0x110FA, 0x110FF},  {0x11135, 0x11135}, {0x11148, 0x1114F}, {0x11177, 0x1117F}, {0x111E0, 0x111E0},
    {0x111F5, 0x111FF},  {0x11212, 0x11212}, {0x1123F, 0x1127F}, {0x11287, 0x11287}, {0x11289, 0x11289},
    {0x1128E, 0x1128E},  {0x1129E, 0x1129E}, {0x112AA, 0x112AF}, {0x112EB, 0x112EF}, {0x112FA, 0x112FF},
    {0x11304, 0x11304},  {0x1130D, 0x1130E}, {0x11311, 0x11312}, {0x11329, 0x11329}, {0x11331, 0x11331},
    {0x11334, 0x11334},  {0x1133A, 0x1133A}, {0x11345, 0x11346}, {0x11349, 0x1134A}, {0x1134E, 0x1134F},
    {0x11351, 0x11356},  {0x11358, 0x1135C}, {0x11364, 0x11365}, {0x1136D, 0x1136F}, {0x11375, 0x113FF},
    {0x1145C, 0x1145C},  {0x11462, 0x1147F}, {0x114C8, 0x114CF}, {0x114DA, 0x1157F}, {0x115B6, 0x115B7},
    {0x115DE, 0x115FF},  {0x11645, 0x1164F}, {0x1165A, 0x1165F}, {0x1166D, 0x1167F}, {0x116BA, 0x116BF},
    {0x116CA, 0x116FF},  {0x1171B, 0x1171C}, {0x1172C, 0x1172F}, {0x11747, 0x117FF}, {0x1183C, 0x1189F},
    {0x118F3, 0x118FE},  {0x11907, 0x11908}, {0x1190A, 0x1190B}, {0x11914, 0x11914}, {0x11917, 0x11917},
    {0x11936, 0x11936},  {0x11939, 0x1193A}, {0x11947, 0x1194F}, {0x1195A, 0x1199F}, {0x119A8, 0x119A9},
    {0x119D8, 0x119D9},  {0x119E5, 0x119FF}, {0x11A48, 0x11A4F}, {0x11AA3, 0x11AAF}, {0x11AF9, 0x11BFF},
    {0x11C09, 0x11C09},  {0x11C37, 0x11C37}, {0x11C46, 0x11C4F}, {0x11C6D, 0x11C6F}, {0x11C90, 0x11C91},
    {0x11CA8, 0x11CA8},  {0x11CB7, 0x11CFF}, {0x11D07, 0x11D07}, {0x11D0A, 0x11D0A}, {0x11D37, 0x11D39},
    {0x11D3B, 0x11D3B},  {0x11D3E, 0x11D3E}, {0x11D48, 0x11D4F}, {0x11D5A, 0x11D5F}, {0x11D66, 0x11D66},
    {0x11D69, 0x11D69},  {0x11D8F, 0x11D8F}, {0x11D92, 0x11D92}, {0x11D99, 0x11D9F}, {0x11DAA, 0x11EDF},
    {0x11EF9, 0x11FAF},  {0x11FB1, 0x11FBF}, {0x11FF2, 0x11FFE}, {0x1239A, 0x123FF}, {0x1246F, 0x1246F},
    {0x12475, 0x1247F},  {0x12544, 0x12F8F}, {0x12FF3, 0x12FFF}, {0x1342F, 0x1342F}, {0x13439, 0x143FF},
    {0x14647, 0x167FF},  {0x16A39, 0x16A3F}, {0x16A5F, 0x16A5F}, {0x16A6A, 0x16A6D}, {0x16ABF, 0x16ABF},
    {0x16ACA, 0x16ACF},  {0x16AEE, 0x16AEF}, {0x16AF6, 0x16AFF}, {0x16B46, 0x16B4F}, {0x16B5A, 0x16B5A},
    {0x16B62, 0x16B62},  {0x16B78, 0x16B7C}, {0x16B90, 0x16E3F}, {0x16E9B, 0x16EFF}, {0x16F4B, 0x16F4E},
    {0x16F88, 0x16F8E},  {0x16FA0, 0x1BBFF}, {0x1BC6B, 0x1BC6F}, {0x1BC7D, 0x1BC7F}, {0x1BC89, 0x1BC8F},
    {0x1BC9A, 0x1BC9B},  {0x1BCA4, 0x1CEFF}, {0x1CF2E, 0x1CF2F}, {0x1CF47, 0x1CF4F}, {0x1CFC4, 0x1CFFF},
    {0x1D0F6, 0x1D0FF},  {0x1D127, 0x1D128}, {0x1D1EB, 0x1D1FF}, {0x1D246, 0x1D2DF}, {0x1D2F4, 0x1D2FF},
    {0x1D357, 0x1D35F},  {0x1D379, 0x1D3FF}, {0x1D455, 0x1D455}, {0x1D49D, 0x1D49D}, {0x1D4A0, 0x1D4A1},
    {0x1D4A3, 0x1D4A4},  {0x1D4A7, 0x1D4A8}, {0x1D4AD, 0x1D4AD}, {0x1D4BA, 0x1D4BA}, {0x1D4BC, 0x1D4BC},
    {0x1D4C4, 0x1D4C4},  {0x1D506, 0x1D506}, {0x1D50B, 0x1D50C}, {0x1D515, 0x1D515}, {0x1D51D, 0x1D51D},
    {0x1D53A, 0x1D53A},  {0x1D53F, 0x1D53F}, {0x1D545, 0x1D545}, {0x1D547, 0x1D549}, {0x1D551, 0x1D551},
    {0x1D6A6, 0x1D6A7},  {0x1D7CC, 0x1D7CD}, {0x1DA8C, 0x1DA9A}, {0x1DAA0, 0x1DAA0}, {0x1DAB0, 0x1DEFF},
    {0x1DF1F, 0x1DFFF},  {0x1E007, 0x1E007}, {0x1E019, 0x1E01A}, {0x1E022, 0x1E022}, {0x1E025, 0x1E025},
    {0x1E02B, 0x1E0FF},  {0x1E12D, 0x1E12F}, {0x1E13E, 0x1E13F}, {0x1E14A, 0x1E14D}, {0x1E150, 0x1E28F},
    {0x1E2AF, 0x1E2BF},  {0x1E2FA, 0x1E2FE}, {0x1E300, 0x1E7DF}, {0x1E7E7, 0x1E7E7}, {0x1E7EC, 0x1E7EC},
    {0x1E7EF, 0x1E7EF},  {0x1E7FF, 0x1E7FF}, {0x1E8C5, 0x1E8C6}, {0x1E8D7, 0x1E8FF}, {0x1E94C, 0x1E94F},
    {0x1E95A, 0x1E95D},  {0x1E960, 0x1EC70}, {0x1ECB5, 0x1ED00}, {0x1ED3E, 0x1EDFF}, {0x1EE04, 0x1EE04},
    {0x1EE20, 0x1EE20},  {0x1EE23, 0x1EE23}, {0x1EE25, 0x1EE26}, {0x1EE28, 0x1EE28}, {0x1EE33, 0x1EE33},
    {0x1EE38, 0x1EE38},  {0x1EE3A, 0x1EE3A}, {0x1EE3C, 0x1EE41}, {0x1EE43, 0x1EE46}, {0x1EE48, 0x1EE48},
    {0x1EE4A, 0x1EE4A},  {0x1EE4C, 0x1EE4C}, {0x1EE50, 0x1EE50}, {0x1EE53, 0x1EE53}, {0x1EE55, 0x1EE56},
    {0x1EE58, 0x1EE58},  {0x1EE5A, 0x1EE5A}, {0x1EE5C, 0x1EE5C}, {0x1EE5E, 0x1EE5E}, {0x1EE60, 0x1EE60},
    {0x1EE63, 0x1EE63},  {0x1EE65, 0x1EE66}, {0x1EE6B, 0x1EE6B}, {0x1EE73, 0x1EE73}, {0x1EE78, 0x1EE78},
    {0x1EE7D, 0x1EE7D},  {0x1EE7F, 0x1EE7F}, {0x1EE8A, 0x1EE8A}, {0x1EE9C, 0x1EEA0}, {0x1EEA4, 0x1EEA4},
    {0x1EEAA, 0x1EEAA},  {0x1EEBC, 0x1EEEF}, {0x1EEF2, 0x1EFFF}, {0x1F004, 0x1F004}, {0x1F02C, 0x1F02F},
    {0x1F094, 0x1F09F},  {0x1F0AF, 0x1F0B0}, {0x1F0C0, 0x1F0C0}, {0x1F0CF, 0x1F0D0}, {0x1F0F6, 0x1F10A},
    {0x1F110, 0x1F12D},  {0x1F130, 0x1F169}, {0x1F170, 0x1F1AC}, {0x1F1AE, 0x1F1E5}, {0x1F200, 0x1F320},
    {0x1F32D, 0x1F335},  {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3},
    {0x1F3E0, 0x1F3F0},  {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC},
    {0x1F4FF, 0x1F53D},  {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A}, {0x1F595, 0x1F596},
    {0x1F5A4, 0x1F5A4},  {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2},
    {0x1F6D5, 0x1F6DF},  {0x1F6EB, 0x1F6EF}, {0x1F6F4, 0x1F6FF}, {0x1F774, 0x1F77F}, {0x1F7D9, 0x1F7FF},
    {0x1F80C, 0x1F80F},  {0x1F848, 0x1F84F}, {0x1F85A, 0x1F85F}, {0x1F888, 0x1F88F}, {0x1F8AE, 0x1F8AF},
    {0x1F8B2, 0x1F8FF},  {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA54, 0x1FA5F},
    {0x1FA6E, 0x1FAFF},  {0x1FB93, 0x1FB93}, {0x1FBCB, 0x1FBEF}, {0x1FBFA, 0xE0000}, {0xE0002, 0xE001F},
    {0xE0080, 0x10FFFF},
};

bool is_wide(char32_t c) {
  if (c < 0xA1) return false;
  const auto it = std::upper_bound(std::begin(kWideRanges), std::end(kWideRanges), c,
                                   [](char32_t value, const CodeRange& r) { return value < r.first; });
  return it != std::begin(kWideRanges) && c <= std::prev(it)->last;
}

}  // namespace

std::string python_str(const Json& value) {
  if (value.is_null()) return "None";
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return python_number(value);
  return python_repr(value);
}

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  if (name == "json") return OutputFormat::Json;
  if (name == "text") return OutputFormat::Text;
  if (name == "table") return OutputFormat::Table;
  if (name == "yaml") return OutputFormat::Yaml;
  if (name == "yaml-stream") return OutputFormat::YamlStream;
  return std::nullopt;
}

std::string format_output(const Json& value, OutputFormat format, std::string_view title) {
  switch (format) {
    case OutputFormat::Json:
      return format_json(value);
    case OutputFormat::Text:
      return format_text(value);
    case OutputFormat::Table:
      return format_table(value, title);
    case OutputFormat::Yaml:
      return format_yaml(value);
    case OutputFormat::YamlStream:
      return format_yaml_stream(value);
  }
  return format_json(value);
}

}  // namespace spotcheck::fakes::aws
