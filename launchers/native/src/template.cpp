// Template expansion for module descriptions: ${NAME}, ${NAME:-default}, ${NAME[@]} (list argument).
#include "spot_launch/template.hpp"

#include "spot_launch/error.hpp"
#include "spot_launch/strings.hpp"

namespace spot_launch {
namespace {

std::string value_of(const std::string& name, const Vars& vars) {
  if (auto it = vars.scalars.find(name); it != vars.scalars.end()) return it->second;
  if (auto it = vars.lists.find(name); it != vars.lists.end()) return join(it->second);
  fail(2, "template: unknown variable ${" + name + "}");
}

// Calls F(name, default_or_null) for each ${...}, and G(text) for the text in between.
template <class F, class G>
void scan(const std::string& text, F on_ref, G on_text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto start = text.find("${", pos);
    const auto end = start == std::string::npos ? std::string::npos : text.find('}', start);
    if (end == std::string::npos) {
      on_text(text.substr(pos));
      return;
    }
    on_text(text.substr(pos, start - pos));
    std::string body = text.substr(start + 2, end - start - 2);
    const auto dflt = body.find(":-");
    if (dflt == std::string::npos)
      on_ref(body, static_cast<const std::string*>(nullptr));
    else {
      const std::string d = body.substr(dflt + 2);
      on_ref(body.substr(0, dflt), &d);
    }
    pos = end + 1;
  }
}

}  // namespace

std::string expand(const std::string& text, const Vars& vars) {
  std::string out;
  scan(
      text,
      [&](const std::string& name, const std::string* dflt) {
        const std::string v = value_of(name, vars);
        out += (v.empty() && dflt) ? *dflt : v;
      },
      [&](const std::string& t) { out += t; });
  return out;
}

std::vector<std::string> expand_args(const std::vector<std::string>& args, const Vars& vars) {
  std::vector<std::string> out;
  for (const auto& arg : args) {
    if (arg.size() > 6 && arg.starts_with("${") && arg.ends_with("[@]}")) {
      const std::string name = arg.substr(2, arg.size() - 6);
      auto it = vars.lists.find(name);
      if (it == vars.lists.end()) fail(2, "template: ${" + name + "[@]} is not a list");
      out.insert(out.end(), it->second.begin(), it->second.end());
    } else {
      out.push_back(expand(arg, vars));
    }
  }
  return out;
}

std::vector<std::string> referenced_names(const std::string& text) {
  std::vector<std::string> names;
  scan(
      text,
      [&](const std::string& name, const std::string*) {
        names.push_back(name.ends_with("[@]") ? name.substr(0, name.size() - 3) : name);
      },
      [](const std::string&) {});
  return names;
}

}  // namespace spot_launch
