// kyc policy history|diff: change control over the audit log. history lists every activation
// (when, which version, after which, what triggered it, who); diff shows what changed between
// two recorded policies, their text and every list or table they read.
#include <boost/json.hpp>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "common/line_diff.h"
#include "service/activations.h"
#include "store/decision_log.h"

namespace kyc::cli {

namespace {

std::string shorter(const std::string& sha) { return sha.empty() ? "-" : sha.substr(0, 12); }

// The recorded activations, or an empty optional after saying why on stderr.
std::optional<std::vector<service::Activation>> read_history(store::DecisionLog& log) {
  auto records = log.activations();
  if (!records) {
    std::cerr << records.error().message << "\n";
    return std::nullopt;
  }
  std::vector<service::Activation> out;
  for (const auto& r : *records)
    if (auto a = service::read_activation(r)) out.push_back(std::move(*a));
  return out;
}

// A policy named by its version (the latest activation of it) or by a sha256 prefix.
const service::Activation* find(const std::vector<service::Activation>& history,
                                const std::string& name) {
  for (auto it = history.rbegin(); it != history.rend(); ++it)
    if (it->version == name) return &*it;
  if (name.size() >= 6)
    for (auto it = history.rbegin(); it != history.rend(); ++it)
      if (it->sha256.starts_with(name)) return &*it;
  return nullptr;
}

struct Recorded {
  std::string text;
  std::map<std::string, std::string> files;  // path -> content
};

std::optional<Recorded> recorded(store::DecisionLog& log, const std::string& sha256) {
  auto text = log.policy_text(sha256);
  auto files = log.policy_files(sha256);
  if (!text || !*text || !files) {
    std::cerr << "policy " << sha256 << " is not in the log\n";
    return std::nullopt;
  }
  Recorded out{**text, {}};
  for (auto& f : *files) out.files[f.path] = std::move(f.content);
  return out;
}

}  // namespace

void add_policy(CLI::App& app) {
  auto* policy = app.add_subcommand("policy", "Change control: activations and their differences");
  policy->require_subcommand(1);
  static std::string data_dir = "var", format = "text", a_name, b_name;

  auto* history = policy->add_subcommand("history", "List every policy activation, oldest first");
  history->add_option("--data-dir", data_dir, "The service's data folder")->capture_default_str();
  history->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
  history->callback([] {
    auto log = open_log(data_dir);
    auto list = log ? read_history(*log) : std::nullopt;
    if (!list) {
      exit_code = 1;
      return;
    }
    if (format == "json") {
      boost::json::array out;
      for (const auto& a : *list)
        out.push_back({{"time", a.time},
                       {"version", a.version},
                       {"sha256", a.sha256},
                       {"previous_sha256", a.previous_sha256},
                       {"trigger", a.trigger},
                       {"by", a.by},
                       {"file", a.file}});
      std::cout << boost::json::serialize(out) << "\n";
      return;
    }
    std::cout << "time                      version          sha256        previous      trigger"
                 "      by\n";
    for (const auto& a : *list) {
      std::string version = a.version;
      version.resize(std::max<size_t>(version.size(), 16), ' ');
      std::string trigger = a.trigger;
      trigger.resize(std::max<size_t>(trigger.size(), 12), ' ');
      std::cout << a.time << "  " << version << " " << shorter(a.sha256) << "  "
                << shorter(a.previous_sha256) << (a.previous_sha256.empty() ? "            " : "")
                << "  " << trigger << " " << (a.by.empty() ? "-" : a.by) << "\n";
    }
    std::cout << list->size() << " activation(s)\n";
  });

  auto* diff = policy->add_subcommand(
      "diff", "Show what changed between two recorded policies (by version or sha256 prefix)");
  diff->add_option("--data-dir", data_dir, "The service's data folder")->capture_default_str();
  diff->add_option("a", a_name, "The earlier policy: a version or a sha256 prefix")->required();
  diff->add_option("b", b_name, "The later policy: a version or a sha256 prefix")->required();
  diff->callback([] {
    auto log = open_log(data_dir);
    auto list = log ? read_history(*log) : std::nullopt;
    if (!list) {
      exit_code = 1;
      return;
    }
    const service::Activation* a = find(*list, a_name);
    const service::Activation* b = find(*list, b_name);
    for (auto [found, name] : {std::pair{a, a_name}, {b, b_name}})
      if (!found) {
        std::cerr << "no activation of a policy with version or sha256 '" << name
                  << "' (kyc policy history lists them)\n";
        exit_code = 1;
      }
    if (exit_code) return;
    auto old_policy = recorded(*log, a->sha256), new_policy = recorded(*log, b->sha256);
    if (!old_policy || !new_policy) {
      exit_code = 1;
      return;
    }
    std::string from = a->file + " (" + a->version + ", " + shorter(a->sha256) + ")";
    std::string to = b->file + " (" + b->version + ", " + shorter(b->sha256) + ")";
    std::string out = common::line_diff(old_policy->text, new_policy->text, from, to);
    // Every list and table either of them read: added, removed or changed.
    std::map<std::string, std::pair<std::string, std::string>> files;
    for (const auto& [path, content] : old_policy->files) files[path].first = content;
    for (const auto& [path, content] : new_policy->files) files[path].second = content;
    for (const auto& [path, contents] : files)
      out += common::line_diff(contents.first, contents.second, path + " (" + a->version + ")",
                               path + " (" + b->version + ")");
    std::cout << (out.empty() ? "no difference\n" : out);
  });
}

}  // namespace kyc::cli
