// The man page from the CLI11 app: every subcommand and option as `--help` describes it.
#include "man_page.hpp"

#include <fmt/format.h>

namespace spotcheck::harness {
namespace {

// roff escapes: a backslash, and a leading dot or quote that would start a request.
std::string roff(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

std::string option_entry(const CLI::Option& o) {
  std::string name = o.get_name(true, true);  // "-j,--jobs" or the positional's name
  std::string type = o.get_type_name();
  std::string head = fmt::format(".TP\n.B {}", roff(name));
  if (!o.get_positional() && o.get_expected_min() > 0 && !type.empty()) head += " " + roff(type);
  return head + "\n" + roff(o.get_description()) + (o.get_required() ? " (required)" : "") + "\n";
}

}  // namespace

std::string man_page(const CLI::App& app, const std::string& version) {
  std::string page = fmt::format(".TH SPOTCHECK 1 \"\" \"{}\" \"User Commands\"\n", roff(version));
  std::string what = app.get_description();
  if (what.rfind("spotcheck: ", 0) == 0) what = what.substr(11);
  page += ".SH NAME\nspotcheck \\- " + roff(what) + "\n";
  page += ".SH SYNOPSIS\n";
  const auto subcommands = app.get_subcommands([](const CLI::App*) { return true; });
  for (const auto* sub : subcommands) page += ".B spotcheck " + roff(sub->get_name()) + "\n[\\fIOPTIONS\\fR]\n.br\n";
  page +=
      ".SH DESCRIPTION\n"
      "spotcheck runs a real bash launcher (boot an EC2 spot instance, ssh in, install deps, run a Python "
      "workload, upload to S3, send a heartbeat, terminate) inside a bubblewrap sandbox with no network, "
      "against fake aws, ssh, scp, python and other tools that record every call and answer from a "
      "simulated World; scenarios assert on the recordings.\n";
  for (const auto* sub : subcommands) {
    page += ".SH " + roff("spotcheck " + sub->get_name()) + "\n" + roff(sub->get_description()) + "\n";
    for (const auto* o : sub->get_options()) {
      if (o->get_name() == "--help") continue;
      page += option_entry(*o);
    }
  }
  page += ".SH OPTIONS\n";
  for (const auto* o : app.get_options()) page += option_entry(*o);
  page +=
      ".SH FILES\n"
      ".TP\n.B spotcheck.json\n"
      "The project file, found by walking up from a scenario file or the working directory: the "
      "repository's launchers, scenario directories, worlds and workload catalogs; every path in it and in "
      "its scenarios is relative to its directory.\n"
      ".TP\n.B PREFIX/share/spotcheck/worlds/default.json\n"
      "The built-in generic world every run starts from (found relative to the spotcheck binary).\n"
      ".TP\n.B PREFIX/libexec/spotcheck/spotcheck\\-fake\n"
      "The multi-call fake that answers as aws, ssh, scp, python, pip, git and the rest inside the sandbox.\n";
  page +=
      ".SH EXIT STATUS\n"
      "run: the launcher's exit status. check: 0 when every scenario passes, 1 when one failed, 2 for bad "
      "input or a harness fault. diff: 0 equivalent, 1 not, 2 bad input. Bad usage exits 2 with "
      "\"spotcheck: error: FILE: /json/pointer: what was expected\".\n";
  return page;
}

}  // namespace spotcheck::harness
